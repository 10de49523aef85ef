// Media anchored through rtpengine over its ng protocol (rtpengine-client).
// The caller's INVITE is an offer; the SDP rtpengine returns is what the
// called legs are offered. The answering leg's SDP is rtpengine's answer, and
// what it returns goes to the caller. At hang-up the call is deleted and, when
// it was recorded, its recording is filed (src/sip/recordings.ts).
//
// When rtpengine does not answer, start() fails and the call goes on without
// it (the call handlers log and count that). When it fails later, at the
// answer, the call still connects with the legs' own SDP, not recorded.
import { randomBytes } from 'node:crypto';
import rtpengineClient from 'rtpengine-client';
import { componentLogger, type Logger } from '../logger.ts';
import type { PartyPorts } from '../recordings/pcap-wav.ts';
import type { Media, MediaSession } from './media.ts';
import { discardRecording, fileRecording } from './recordings.ts';

type NgMessage = rtpengineClient.NgMessage;
type NgResponse = rtpengineClient.NgResponse;

export interface RtpengineOptions {
  readonly ng: { readonly host: string; readonly port: number };
  /** Where recordings are filed (RECORDINGS_DIR). */
  readonly recordingsDir: string;
  /** rtpengine-recording's output-dir, when rtpengine records with recording-method=proc. */
  readonly daemonOutputDir?: string;
  /** How long an ng request may take (ms); a new call waits this long before going on without rtpengine. */
  readonly timeoutMs?: number;
  /** How long to wait at hang-up for the recording files to be finished (ms). */
  readonly recordingWaitMs?: number;
  readonly logger: Logger;
  /** Called when rtpengine fails during a call that then goes on without it. */
  readonly onUnavailable?: () => void;
}

export interface RtpengineMedia extends Media {
  /** Resolves when rtpengine answers an ng ping. */
  ping(): Promise<void>;
  close(): void;
}

const DEFAULT_TIMEOUT_MS = 1500;

/** SDP rewriting for both directions: rtpengine's address everywhere, no ICE towards plain SIP endpoints. */
const SDP_FLAGS: NgMessage = { replace: ['origin', 'session-connection'], ICE: 'remove' };

/** The port of the first audio stream of an SDP. */
export function audioPort(sdp: string | undefined): number | undefined {
  const m = sdp ? /^m=audio (\d+)/m.exec(sdp) : null;
  return m ? Number(m[1]) : undefined;
}

export function rtpengineMedia(opts: RtpengineOptions): RtpengineMedia {
  const log = componentLogger(opts.logger, 'rtpengine');
  const target = { host: opts.ng.host, port: opts.ng.port };
  let client: rtpengineClient.Client | undefined;

  const ng = (): rtpengineClient.Client => {
    if (!client) {
      client = new rtpengineClient.Client({ timeout: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS });
      // late or stray answers are reported as 'error' events; they must not end the process
      client.on('error', (err: unknown) => log.warn({ err }, 'rtpengine-client error'));
      client.socket.unref();
    }
    return client;
  };

  async function request(command: 'offer' | 'answer' | 'delete', msg: NgMessage): Promise<NgResponse> {
    const res = await ng()[command](target, msg);
    if (res.result !== 'ok') throw new Error(`rtpengine ${command} failed: ${res['error-reason'] ?? res.result}`);
    if (res.warning) log.debug({ command, warning: res.warning }, 'rtpengine warning');
    return res;
  }

  async function start(call: { callId: string; fromTag: string; sdp: string; record: boolean }): Promise<MediaSession> {
    const { callId, record } = call;
    const callLog = log.child({ callId });
    // phones' calls come without a From tag here; rtpengine needs one, the same in every command
    const ids: NgMessage = { 'call-id': callId, 'from-tag': call.fromTag || `rp-${randomBytes(6).toString('hex')}` };
    const offered = await request('offer', {
      ...ids,
      ...SDP_FLAGS,
      sdp: call.sdp,
      label: 'caller',
      'record call': record ? 'yes' : 'no',
      ...(record ? { metadata: `ringpath-call-id:${callId}` } : {}),
    });
    if (!offered.sdp) throw new Error('rtpengine offer returned no SDP');
    const offer = offered.sdp;
    const pcapPath = offered.recordings?.[0];
    callLog.debug({ record, pcapPath }, 'media anchored through rtpengine');

    let ports: PartyPorts | undefined;
    let answered = false;
    let anchored = true;
    let ended: Promise<string | undefined> | undefined;

    async function finish(): Promise<string | undefined> {
      await request('delete', { ...ids, 'delete delay': 0 }).catch((err: unknown) =>
        callLog.warn({ err }, 'rtpengine delete failed; it will time the call out'),
      );
      if (!record) return undefined;
      if (!answered || !anchored) {
        await discardRecording({ callId, ...(pcapPath ? { pcapPath } : {}) });
        return undefined;
      }
      return fileRecording(
        { callId, ...(pcapPath ? { pcapPath } : {}), ...(ports ? { ports } : {}) },
        {
          recordingsDir: opts.recordingsDir,
          ...(opts.daemonOutputDir ? { daemonOutputDir: opts.daemonOutputDir } : {}),
          ...(opts.recordingWaitMs !== undefined ? { waitMs: opts.recordingWaitMs } : {}),
          logger: callLog,
        },
      );
    }

    return {
      offer,
      async answer(calleeSdp, calleeTag) {
        try {
          const res = await request('answer', { ...ids, 'to-tag': calleeTag, ...SDP_FLAGS, sdp: calleeSdp, label: 'callee' });
          if (!res.sdp) throw new Error('rtpengine answer returned no SDP');
          const caller = audioPort(res.sdp);
          const callee = audioPort(offer);
          ports = caller && callee ? { caller, callee } : undefined;
          answered = true;
          return res.sdp;
        } catch (err) {
          callLog.warn({ err }, 'rtpengine failed at the answer; the call connects without it and is not recorded');
          opts.onUnavailable?.();
          anchored = false;
          return calleeSdp;
        }
      },
      end() {
        ended ??= finish();
        return ended;
      },
    };
  }

  return {
    name: 'rtpengine',
    start,
    async ping() {
      const res = await ng().ping(target);
      if (res.result !== 'pong') throw new Error(`rtpengine ping: ${res['error-reason'] ?? res.result}`);
    },
    close() {
      client?.close();
      client = undefined;
    },
  };
}
