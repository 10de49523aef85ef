// Result types of the phone module (SPEC §7).

/** Stable codes of a rejected phone number; `message` carries the human explanation. */
export type PhoneRejection =
  /** Nothing but whitespace. */
  | 'EMPTY'
  /** The caller withheld the number: "anonymous", sip:anonymous@anonymous.invalid, "Restricted", ... */
  | 'ANONYMOUS'
  /** Not a number at all: letters, a SIP user such as "alice", a URI without a user part. */
  | 'NOT_A_NUMBER'
  /** Unparsable syntax: a bad %-escape, an unterminated quote or angle bracket. */
  | 'MALFORMED'
  /** Too few digits for any number of the country. */
  | 'TOO_SHORT'
  /** Too many digits for any number of the country (or an absurdly long input). */
  | 'TOO_LONG'
  /** The default country is unknown, or a national number came without any country to read it in. */
  | 'INVALID_COUNTRY'
  /** The right shape but no such number exists (unassigned range, unknown country calling code, ...). */
  | 'INVALID_NUMBER';

export type PhoneResult =
  | { readonly ok: true; readonly e164: string; readonly country: string | undefined; readonly extension: string | undefined }
  | { readonly ok: false; readonly reason: PhoneRejection; readonly message: string };

export type PhoneFailure = Extract<PhoneResult, { ok: false }>;

export function reject(reason: PhoneRejection, message: string): PhoneFailure {
  return { ok: false, reason, message };
}

/** `text` quoted for a message, shortened so that a huge input cannot produce a huge message. */
export function quote(text: string, max = 80): string {
  return JSON.stringify(text.length > max ? `${text.slice(0, max - 1)}…` : text);
}
