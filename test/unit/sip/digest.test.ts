// Digest authentication (RFC 2617 / RFC 3261 §22) over stored MD5 HA1 digests.
import { createHash } from 'node:crypto';
import t from 'tap';
import { authenticate, nonces, NONCE_TTL_S, sameTarget, type Ha1Lookup } from '../../../src/sip/digest.ts';
import { fakeRequest } from './fake-request.ts';

const REALM = 'ringpath.local';
let clock = 1_800_000_000;
const NONCES = nonces('a-test-secret-for-digest-nonces', () => clock);
const md5 = (s: string) => createHash('md5').update(s).digest('hex');
const PASSWORDS: Record<string, string> = { alice: 'Correct-Horse-42!' };

/** HA1 lookup over PASSWORDS, recording what it was asked. */
function lookup(asked: string[] = []): Ha1Lookup {
  return async (user, realm) => {
    asked.push(`${user}@${realm}`);
    const password = PASSWORDS[user];
    return password === undefined ? undefined : md5(`${user}:${realm}:${password}`);
  };
}

interface Credentials {
  readonly user: string;
  readonly password: string;
  readonly method: string;
  readonly uri: string;
  readonly realm?: string;
  readonly qop?: boolean;
  readonly nonce?: string;
}

/** An Authorization header value as a phone computes it (RFC 2617 §3.2.2, qop=auth or none). */
function authorization(c: Credentials): string {
  const realm = c.realm ?? REALM;
  const nonce = c.nonce ?? NONCES.issue();
  const cnonce = '0a4f113b';
  const nc = '00000001';
  const ha1 = md5(`${c.user}:${realm}:${c.password}`);
  const ha2 = md5(`${c.method}:${c.uri}`);
  const qop = c.qop ?? true;
  const response = qop ? md5(`${ha1}:${nonce}:${nc}:${cnonce}:auth:${ha2}`) : md5(`${ha1}:${nonce}:${ha2}`);
  const base = `Digest username="${c.user}", realm="${realm}", nonce="${nonce}", uri="${c.uri}", response="${response}", algorithm=MD5`;
  return qop ? `${base}, cnonce="${cnonce}", qop=auth, nc=${nc}` : base;
}

const REGISTER_URI = `sip:${REALM}`;
const register = (headers: Record<string, string> = {}) => fakeRequest(REGISTER_URI, headers, { method: 'REGISTER' });
const invite = (headers: Record<string, string> = {}) => fakeRequest('sip:+380501234567@ringpath.local', headers);
const alice = (over: Partial<Credentials> = {}) => authorization({ user: 'alice', password: PASSWORDS.alice!, method: 'REGISTER', uri: REGISTER_URI, ...over });

t.test('no credentials: a registrar challenge (401, WWW-Authenticate)', async (t) => {
  const outcome = await authenticate(register(), { realm: REALM, proxy: false, lookup: lookup(), nonces: NONCES });
  t.equal(outcome.kind, 'challenge');
  if (outcome.kind !== 'challenge') return;
  t.equal(outcome.status, 401);
  t.match(outcome.headers['WWW-Authenticate'], /^Digest realm="ringpath\.local", algorithm=MD5, qop="auth", nonce="[^"]+"$/);
  t.notOk('Proxy-Authenticate' in outcome.headers);
});

t.test('no credentials: a proxy challenge (407, Proxy-Authenticate)', async (t) => {
  const outcome = await authenticate(invite(), { realm: REALM, proxy: true, lookup: lookup(), nonces: NONCES });
  t.equal(outcome.kind, 'challenge');
  if (outcome.kind !== 'challenge') return;
  t.equal(outcome.status, 407);
  t.match(outcome.headers['Proxy-Authenticate'], /^Digest realm="ringpath\.local", .*nonce="[^"]+"$/);
  t.notOk('WWW-Authenticate' in outcome.headers);
});

t.test('each challenge carries a fresh nonce', async (t) => {
  const nonces = new Set<string>();
  for (let i = 0; i < 5; i++) {
    const o = await authenticate(register(), { realm: REALM, proxy: false, lookup: lookup(), nonces: NONCES });
    if (o.kind === 'challenge') nonces.add(/nonce="([^"]+)"/.exec(o.headers['WWW-Authenticate'] ?? '')?.[1] ?? '');
  }
  t.equal(nonces.size, 5);
});

t.test('the right password is accepted', async (t) => {
  const asked: string[] = [];
  t.same(await authenticate(register({ Authorization: alice() }), { realm: REALM, proxy: false, lookup: lookup(asked), nonces: NONCES }), { kind: 'ok', username: 'alice' });
  t.same(asked, ['alice@ringpath.local'], 'the HA1 was looked up for the user and realm');
  t.same(await authenticate(register({ Authorization: alice({ qop: false }) }), { realm: REALM, proxy: false, lookup: lookup(), nonces: NONCES }), { kind: 'ok', username: 'alice' }, 'without qop (RFC 2069 response)');
  const proxyAuth = alice({ method: 'INVITE', uri: 'sip:+380501234567@ringpath.local' });
  t.same(await authenticate(invite({ 'Proxy-Authorization': proxyAuth }), { realm: REALM, proxy: true, lookup: lookup(), nonces: NONCES }), { kind: 'ok', username: 'alice' }, 'Proxy-Authorization on an INVITE');
});

