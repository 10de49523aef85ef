// Requests drachtio-server accepts but drachtio-srf cannot read (an extra space
// in the request line, for one) are dropped by drachtio-srf without a word, after
// drachtio-server has already sent 100 Trying: the caller would wait for a final
// response that never comes. ringpath watches the same connection and answers each
// of them 400 Bad Request through its server transaction, logged and counted.
import { createRequire } from 'node:module';
import type { Logger } from '../logger.ts';
import type { SrfInstance } from './srf.ts';

const require = createRequire(import.meta.url);
// drachtio-srf's own parser, so "unreadable" means exactly what drachtio-srf drops
const parser = require('drachtio-srf/lib/sip-parser/parser') as { parseSipMessage(raw: string, full: boolean): unknown };

const CRLF = '\r\n';

export interface UnreadableRequest {
  /** drachtio-server's id of the request's server transaction. */
  readonly transactionId: string;
  /** The request line as received (cut to 200 characters). */
  readonly requestLine: string;
  readonly callId: string | undefined;
}

/**
 * A request from the network in one drachtio wire frame (`<id>|sip|network|…|<transaction id>|…` CRLF
 * the SIP message) that drachtio-srf cannot parse; undefined for anything else. Pure.
 */
export function unreadableRequest(frame: string): UnreadableRequest | undefined {
  const pos = frame.indexOf(CRLF);
  if (pos < 0) return undefined;
  const token = frame.slice(0, pos).split('|');
  if (token[1] !== 'sip' || token[2] !== 'network' || !token[8]) return undefined;
  const raw = frame.slice(pos + 2);
  const firstLine = raw.slice(0, raw.indexOf(CRLF) >= 0 ? raw.indexOf(CRLF) : raw.length);
  if (/^SIP\/2\.0 /i.test(firstLine)) return undefined; // a response: not ours to answer
  let parsed: unknown;
  try {
    parsed = parser.parseSipMessage(raw, true);
  } catch {
    parsed = undefined;
  }
  if (parsed) return undefined;
  const callId = /^(?:Call-ID|i)[ \t]*:[ \t]*(.+)$/im.exec(raw)?.[1]?.trim();
  return { transactionId: token[8], requestLine: firstLine.slice(0, 200), callId };
}

/** The frame that answers an unreadable request 400 through its server transaction. */
export function badRequestFrame(transactionId: string): string {
  return `sip|${transactionId}|${CRLF}SIP/2.0 400 Bad Request${CRLF}X-Reason: MALFORMED_REQUEST${CRLF}Content-Length: 0${CRLF}${CRLF}`;
}

type FrameListener = (socket: unknown, frame: string) => void;

interface WireProtocol {
  on(event: 'msg', fn: FrameListener): void;
  listeners(event: 'msg'): FrameListener[];
  removeAllListeners(event: 'msg'): void;
  send(socket: unknown, msg: string): string;
}

/** Answer every request drachtio-srf drops as unreadable; call once, right after srf.connect(). */
export function answerUnreadableRequests(srf: SrfInstance, log: Logger, onRefused?: () => void): void {
  const wp = (srf as unknown as { _app?: { client?: { wp?: WireProtocol } } })._app?.client?.wp;
  if (!wp) {
    log.warn('cannot watch for unreadable SIP requests (drachtio-srf internals changed); they will go unanswered');
    return;
  }
  // In front of drachtio-srf's own listener: an unreadable request is answered here
  // and never reaches it (it would only print a stack trace and drop the request).
  const originals = wp.listeners('msg');
  wp.removeAllListeners('msg');
  wp.on('msg', (socket, frame) => {
    const bad = unreadableRequest(frame);
    if (!bad) {
      for (const listener of originals) listener(socket, frame);
      return;
    }
    log.info({ callId: bad.callId, requestLine: bad.requestLine, status: 400, code: 'MALFORMED_REQUEST' }, 'unreadable SIP request refused');
    onRefused?.();
    wp.send(socket, badRequestFrame(bad.transactionId));
  });
}
