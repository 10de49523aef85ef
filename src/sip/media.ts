// Media anchoring. Without rtpengine, SDP passes straight between the legs;
// with it (RTPENGINE_NG), media is relayed and recorded (see rtpengine.ts).

export interface MediaSession {
  /** The SDP to offer the called legs. */
  readonly offer: string;
  /** The SDP to answer the caller with, given the answering leg's SDP. */
  answer(calleeSdp: string, calleeTag: string): Promise<string>;
  /** Path of the recording once the call has ended, if one was made. */
  end(): Promise<string | undefined>;
}

export interface Media {
  readonly name: string;
  start(opts: { callId: string; fromTag: string; sdp: string; record: boolean }): Promise<MediaSession>;
}

export const directMedia: Media = {
  name: 'direct',
  async start({ sdp }) {
    return {
      offer: sdp,
      answer: async (calleeSdp) => calleeSdp,
      end: async () => undefined,
    };
  },
};
