// The registrar: managers' phones REGISTER with digest auth; contacts live in
// PostgreSQL with their expiry, so every ringpath process can ring them.
import type { Logger } from '../logger.ts';
import type { CallDeps } from './deps.ts';
import { authenticate } from './digest.ts';
import type { SrfRequest, SrfResponse } from './srf.ts';

export const MIN_EXPIRES = 60;
export const MAX_EXPIRES = 3600;

export interface ContactBinding {
  readonly uri: string;
  readonly expires: number;
}

/** Contacts one REGISTER may bind; each is rung on every call to the account. */
export const MAX_CONTACTS = 10;
export const MAX_CONTACT_URI_LENGTH = 256;

/** delta-seconds (RFC 3261 §20.19): 1*DIGIT, nothing else. */
function deltaSeconds(value: unknown): number | undefined {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  return /^\d{1,10}$/.test(text) ? Number(text) : undefined;
}

/** The bindings a REGISTER asks for (RFC 3261 §10.3), expiries clamped to [60, 3600] s; `'*'` removes all. */
export function requestedBindings(
  contacts: ReadonlyArray<{ uri: string; params?: Record<string, unknown> }>,
  expiresHeader: string | undefined,
  rawContact: string | undefined,
): ContactBinding[] | '*' | { error: string } {
  const headerExpires = expiresHeader === undefined ? 3600 : deltaSeconds(expiresHeader);
  if (headerExpires === undefined) return { error: 'bad Expires header' };
  if (rawContact?.trim() === '*') return headerExpires === 0 ? '*' : { error: 'Contact: * needs Expires: 0' };
  if (contacts.length > MAX_CONTACTS) return { error: `at most ${MAX_CONTACTS} contacts per REGISTER` };
  const bindings: ContactBinding[] = [];
  for (const c of contacts) {
    if (c.uri.length > MAX_CONTACT_URI_LENGTH) return { error: 'Contact URI too long' };
    const own = c.params?.expires;
    const asked = own === undefined || own === null ? headerExpires : deltaSeconds(own);
    if (asked === undefined) return { error: 'bad expires parameter in Contact' };
    const expires = asked === 0 ? 0 : Math.min(MAX_EXPIRES, Math.max(MIN_EXPIRES, asked));
    bindings.push({ uri: c.uri, expires });
  }
  return bindings;
}

function userOf(header: string | undefined): string | undefined {
  return header ? /<?sips?:([^@;>]+)@/i.exec(header)?.[1] : undefined;
}

export async function handleRegister(req: SrfRequest, res: SrfResponse, deps: CallDeps, log: Logger): Promise<void> {
  const ip = req.source_address;
  const rate = await deps.limits.allowRegister(ip);
  if (!rate.allowed) {
    log.warn({ ip }, 'REGISTER flood throttled');
    deps.metrics?.rejected('REGISTER_RATE_LIMITED');
    res.send(503, { headers: { 'Retry-After': String(rate.retryAfterS), 'X-Reason': 'REGISTER_RATE_LIMITED' } });
    return;
  }
  if (await deps.limits.lockedOut(ip)) {
    deps.metrics?.rejected('LOCKED_OUT');
    res.send(403, { headers: { 'X-Reason': 'LOCKED_OUT' } });
    return;
  }
  const realm = deps.config.sipRealm;
  const outcome = await authenticate(req, {
    realm,
    nonces: deps.nonces,
    proxy: false,
    lookup: async (user) => {
      const a = await deps.accounts.find(user);
      return a && a.realm === realm ? a.ha1Md5 : undefined;
    },
  });
  if (outcome.kind === 'challenge') {
    res.send(outcome.status, { headers: outcome.headers });
    return;
  }
  if (outcome.kind === 'failed') {
    await deps.limits.authFailed(ip);
    log.info({ ip, user: outcome.username }, 'REGISTER authentication failed');
    deps.metrics?.rejected('AUTHENTICATION_FAILED');
    res.send(403, { headers: { 'X-Reason': 'AUTHENTICATION_FAILED' } });
    return;
  }
  await deps.limits.authSucceeded(ip);
  const account = await deps.accounts.find(outcome.username);
  const aorUser = userOf(req.get('To'));
  if (!account || !aorUser || aorUser.toLowerCase() !== account.login.toLowerCase()) {
    deps.metrics?.rejected('NOT_OWN_ACCOUNT');
    res.send(403, { headers: { 'X-Reason': 'NOT_OWN_ACCOUNT' } });
    return;
  }
  const bindings = requestedBindings(
    req.has('Contact') ? (req.getParsedHeader('Contact') as Array<{ uri: string; params?: Record<string, unknown> }>) : [],
    req.get('Expires'),
    req.get('Contact'),
  );
  if (bindings === '*') {
    await deps.registrations.removeAll(account.id);
    res.send(200);
    return;
  }
  if (!Array.isArray(bindings)) {
    log.info({ why: bindings.error }, 'REGISTER refused');
    deps.metrics?.rejected('BAD_REGISTRATION');
    res.send(400, { headers: { 'X-Reason': 'BAD_REGISTRATION' } });
    return;
  }
  await deps.registrations.save(account.id, bindings, ip, req.get('User-Agent'));
  const live = bindings.filter((b) => b.expires > 0);
  log.info({ login: account.login, contacts: live.length }, 'registered');
  const contactHeader = live.map((b) => `<${b.uri}>;expires=${b.expires}`).join(', ');
  res.send(200, { headers: contactHeader ? { Contact: contactHeader } : {} });
}
