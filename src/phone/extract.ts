// Finding the number in what a SIP stack or a person hands us: a whole From /
// P-Asserted-Identity header value ("Alice" <sip:+380...@host;user=phone>;tag=x),
// a SIP/SIPS/tel URI, or plain text. Nothing here knows about numbering plans.
import { quote, reject, type PhoneFailure } from './types.ts';

export interface Extracted {
  readonly ok: true;
  /** Where the number came from, for messages. */
  readonly source: 'sip' | 'tel' | 'text';
  /** The number as written (separators, maybe an inline extension), %-decoded. */
  readonly number: string;
  /** The value of an `;ext=` parameter. */
  readonly extension: string | undefined;
  /** The value of a `;phone-context=` parameter (RFC 3966), e.g. "+1-201" or a domain. */
  readonly phoneContext: string | undefined;
}

/** Header names tolerated in front of a value ("From: <sip:...>"). Compact forms are not: "t:" would eat "tel:". */
const HEADER_NAME = /^(?:from|to|contact|p-asserted-identity|p-preferred-identity|remote-party-id|diversion|referred-by)[ \t]*:[ \t]*/i;

/** What callers and carriers put where a withheld number would be, letters only, lower case. */
const WITHHELD = new Set([
  'anonymous',
  'anonymousinvalid',
  'restricted',
  'private',
  'privatenumber',
  'unavailable',
  'notavailable',
  'unknown',
  'unknowncaller',
  'withheld',
  'numberwithheld',
  'blocked',
  'nocallerid',
]);

/** RFC 3323: the host of an anonymous From. */
const ANONYMOUS_HOST = 'anonymous.invalid';

export function isWithheld(text: string): boolean {
  return !/\d/.test(text) && WITHHELD.has(text.toLowerCase().replace(/[^a-z]/g, ''));
}

/** `%`-decoding that reports a malformed escape (or one that is not UTF-8) as undefined instead of throwing. */
export function percentDecode(text: string): string | undefined {
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

export function extract(input: string): Extracted | PhoneFailure {
  const value = input.replace(HEADER_NAME, '');
  const addr = addressOf(value, input);
  if (typeof addr !== 'string') return addr;
  const uri = /^(sips?|tel):(.*)$/is.exec(addr);
  if (!uri) return fromParts('text', addr.split(';'), '', input);
  const scheme = (uri[1] ?? '').toLowerCase();
  const body = uri[2] ?? '';
  if (scheme === 'tel') return fromParts('tel', body.split(';'), '', input);
  // sip:user[:password]@host[:port][;uri-params][?headers]. A raw "@", ";" or "?" cannot occur in the user part.
  const at = body.indexOf('@');
  const host = (at < 0 ? body : body.slice(at + 1)).split(/[;?:]/)[0]?.trim().toLowerCase() ?? '';
  if (at < 0) {
    if (host === ANONYMOUS_HOST) return anonymous(input);
    // Not a host name but a number ("sip:+380501234567", a URI someone cut short): read it as the user.
    if (/^(?:\+|%2b)?\d+(?:;|$)/i.test(body)) return fromParts('sip', body.split(';'), '', input);
    return reject('NOT_A_NUMBER', `${quote(input)} is not a phone number: the SIP URI has no user part`);
  }
  const userinfo = body.slice(0, at);
  const user = userinfo.split(':')[0] ?? '';
  return fromParts('sip', user.split(';'), host, input);
}

/** The address of a name-addr (`"Name" <uri>;params`), or the text itself when there are no angle brackets. */
function addressOf(value: string, input: string): string | PhoneFailure {
  let rest = value.trim();
  if (rest.startsWith('"')) {
    let i = 1;
    let name = '';
    for (; i < rest.length && rest[i] !== '"'; i++) {
      if (rest[i] === '\\') i++;
      name += rest[i] ?? '';
    }
    if (i >= rest.length) return reject('MALFORMED', `${quote(input)} has an unterminated quoted display name`);
    rest = rest.slice(i + 1).trim();
    // A display name alone, as some PBXes send for withheld callers: "Anonymous".
    if (rest === '') return name.trim();
  }
  const lt = rest.indexOf('<');
  if (lt < 0) return rest;
  const gt = rest.indexOf('>', lt + 1);
  if (gt < 0) return reject('MALFORMED', `${quote(input)} has a "<" without a closing ">"`);
  return rest.slice(lt + 1, gt).trim();
}

/** `parts` is `number;param;param...` (a tel URI, a SIP user part with tel-style parameters, or plain text). */
function fromParts(source: Extracted['source'], parts: string[], host: string, input: string): Extracted | PhoneFailure {
  let raw = parts[0] ?? '';
  // Plain text such as "380501234567@carrier.example": the bit before "@".
  if (source === 'text' && raw.includes('@')) raw = raw.slice(0, raw.indexOf('@'));
  const number = percentDecode(raw);
  if (number === undefined) return malformedEscape(input, raw);
  let extension: string | undefined;
  let phoneContext: string | undefined;
  for (const param of parts.slice(1)) {
    const eq = param.indexOf('=');
    const name = (eq < 0 ? param : param.slice(0, eq)).trim().toLowerCase();
    if (name !== 'ext' && name !== 'phone-context') continue;
    const rawValue = eq < 0 ? '' : param.slice(eq + 1).trim();
    const decoded = percentDecode(rawValue);
    if (decoded === undefined) return malformedEscape(input, rawValue);
    if (name === 'ext') extension = decoded;
    else phoneContext = decoded;
  }
  if (isWithheld(number) || (host === ANONYMOUS_HOST && !/\d/.test(number))) return anonymous(input);
  if (number.trim() === '') {
    const what = source === 'sip' ? 'the SIP URI has an empty user part' : source === 'tel' ? 'the tel URI has no number' : 'there is no number in it';
    return reject('NOT_A_NUMBER', `${quote(input)} is not a phone number: ${what}`);
  }
  return { ok: true, source, number, extension, phoneContext };
}

function anonymous(input: string): PhoneFailure {
  return reject('ANONYMOUS', `the caller withheld the number (${quote(input)}): there is no number to use`);
}

function malformedEscape(input: string, part: string): PhoneFailure {
  const at = part.search(/%(?![0-9a-f]{2})/i);
  const detail = at >= 0 ? ` (${quote(part.slice(at, at + 3))} is not %XX)` : ' (the escaped bytes are not UTF-8)';
  return reject('MALFORMED', `${quote(input)} has a malformed %-escape${detail}`);
}
