// Answering the caller with the winning leg and bridging the two.
import type { Logger } from '../logger.ts';
import { bridge, type Bridge } from './bridge.ts';
import type { MediaSession } from './media.ts';
import { hangUp, type SrfDialog, type SrfInstance, type SrfRequest, type SrfResponse } from './srf.ts';

/**
 * Send the caller our 200 OK with the answering leg's media and join the legs.
 * Undefined when the caller left in between (the answering leg is hung up).
 */
export async function answerAndBridge(
  srf: SrfInstance,
  req: SrfRequest,
  res: SrfResponse,
  callee: SrfDialog,
  media: MediaSession | undefined,
  log: Logger,
): Promise<Bridge | undefined> {
  try {
    const sdp = media ? await media.answer(callee.remote.sdp, callee.sip.remoteTag) : callee.remote.sdp;
    const caller = await srf.createUAS(req, res, { localSdp: sdp });
    return bridge(caller, callee, log);
  } catch (err) {
    log.info({ err }, 'caller left as the call was answered');
    hangUp(callee, log);
    return undefined;
  }
}
