// SIP credentials of ringpath's own SIP accounts and the external SIP URIs an
// employee can be rung at (SPEC §3). Pure functions, no I/O.
//
// ringpath never stores a SIP password: it keeps HA1 = H(login:realm:password)
// for MD5 (RFC 2617) and SHA-256 (RFC 7616), which is all digest
// authentication needs.
import { createHash } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';

/** A SIP account login; the same rule as the sip_accounts.login CHECK. */
export const SIP_LOGIN_PATTERN = '^[A-Za-z0-9._-]{3,64}$';
export const SIP_PASSWORD_MIN_LENGTH = 14;
export const SIP_PASSWORD_MAX_LENGTH = 128;

export type SipPasswordRule = 'length' | 'upper' | 'lower' | 'digit' | 'special';

/** What each rule asks for, in words that finish "the password needs …". */
export const SIP_PASSWORD_RULES: Readonly<Record<SipPasswordRule, string>> = {
  length: `at least ${SIP_PASSWORD_MIN_LENGTH} characters`,
  upper: 'an upper case letter',
  lower: 'a lower case letter',
  digit: 'a digit',
  special: 'a special character (anything but letters and digits)',
};

const CHECKS: ReadonlyArray<readonly [SipPasswordRule, (password: string) => boolean]> = [
  ['length', (p) => [...p].length >= SIP_PASSWORD_MIN_LENGTH],
  ['upper', (p) => /\p{Lu}/u.test(p)],
  ['lower', (p) => /\p{Ll}/u.test(p)],
  ['digit', (p) => /[0-9]/.test(p)],
  ['special', (p) => /[^\p{L}\p{N}]/u.test(p)],
];

/** The rules of the SIP password policy that `password` does not meet; empty when it is strong enough. */
export function unmetSipPasswordRules(password: string): SipPasswordRule[] {
  return CHECKS.filter(([, ok]) => !ok(password)).map(([rule]) => rule);
}

/** "needs at least 14 characters, a digit and a special character …", or undefined when nothing is missing. */
export function describeUnmetRules(rules: readonly SipPasswordRule[]): string | undefined {
  if (rules.length === 0) return undefined;
  const words = rules.map((r) => SIP_PASSWORD_RULES[r]);
  const last = words.pop()!;
  return `needs ${words.length ? `${words.join(', ')} and ${last}` : last}`;
}

export interface SipDigests {
  readonly realm: string;
  /** hex MD5 of login:realm:password */
  readonly ha1_md5: string;
  /** hex SHA-256 of login:realm:password */
  readonly ha1_sha256: string;
}

/** HA1 digests of a SIP account (UTF-8 bytes of `login:realm:password`). */
export function sipDigests(login: string, realm: string, password: string): SipDigests {
  const input = `${login}:${realm}:${password}`;
  return {
    realm,
    ha1_md5: createHash('md5').update(input, 'utf8').digest('hex'),
    ha1_sha256: createHash('sha256').update(input, 'utf8').digest('hex'),
  };
}

export type SipUriResult = { readonly ok: true; readonly uri: string } | { readonly ok: false; readonly message: string };

// RFC 3261 user part: unreserved, escaped and user-unreserved characters, without ';' (parameters are not supported).
const USER = /^(?:[A-Za-z0-9\-_.!~*'()&=+$,/]|%[0-9A-Fa-f]{2})+$/;
const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

function validHost(host: string): boolean {
  if (host.startsWith('[') && host.endsWith(']')) return isIPv6(host.slice(1, -1));
  if (/^[0-9.]+$/.test(host)) return isIPv4(host);
  return host.length <= 253 && host.split('.').every((label) => LABEL.test(label));
}

/**
 * An external SIP address as typed (`login@sip.example.com`, `sip:login@sip.example.com`,
 * optionally with a port) in the one form ringpath stores: `sip:login@host[:port]`,
 * host in lower case. The user part keeps its case (SIP compares it case-sensitively).
 */
export function normalizeSipUri(input: string): SipUriResult {
  const fail = (message: string): SipUriResult => ({ ok: false, message });
  let rest = input.trim();
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(rest);
  if (scheme) {
    if (scheme[1]!.toLowerCase() !== 'sip') return fail('must be a sip: address such as sip:login@sip.example.com');
    rest = rest.slice(scheme[0].length);
  }
  if (/[;?]/.test(rest)) return fail('must not have URI parameters or headers (";…" or "?…")');
  const at = rest.indexOf('@');
  if (at < 0 || at !== rest.lastIndexOf('@')) return fail('must look like login@sip.example.com');
  const user = rest.slice(0, at);
  const hostPort = /^(\[[^\]]+\]|[^:]+)(?::([0-9]{1,5}))?$/.exec(rest.slice(at + 1));
  if (!USER.test(user)) return fail(`has an invalid login part ${JSON.stringify(user)}`);
  if (!hostPort || !validHost(hostPort[1]!)) return fail(`has an invalid host ${JSON.stringify(rest.slice(at + 1))}`);
  const port = hostPort[2] === undefined ? undefined : Number(hostPort[2]);
  if (port !== undefined && (port < 1 || port > 65535)) return fail(`has an invalid port ${hostPort[2]}`);
  return { ok: true, uri: `sip:${user}@${hostPort[1]!.toLowerCase()}${port === undefined ? '' : `:${port}`}` };
}
