// Reading a phone number in any of the shapes SPEC §7 lists and writing it as
// E.164. This is the only importer of libphonenumber-js ("max" metadata, so that
// isValid() checks real number ranges, not just lengths).
import {
  getCountryCallingCode,
  isSupportedCountry as lpnSupported,
  parsePhoneNumberWithError,
  ParseError,
  validatePhoneNumberLength,
  type CountryCode,
  type PhoneNumber,
} from 'libphonenumber-js/max';
import { extract, type Extracted } from './extract.ts';
import { legacyReadings } from './legacy.ts';
import { quote, reject, type PhoneFailure, type PhoneResult } from './types.ts';

export type { PhoneRejection, PhoneResult } from './types.ts';

/** Longer inputs are refused before any parsing; real header values are far shorter. */
const MAX_INPUT = 2048;
/** 15 digits of E.164 plus room for an international or trunk prefix ("8 10 ...", "011 ..."). */
const MAX_DIGITS = 20;
/**
 * Fewest digits for reading a number without "+" as an international one. Shorter
 * digit strings are too often a national number of some other country: "(201) 555-0123"
 * is also +20 1555 0123, in Egypt.
 */
const MIN_DIGITS_WITHOUT_PLUS = 11;
/** "... x123", "... ext. 12", "... extension 12", "... #12", "... доб. 12" at the end of a number. */
const EXTENSION = /^(.*?\d[\s)\].-]*)(?:[,;]\s*)?(?:ext(?:ension)?|x|#|доб)\.?\s*[:=]?\s*(\d{1,10})\s*$/iu;
/** Visual separators people and carriers put between digits (with their full-width forms, and the Japanese "ー"). */
const SEPARATORS = /[\s\u200B-\u200D\u2060().[\]\-\u2010-\u2015\u2212/\\\uFF08\uFF09\uFF0D\uFF0E\uFF0F\u30FC]/gu;

export function isSupportedCountry(cc: string): boolean {
  return /^[A-Z]{2}$/.test(cc) && lpnSupported(cc);
}

export function isE164(s: string): boolean {
  return /^\+[1-9]\d{6,14}$/.test(s);
}

/**
 * The country (ISO 3166-1 alpha-2) an E.164 number belongs to, found from its
 * number range, so that shared calling codes are told apart: +1 876… is JM, not
 * US; +7 701… is KZ, not RU. Undefined when no country can be vouched for: the
 * input is not E.164, the number is not valid (no known range), or it belongs to
 * a non-geographic code (+800, +808, +870, +881, +882, +883, +979, …).
 */
export function countryOfE164(e164: string): string | undefined {
  if (!isE164(e164)) return undefined;
  try {
    const parsed = parsePhoneNumberWithError(e164, { extract: false });
    return parsed.isValid() ? parsed.country : undefined;
  } catch (err) {
    if (err instanceof ParseError) return undefined;
    throw err;
  }
}

/**
 * Normalise a phone number, a SIP/SIPS/tel URI or a whole From / P-Asserted-Identity
 * header value to E.164. National numbers are read in `defaultCountry`. Never throws
 * on bad input: every rejection carries a stable `reason` and a human `message`.
 */
export function normalizePhone(input: string, opts: { defaultCountry?: string } = {}): PhoneResult {
  const defaultCountry = opts.defaultCountry?.trim().toUpperCase();
  if (defaultCountry !== undefined && !isSupportedCountry(defaultCountry)) {
    return reject(
      'INVALID_COUNTRY',
      `unknown default country ${quote(opts.defaultCountry ?? '')}: expected an ISO 3166-1 alpha-2 code such as US, GB or UA`,
    );
  }
  if (typeof input !== 'string') return reject('NOT_A_NUMBER', 'not a phone number: not a string');
  const text = input.trim();
  if (text === '') return reject('EMPTY', 'empty phone number');
  if (text.length > MAX_INPUT) {
    return reject('TOO_LONG', `the input is too long to be a phone number (${text.length} characters)`);
  }
  const found = extract(text);
  if (!found.ok) return found;

  let number = fullwidthToAscii(found.number).trim();
  let extension = found.extension;
  const inline = EXTENSION.exec(number);
  if (inline) {
    number = inline[1] ?? '';
    extension ??= inline[2];
  }
  if (extension !== undefined) {
    const ext = fullwidthToAscii(extension).replace(SEPARATORS, '');
    if (!/^\d{1,10}$/.test(ext)) {
      return reject('NOT_A_NUMBER', `${quote(text)} has an extension that is not 1 to 10 digits: ${quote(extension)}`);
    }
    extension = ext;
  }

  let digits = number.replace(SEPARATORS, '');
  if (!/^\+?\d+$/.test(digits)) return reject('NOT_A_NUMBER', notANumber(text, found));
  if (found.phoneContext !== undefined && !digits.startsWith('+')) {
    // RFC 3966 local number: a global phone-context ("+1-201") is the number's prefix; a domain tells nothing.
    const context = fullwidthToAscii(found.phoneContext).replace(SEPARATORS, '');
    if (/^\+\d+$/.test(context)) digits = context + digits;
  }
  const count = digits.length - (digits.startsWith('+') ? 1 : 0);
  if (count > MAX_DIGITS) return reject('TOO_LONG', `${quote(text)} has too many digits (${count}) to be a phone number`);

  const r = interpret(digits, number, defaultCountry as CountryCode | undefined, text);
  if (!r.ok) return r;
  return { ok: true, e164: r.parsed.number, country: r.parsed.country, extension: extension ?? r.parsed.ext };
}

type Attempt = { readonly ok: true; readonly parsed: PhoneNumber } | PhoneFailure;

/**
 * `digits` is "+" and digits, or digits alone. Without "+", the readings are tried in
 * this order, the first valid one wins:
 *   1. a national number of the default country (libphonenumber strips the trunk
 *      prefix, the country's own international prefix such as 011 in the US or 810
 *      in RU, and the country's own calling code written without "+"), then the
 *      country's legacy forms (./legacy.ts: "8 050 123 45 67" in UA);
 *   2. after a 00 (or, in NANP countries and without a default country, 011)
 *      international prefix: the rest as an international number;
 *   3. the digits as an international number missing its "+" ("380501234567"), but
 *      only for 11 digits or more and when `written` has no brackets, which mark a
 *      national area code ("(201) 555-0123").
 */
function interpret(digits: string, written: string, country: CountryCode | undefined, shown: string): Attempt {
  if (digits.startsWith('+')) return attempt(digits, undefined, quote(shown));
  const national = country === undefined ? undefined : attempt(digits, country, quote(shown));
  if (national?.ok) return national;
  for (const legacy of legacyReadings(digits, country)) {
    const r = attempt(legacy.candidate, legacy.country as CountryCode | undefined, quote(shown));
    if (r.ok && (legacy.prefix.means === 'international' || r.parsed.country === country)) return r;
  }
  const idd = afterInternationalPrefix(digits, country);
  if (idd !== undefined) return attempt(`+${idd}`, undefined, `${quote(shown)} (read as +${idd})`);
  if (!digits.startsWith('0') && digits.length >= MIN_DIGITS_WITHOUT_PLUS && !/[(\uFF08]/.test(written)) {
    const international = attempt(`+${digits}`, undefined, quote(shown));
    if (international.ok) return international;
  }
  return (
    national ??
    reject('INVALID_COUNTRY', `${quote(shown)} has no country code (write it as +<country code><number>) and no default country is set`)
  );
}

function afterInternationalPrefix(digits: string, country: CountryCode | undefined): string | undefined {
  if (digits.startsWith('00')) return digits.slice(2);
  if (digits.startsWith('011') && (country === undefined || getCountryCallingCode(country) === '1')) return digits.slice(3);
  return undefined;
}

/** `subject` names the input in messages. */
function attempt(candidate: string, country: CountryCode | undefined, subject: string): Attempt {
  let parsed: PhoneNumber;
  try {
    parsed = parsePhoneNumberWithError(candidate, { defaultCountry: country, extract: false });
  } catch (err) {
    if (!(err instanceof ParseError)) throw err;
    switch (err.message) {
      case 'TOO_SHORT':
        return reject('TOO_SHORT', `${subject} is too short to be a phone number`);
      case 'TOO_LONG':
        return reject('TOO_LONG', `${subject} is too long to be a phone number`);
      case 'INVALID_COUNTRY':
        return reject('INVALID_NUMBER', `${subject} does not start with a known country calling code`);
      default:
        return reject('NOT_A_NUMBER', `${subject} is not a phone number`);
    }
  }
  if (parsed.isValid()) return { ok: true, parsed };
  const where = parsed.country ?? `country code +${parsed.countryCallingCode}`;
  switch (validatePhoneNumberLength(candidate, { defaultCountry: country })) {
    case 'TOO_SHORT':
      return reject('TOO_SHORT', `${subject} is too short for a phone number in ${where}`);
    case 'TOO_LONG':
      return reject('TOO_LONG', `${subject} is too long for a phone number in ${where}`);
    case 'INVALID_LENGTH':
      return reject('INVALID_NUMBER', `${subject} has the wrong number of digits for a phone number in ${where}`);
    default:
      return reject('INVALID_NUMBER', `${subject} is not a valid phone number in ${where} (no such number range)`);
  }
}

function notANumber(shown: string, found: Extracted): string {
  if (found.source === 'sip') return `${quote(shown)} is not a phone number: the SIP user ${quote(found.number)} is not numeric`;
  if (!/\d/.test(found.number)) return `${quote(shown)} is not a phone number: there are no digits in it`;
  if (/\p{L}/u.test(found.number)) return `${quote(shown)} is not a phone number: it contains letters`;
  return `${quote(shown)} is not a phone number: it contains characters other than digits and separators`;
}

/** Full-width digits and plus (as typed with some East Asian input methods) to ASCII. */
function fullwidthToAscii(s: string): string {
  return s.replace(/[\uFF0B\uFF10-\uFF19]/g, (c) => (c === '\uFF0B' ? '+' : String.fromCharCode(c.charCodeAt(0) - 0xff10 + 0x30)));
}

/**
 * An E.164 number as people of its country write it ("+380441234567" → "044 123 4567",
 * "+12025550123" → "(202) 555-0123"): the national format of the number's country.
 * A number no country can be vouched for (non-geographic, unknown range) keeps the
 * international format ("+800 1234 5678"); a string that is not E.164 comes back as it is.
 */
export function formatNational(e164: string): string {
  if (!isE164(e164)) return e164;
  try {
    const parsed = parsePhoneNumberWithError(e164, { extract: false });
    return parsed.country ? parsed.formatNational() : parsed.formatInternational();
  } catch (err) {
    if (err instanceof ParseError) return e164;
    throw err;
  }
}
