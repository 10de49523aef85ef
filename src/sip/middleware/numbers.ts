// Which number was dialled and who is calling, from the headers a carrier sends.
import { normalizePhone } from '../../phone/index.ts';
import type { SipRequestView } from '../srf.ts';

export type NumberResult = { ok: true; e164: string; raw: string } | { ok: false; raw: string; message: string };

function userOf(uri: string): string | undefined {
  const m = /^(?:sips?|tel):([^@;>]+)/i.exec(uri.trim());
  return m?.[1];
}

/** The dialled number: the Request-URI's user, else the To header's. */
export function dialledNumber(req: SipRequestView, defaultCountry: string): NumberResult {
  const fromUri = userOf(req.uri);
  const raw = fromUri && /\d/.test(fromUri) ? req.uri : (req.get('To') ?? req.uri);
  const r = normalizePhone(raw, { defaultCountry });
  return r.ok ? { ok: true, e164: r.e164, raw } : { ok: false, raw, message: r.message };
}

/** The caller: P-Asserted-Identity when the carrier sends one, else From. */
export function callerNumber(req: SipRequestView, defaultCountry: string): NumberResult {
  const raw = req.get('P-Asserted-Identity') ?? req.get('From') ?? '';
  const r = normalizePhone(raw, { defaultCountry });
  return r.ok ? { ok: true, e164: r.e164, raw } : { ok: false, raw, message: r.message };
}

/** A 3-digit internal extension in the Request-URI, if that is what was dialled. */
export function dialledExtension(req: SipRequestView): string | undefined {
  const user = userOf(req.uri);
  return user && /^\d{3}$/.test(user) ? user : undefined;
}
