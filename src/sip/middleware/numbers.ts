// Which number was dialled and who is calling, from the headers a carrier sends.
import { normalizePhone } from '../../phone/index.ts';
import type { SipRequestView } from '../srf.ts';

export type NumberResult =
  | { ok: true; e164: string; raw: string }
  | { ok: false; raw: string; message: string; /** the caller withheld their number ("anonymous") */ withheld: boolean };

function read(raw: string, defaultCountry: string): NumberResult {
  const r = normalizePhone(raw, { defaultCountry });
  return r.ok ? { ok: true, e164: r.e164, raw } : { ok: false, raw, message: r.message, withheld: r.reason === 'ANONYMOUS' };
}

function userOf(uri: string): string | undefined {
  return /^(?:sips?|tel):([^@;>]+)/i.exec(uri.trim())?.[1];
}

/**
 * The dialled number: the Request-URI's user; when that user has no digits at
 * all (a trunk that sends `sip:trunk@host`), the To header's. A Request-URI of
 * an unknown scheme never gets here: the INVITE checks refuse it with 416.
 */
export function dialledNumber(req: SipRequestView, defaultCountry: string): NumberResult {
  const user = userOf(req.uri);
  const raw = user && /\d/.test(user) ? req.uri : (req.get('To') ?? req.uri);
  return read(raw, defaultCountry);
}

/** The caller: P-Asserted-Identity when the carrier sends one, else From. */
export function callerNumber(req: SipRequestView, defaultCountry: string): NumberResult {
  return read(req.get('P-Asserted-Identity') ?? req.get('From') ?? '', defaultCountry);
}
