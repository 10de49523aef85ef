// Malformed SIP end to end: requests with missing or garbled headers, bad SDP and
// very long URIs. Each is refused with a 4xx (by drachtio-server's parser, or by
// ringpath with an X-Reason) or dropped by drachtio-server; afterwards ringpath is
// healthy, a normal call still works, and no call row or dialog was left behind.
import dgram from 'node:dgram';
import t, { type Test } from 'tap';
import { testDatabase } from '../support/db.ts';
import { employee, lastCall, scheme, sipUriDestination, staticNumber, waitForCalls } from '../support/sip-fixtures.ts';
import { runSipp, sipUnavailable, startDrachtio, startSipRingpath, startSipp, type SippResult } from '../support/sip.ts';

const skip = sipUnavailable();
t.setTimeout(5 * 60_000);
const TRACKING = '+380441234567';
const CALLER = '+380501234567';

/** Scenarios in sip/scenarios: who answers is in each file's "expect" comment. */
const ANSWERED_BY_DRACHTIO = [
  'uac-malformed-missing-cseq-expect-400.xml',
  'uac-malformed-missing-from-expect-400.xml',
  'uac-malformed-content-length-expect-400.xml',
  'uac-malformed-sip-version-expect-505.xml',
  'uac-register-garbled-contact-expect-400.xml',
];
const DROPPED_BY_DRACHTIO = ['uac-malformed-no-via-expect-no-answer.xml'];
const ANSWERED_BY_RINGPATH = [
  'uac-malformed-long-uri-expect-414.xml',
  'uac-malformed-bad-sdp-expect-488.xml',
  'uac-malformed-sdp-expect-488.xml',
];

/**
 * Sends one datagram and collects the distinct answers within `waitMs`, each as its
 * status line plus its X-Reason when it has one. For what sipp cannot send or
 * match: answers without a Call-ID, To or CSeq, and what is not SIP at all.
 */
function datagram(port: number, build: (localPort: number) => string, waitMs = 1000): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket('udp4');
    const answers = new Set<string>();
    socket.on('message', (m) => {
      const lines = m.toString('latin1').split('\r\n');
      const reason = lines.find((l) => /^X-Reason:/i.test(l));
      answers.add(reason ? `${lines[0]} | ${reason}` : (lines[0] ?? ''));
    });
    socket.on('error', reject);
    socket.bind(0, '127.0.0.1', () => {
      socket.send(build(socket.address().port), port, '127.0.0.1');
      setTimeout(() => socket.close(() => resolve([...answers].filter((a) => !a.includes(' 100 ')))), waitMs);
    });
  });
}

/** A carrier INVITE with some headers replaced, or left out when the value is undefined. */
function rawInvite(localPort: number, sipPort: number, opts: { uri?: string; headers?: Record<string, string | undefined>; requestLine?: string; method?: string } = {}): string {
  const sdp = ['v=0', 'o=raw 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', 'm=audio 4000 RTP/AVP 0', ''].join('\r\n');
  const headers: Record<string, string | undefined> = {
    Via: `SIP/2.0/UDP 127.0.0.1:${localPort};branch=z9hG4bK-raw-${Date.now()}`,
    From: `<sip:${CALLER}@127.0.0.1:${localPort}>;tag=raw`,
    To: `<sip:${TRACKING}@127.0.0.1:${sipPort}>`,
    'Call-ID': `raw-${Date.now()}@127.0.0.1`,
    CSeq: '1 INVITE',
    Contact: `<sip:${CALLER}@127.0.0.1:${localPort}>`,
    'Max-Forwards': '70',
    'Content-Type': 'application/sdp',
    'Content-Length': String(Buffer.byteLength(sdp)),
    ...opts.headers,
  };
  const lines = Object.entries(headers).flatMap(([name, value]) => (value === undefined ? [] : [`${name}: ${value}`]));
  const method = opts.method ?? 'INVITE';
  const requestLine = opts.requestLine ?? `${method} ${opts.uri ?? `sip:${TRACKING}@127.0.0.1:${sipPort}`} SIP/2.0`;
  return [requestLine, ...lines, '', method === 'INVITE' ? sdp : ''].join('\r\n');
}

const passed = (t: Test, r: SippResult, what: string) =>
  t.equal(r.code, 0, `${what}${r.code === 0 ? '' : `\n${r.errors}\n${r.output.slice(-1500)}`}`);

