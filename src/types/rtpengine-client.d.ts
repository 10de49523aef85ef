// The part of rtpengine-client (ng protocol over UDP) that ringpath uses.
declare module 'rtpengine-client' {
  import type { Socket } from 'node:dgram';
  import { EventEmitter } from 'node:events';

  namespace rtpengineClient {
    type NgValue = string | number | readonly NgValue[] | { readonly [key: string]: NgValue };
    type NgMessage = { readonly [key: string]: NgValue };
    interface NgTarget {
      port: number;
      host: string;
    }
    interface NgResponse {
      readonly result: string;
      readonly 'error-reason'?: string;
      readonly warning?: string;
      readonly sdp?: string;
      /** The pcap files of the call (recording-method=pcap). */
      readonly recordings?: readonly string[];
      readonly [key: string]: unknown;
    }
    interface ClientOptions {
      localPort?: number;
      localAddress?: string;
      /** Milliseconds before a request fails with "rtpengine timeout". */
      timeout?: number;
      rejectOnError?: boolean;
    }
    class Client extends EventEmitter {
      constructor(opts?: ClientOptions);
      readonly socket: Socket;
      ping(target: NgTarget): Promise<NgResponse>;
      offer(target: NgTarget, msg: NgMessage): Promise<NgResponse>;
      answer(target: NgTarget, msg: NgMessage): Promise<NgResponse>;
      delete(target: NgTarget, msg: NgMessage): Promise<NgResponse>;
      query(target: NgTarget, msg: NgMessage): Promise<NgResponse>;
      startRecording(target: NgTarget, msg: NgMessage): Promise<NgResponse>;
      stopRecording(target: NgTarget, msg: NgMessage): Promise<NgResponse>;
      close(): void;
    }
  }
  export = rtpengineClient;
}