t.test('wrong credentials fail, and an unknown user looks the same as a wrong password', async (t) => {
  const cases: Array<[string, string]> = [
    ['a wrong password', alice({ password: 'Wrong-Horse-42!' })],
    ['an unknown user', authorization({ user: 'mallory', password: 'whatever', method: 'REGISTER', uri: REGISTER_URI })],
    ['another realm', alice({ realm: 'evil.example' })],
    ['a response computed for another method', alice({ method: 'INVITE' })],
  ];
  for (const [name, header] of cases) {
    const o = await authenticate(register({ Authorization: header }), { realm: REALM, proxy: false, lookup: lookup(), nonces: NONCES });
    t.equal(o.kind, 'failed', name);
  }
  const wrong = await authenticate(register({ Authorization: alice({ password: 'nope' }) }), { realm: REALM, proxy: false, lookup: lookup(), nonces: NONCES });
  t.same(wrong, { kind: 'failed', username: 'alice' }, 'the failure names the user it claimed to be (for the log)');
});

t.test('garbled credentials get a new challenge, never an exception', async (t) => {
  const garbled = [
    'Digest garbage',
    'Basic YWxpY2U6c2VjcmV0',
    'Digest username="alice", realm="ringpath.local"',
    'Digest username="alice", realm="ringpath.local", nonce="n", uri="sip:ringpath.local"',
    '"""',
    `Digest username="${'a'.repeat(10_000)}`,
  ];
  for (const header of garbled) {
    const o = await authenticate(register({ Authorization: header }), { realm: REALM, proxy: false, lookup: lookup(), nonces: NONCES });
    t.equal(o.kind, 'challenge', JSON.stringify(header.slice(0, 60)));
  }
});

t.test('a lookup that fails (database down) challenges again instead of blaming the user', async (t) => {
  const failing: Ha1Lookup = async () => {
    throw new Error('connection refused');
  };
  const o = await authenticate(register({ Authorization: alice() }), { realm: REALM, proxy: false, lookup: failing, nonces: NONCES });
  t.equal(o.kind, 'challenge');
});

t.test('ringpath issues the nonces: a made-up, forged or stale nonce gets a fresh challenge, never a check', async (t) => {
  const asked: string[] = [];
  for (const nonce of ['bm9uY2UtZnJvbS1yaW5ncGF0aA', `${clock.toString(36)}.AAAAAAAA.${'A'.repeat(32)}`]) {
    const o = await authenticate(register({ Authorization: alice({ nonce }) }), { realm: REALM, proxy: false, lookup: lookup(asked), nonces: NONCES });
    t.equal(o.kind, 'challenge', `nonce ${nonce}`);
  }
  t.same(asked, [], 'the password store was never consulted');
  const old = alice();
  clock += NONCE_TTL_S + 1;
  const stale = await authenticate(register({ Authorization: old }), { realm: REALM, proxy: false, lookup: lookup(), nonces: NONCES });
  t.equal(stale.kind, 'challenge', 'a captured header stops working');
  t.match(stale.kind === 'challenge' ? stale.headers['WWW-Authenticate'] : '', /stale=true/);
  const fresh = await authenticate(register({ Authorization: alice() }), { realm: REALM, proxy: false, lookup: lookup(), nonces: NONCES });
  t.same(fresh, { kind: 'ok', username: 'alice' }, 'a fresh nonce works again');
});

t.test('credentials computed for another Request-URI are refused', async (t) => {
  const header = alice({ uri: 'sip:elsewhere.example' });
  const o = await authenticate(register({ Authorization: header }), { realm: REALM, proxy: false, lookup: lookup(), nonces: NONCES });
  t.same(o, { kind: 'failed', username: 'alice' });
});

t.test('a digest uri fits the Request-URI when equal, or when it is the same host without a user', async (t) => {
  t.ok(sameTarget('sip:102@10.0.0.1:5060', 'sip:102@10.0.0.1:5060'));
  t.ok(sameTarget('sip:10.0.0.1:5060', 'sip:102@10.0.0.1:5060'), 'host only (as sipp and some phones send)');
  t.notOk(sameTarget('sip:103@10.0.0.1:5060', 'sip:102@10.0.0.1:5060'), 'another number');
  t.notOk(sameTarget('sip:10.0.0.2:5060', 'sip:102@10.0.0.1:5060'), 'another host');
  t.notOk(sameTarget('nonsense', 'sip:102@10.0.0.1:5060'));
});