t.test('malformed SIP', { skip: skip ?? false }, async (t) => {
  const drachtio = await startDrachtio(t);
  const db = await testDatabase(t);
  const ringpath = await startSipRingpath(t, drachtio, db.url);
  const target = `127.0.0.1:${drachtio.sipPort}`;
  const alice = await employee(db.pool, 'Alice');
  await staticNumber(db.pool, TRACKING, await scheme(db.pool, 'simple', [{ type: 'employees', employeeIds: [alice] }]));
  const call = (t: Test, scenario: string) =>
    runSipp(t, { scenario, target, service: TRACKING, keys: { caller: CALLER }, pauseMs: 300, timeoutS: 20 });

  t.test('refused by drachtio-server before ringpath sees them', async (t) => {
    for (const scenario of ANSWERED_BY_DRACHTIO) passed(t, await call(t, scenario), scenario);
    const raw = (headers: Record<string, string | undefined>, uri?: string) =>
      datagram(drachtio.sipPort, (port) => rawInvite(port, drachtio.sipPort, { headers, ...(uri ? { uri } : {}) }));
    t.same(await raw({ 'Call-ID': undefined }), ['SIP/2.0 400 Bad Request'], 'no Call-ID');
    t.same(await raw({ To: undefined }), ['SIP/2.0 400 Bad Request'], 'no To');
    t.same(await raw({ To: '%%% not an address %%%' }), ['SIP/2.0 400 Bad To Header'], 'a garbled To');
    t.same(await raw({ From: '' }), ['SIP/2.0 400 Bad From Header'], 'an empty From');
    t.same(await raw({ CSeq: 'one INVITE' }), ['SIP/2.0 400 Bad CSeq Header'], 'a CSeq without a number');
    t.same(await raw({ CSeq: '1 BYE' }), ['SIP/2.0 400 Bad Request'], 'a CSeq naming another method');
    t.same(await raw({ 'Content-Length': 'many' }), ['SIP/2.0 400 Bad Content-Length Header'], 'a garbled Content-Length');
    t.same(await raw({ 'X-Junk': 'a\u0000b' }), ['SIP/2.0 400 Bad Request'], 'a NUL in a header');
    const huge = `sip:${TRACKING}@127.0.0.1:${drachtio.sipPort};x=${'a'.repeat(12_000)}`;
    t.same(await raw({}, huge), ['SIP/2.0 400 Bad Request'], 'a 12 kB Request-URI');
  });

  t.test('dropped by drachtio-server without an answer', async (t) => {
    for (const scenario of DROPPED_BY_DRACHTIO) passed(t, await call(t, scenario), scenario);
    t.same(await datagram(drachtio.sipPort, () => '\u0001\u0002\u00ff not SIP at all\r\n\r\n', 2000), [], 'binary junk');
    t.same(await datagram(drachtio.sipPort, (port) => rawInvite(port, drachtio.sipPort, { headers: { Via: undefined } }), 2000), [], 'no Via');
  });

  t.test('refused by ringpath with a 4xx and an X-Reason', async (t) => {
    for (const scenario of ANSWERED_BY_RINGPATH) passed(t, await call(t, scenario), scenario);
    const emptyCallId = await datagram(drachtio.sipPort, (port) => rawInvite(port, drachtio.sipPort, { headers: { 'Call-ID': '' } }));
    t.same(emptyCallId, ['SIP/2.0 400 Bad Request | X-Reason: MISSING_HEADER'], 'an empty Call-ID (drachtio lets it through)');
    const raw = (opts: Parameters<typeof rawInvite>[2], waitMs?: number) => datagram(drachtio.sipPort, (port) => rawInvite(port, drachtio.sipPort, opts), waitMs);
    t.same(
      await raw({ uri: `nobodyknowsthisscheme:${TRACKING}@127.0.0.1:${drachtio.sipPort}` }),
      ['SIP/2.0 416 Unsupported URI Scheme | X-Reason: URI_SCHEME_UNSUPPORTED'],
      'an unknown Request-URI scheme: 416, never read from To',
    );
    const options = (userAgent: string) =>
      raw({ method: 'OPTIONS', headers: { 'User-Agent': userAgent, CSeq: '1 OPTIONS', 'Content-Type': undefined, 'Content-Length': '0' } });
    t.same(await options('SIPVicious/0.3.4'), ['SIP/2.0 603 Decline'], 'an OPTIONS from SIPVicious in its own capitals: declined by drachtio-server');
    t.same(await options('sIpViCiOuS/0.3.4'), ['SIP/2.0 403 Forbidden | X-Reason: SCANNER'], 'in a casing drachtio-server does not list: 403 from ringpath');
    for (const [what, requestLine] of [
      ['two spaces after the method', `INVITE  sip:${TRACKING}@127.0.0.1:${drachtio.sipPort} SIP/2.0`],
      ['two spaces before the version', `INVITE sip:${TRACKING}@127.0.0.1:${drachtio.sipPort}  SIP/2.0`],
    ] as const) {
      t.same(await raw({ requestLine }, 2000), ['SIP/2.0 400 Bad Request | X-Reason: MALFORMED_REQUEST'], `${what}: a final 400, not 100 Trying alone`);
    }
  });

  t.test('ringpath is still healthy: a normal call works and nothing leaked', async (t) => {
    for (const path of ['/healthz', '/readyz']) t.equal((await fetch(`${ringpath.url}${path}`)).status, 200, path);
    t.equal((await db.pool.query('SELECT count(*)::int AS n FROM calls')).rows[0].n, 0, 'no call row for any refused request');
    const phone = await startSipp(t, { scenario: 'uas-answer.xml', calls: 1, pauseMs: 200 });
    await sipUriDestination(db.pool, alice, `sip:alice@127.0.0.1:${phone.port}`);
    passed(t, await call(t, 'uac-inbound-expect-200.xml'), 'a normal call');
    passed(t, await phone.done, 'the employee answered');
    await waitForCalls(db.pool, 1);
    t.equal((await db.pool.query('SELECT count(*)::int AS n FROM calls')).rows[0].n, 1, 'exactly the one normal call');
    t.equal((await lastCall(db.pool)).disposition, 'answered', 'answered');
    // drachtio-srf keeps every open dialog in a private map; it must be empty once the call has ended
    const dialogs = (ringpath.sip!.srf as unknown as { _dialogs?: Map<string, unknown> })._dialogs;
    t.ok(dialogs instanceof Map, 'drachtio-srf still keeps its dialogs in _dialogs');
    const start = Date.now();
    while ((dialogs?.size ?? 0) > 0 && Date.now() - start < 5000) await new Promise((r) => setTimeout(r, 100));
    t.equal(dialogs?.size, 0, 'no dialog left open');
  });
});
