import { parsePhoneNumberWithError, isSupportedCountry as lpnSupported, ParseError, type CountryCode } from 'libphonenumber-js/max';

export type PhoneRejection =
  | 'EMPTY'
  | 'ANONYMOUS'
  | 'NOT_A_NUMBER'
  | 'TOO_SHORT'
  | 'TOO_LONG'
  | 'INVALID_COUNTRY'
  | 'INVALID_NUMBER';

export type PhoneResult =
  | { readonly ok: true; readonly e164: string; readonly country: string | undefined; readonly extension: string | undefined }
  | { readonly ok: false; readonly reason: PhoneRejection; readonly message: string };

export function isSupportedCountry(cc: string): boolean {
  return /^[A-Z]{2}$/.test(cc) && lpnSupported(cc);
}

export function isE164(s: string): boolean {
  return /^\+[1-9]\d{6,14}$/.test(s);
}

function reject(reason: PhoneRejection, message: string): PhoneResult {
  return { ok: false, reason, message };
}

/**
 * Normalise a phone number, a SIP/SIPS/tel URI or a whole From / P-Asserted-Identity
 * header value to E.164.
 */
export function normalizePhone(input: string, opts: { defaultCountry?: string } = {}): PhoneResult {
  const defaultCountry = opts.defaultCountry?.toUpperCase();
  if (defaultCountry !== undefined && !isSupportedCountry(defaultCountry)) {
    return reject('INVALID_COUNTRY', `unknown country code ${JSON.stringify(opts.defaultCountry)}`);
  }
  const text = input.trim();
  if (text === '') return reject('EMPTY', 'empty phone number');
  const user = extractUser(text);
  if (/^(anonymous|anonymous\.invalid|unknown|unavailable|private|restricted|withheld)$/i.test(user)) {
    return reject('ANONYMOUS', 'caller id is withheld (anonymous)');
  }
  let candidate = user.replace(/[\s().\-/]/g, '');
  let extension: string | undefined;
  const ext = /^(.*?)(?:;ext=|ext\.?|x|#)(\d{1,7})$/i.exec(candidate);
  if (ext?.[1] && ext[2]) {
    candidate = ext[1];
    extension = ext[2];
  }
  if (candidate.startsWith('00')) candidate = `+${candidate.slice(2)}`;
  else if (candidate.startsWith('011') && defaultCountry !== undefined && ['US', 'CA'].includes(defaultCountry)) {
    candidate = `+${candidate.slice(3)}`;
  }
  if (!/^\+?\d+$/.test(candidate)) return reject('NOT_A_NUMBER', `${JSON.stringify(user)} is not a phone number`);
  try {
    const parsed = parsePhoneNumberWithError(candidate, defaultCountry as CountryCode | undefined);
    if (!parsed.isValid()) {
      return reject('INVALID_NUMBER', `${JSON.stringify(user)} is not a valid number${parsed.country ? ` in ${parsed.country}` : ''}`);
    }
    return { ok: true, e164: parsed.number, country: parsed.country, extension: extension ?? parsed.ext };
  } catch (err) {
    if (err instanceof ParseError) {
      switch (err.message) {
        case 'TOO_SHORT':
          return reject('TOO_SHORT', `${JSON.stringify(user)} is too short to be a phone number`);
        case 'TOO_LONG':
          return reject('TOO_LONG', `${JSON.stringify(user)} is too long to be a phone number`);
        case 'INVALID_COUNTRY':
          return reject(
            'INVALID_COUNTRY',
            `${JSON.stringify(user)} has no country code and no default country applies`,
          );
        default:
          return reject('NOT_A_NUMBER', `${JSON.stringify(user)} is not a phone number`);
      }
    }
    throw err;
  }
}

/** The user part of a URI or header value, or the text itself. */
function extractUser(text: string): string {
  let s = text;
  const angle = /<([^>]*)>/.exec(s);
  if (angle?.[1] !== undefined) s = angle[1];
  else s = s.replace(/;(?:tag|user|transport)=.*$/i, '');
  const uri = /^(sips?|tel):(.*)$/i.exec(s.trim());
  if (uri?.[1] && uri[2] !== undefined) {
    const scheme = uri[1].toLowerCase();
    let rest = uri[2];
    if (scheme === 'tel') {
      rest = rest.split(';')[0] ?? '';
    } else {
      const at = rest.indexOf('@');
      rest = at >= 0 ? rest.slice(0, at) : rest;
      rest = rest.split(';')[0] ?? '';
      rest = rest.split(':')[0] ?? '';
    }
    s = decodeURIComponent(rest);
  }
  return s.trim();
}
