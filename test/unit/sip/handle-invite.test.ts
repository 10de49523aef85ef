// ringpath's INVITE, OPTIONS and REGISTER handlers, driven in CI through a fake
// srf and the in-memory ports: the SIP status, the X-Reason code and the stored
// call record of real call handling, with no drachtio-server and no database.
import t from 'tap';
import { SIP_REASONS } from '../../../src/calls/reasons.ts';
import type { Scheme } from '../../../src/routing/types.ts';
import { EMPLOYEES, ANA, BORIS, CLIENT, PASSWORD, SAM, TRACKING, proxyAuthorization, sipHarness } from '../../support/sip-harness.ts';

const PHONE_IP: Record<string, string> = { ana: '198.51.100.1', boris: '198.51.100.2', sam: '198.51.100.3', quinn: '198.51.100.4' };
const ANONYMOUS = '"Anonymous" <sip:anonymous@anonymous.invalid>;tag=anon-1';
const final = (res: { final?: { status: number; headers: Record<string, string> } | undefined }) => [res.final?.status, res.final?.headers['X-Reason']];

t.test('an existing client is put through to their responsible manager, and the call is stored', async (t) => {
  const h = sipHarness({ mirror: { [CLIENT]: { status: 'found', contactOwnerId: 'owner-ana' } } });
  const { res } = await h.invite();
  t.equal(res.final?.status, 200, 'answered');
  t.same(h.srf.rung.map((r) => r.uri), ['sip:ana@198.51.100.1:5060'], "Ana's registered phone rang, nobody else");
  t.equal(h.callLog.calls.length, 1, 'one call stored');
  const call = h.callLog.calls[0]!;
  t.same(
    [call.direction, call.caller, call.callerWithheld, call.callee, call.disposition, call.answeredByEmployeeId, call.responsibleEmployeeId, call.unknownEmployee],
    ['inbound', CLIENT, false, TRACKING, 'answered', ANA.id, ANA.id, false],
  );
  t.equal(call.attribution.confidence, 'static', 'attributed to the static number');
  t.same(h.metrics.calls, ['inbound']);
});

t.test('a withheld caller is routed, answered and stored with a null caller', async (t) => {
  const h = sipHarness();
  const { res } = await h.invite({ from: ANONYMOUS });
  t.equal(res.final?.status, 200, 'answered');
  t.match(h.srf.rung[0]!.headers.From, /^<sip:anonymous@/, 'the phones see an anonymous caller');
  t.equal(h.callLog.calls.length, 1, 'the call is stored');
  const call = h.callLog.calls[0]!;
  t.same([call.caller, call.callerWithheld, call.disposition, call.answeredByEmployeeId], [null, true, 'answered', BORIS.id], 'new-client step answered');
  t.equal(call.responsibleEmployeeId, null, 'no responsible manager for a withheld caller');
});

t.test('an unreadable caller id is routed and stored too, not marked withheld', async (t) => {
  const h = sipHarness();
  await h.invite({ from: '<sip:12@192.0.2.10>;tag=x' });
  t.same(h.callLog.calls.map((c) => [c.caller, c.callerWithheld, c.callerRaw]), [[null, false, '<sip:12@192.0.2.10>;tag=x']]);
});

t.test('refusals: status and stable X-Reason, counted by code, nobody rung, nothing stored', async (t) => {
  // [case, INVITE, status, code]
  const rows: Array<[string, Parameters<ReturnType<typeof sipHarness>['invite']>[0], number, keyof typeof SIP_REASONS]> = [
    ['not a tracking number', { uri: 'sip:+380449999999@ringpath.example' }, 404, 'TRACKING_NUMBER_UNKNOWN'],
    ['an unreadable dialled number', { uri: 'sip:12@ringpath.example' }, 404, 'PHONE_INVALID'],
    ['an unknown URI scheme', { uri: 'nobodyknowsthisscheme:+380441234567@ringpath.example' }, 416, 'URI_SCHEME_UNSUPPORTED'],
    ['a source that is not the trunk', { source: '203.0.113.9' }, 403, 'SOURCE_NOT_ALLOWED'],
    ['a scanner, in any case', { headers: { 'User-Agent': 'SIPVicious/0.3.4' } }, 403, 'SCANNER'],
    ['a scanner in From', { from: '"friendly-scanner" <sip:100@192.0.2.10>;tag=1' }, 403, 'SCANNER'],
    ['no SDP offer', { body: '' }, 488, 'SDP_OFFER_REQUIRED'],
    ['a routing loop', { headers: { 'Max-Forwards': '0' } }, 483, 'TOO_MANY_HOPS'],
    ['no Call-ID', { headers: { 'Call-ID': '' } }, 400, 'MISSING_HEADER'],
  ];
  for (const [name, spec, status, code] of rows) {
    const h = sipHarness();
    const { res } = await h.invite(spec);
    t.same(final(res), [status, code], name);
    t.same([h.srf.rung.length, h.callLog.calls.length], [0, 0], `${name}: nobody rung, nothing stored`);
    t.same(h.metrics.rejections, [code], `${name}: counted under ${code}`);
  }
});

t.test('OPTIONS: scanners are refused in any case, anyone else gets 200', async (t) => {
  const h = sipHarness();
  for (const ua of ['SIPVicious/0.3.4', 'sipvicious', 'Friendly-Scanner', 'VaxSIPUserAgent/3.1']) {
    t.same(final(await h.options({ headers: { 'User-Agent': ua } })), [403, 'SCANNER'], ua);
  }
  t.equal((await h.options({ headers: { 'User-Agent': 'Yealink SIP-T46S' } })).final?.status, 200, 'a phone');
});

t.test('nobody answers: 480 NOBODY_ANSWERED, every step tried, the call stored as missed', async (t) => {
  const h = sipHarness({ legs: () => ({ kind: 'ring' }) });
  const { res } = await h.invite({ from: ANONYMOUS });
  t.same(final(res), [480, 'NOBODY_ANSWERED']);
  t.same(h.srf.rung.map((r) => r.outcome), ['cancelled', 'cancelled'], 'new clients, then the senior manager, each cancelled at its timeout');
  t.equal(h.callLog.calls[0]?.disposition, 'missed');
});

t.test('every destination busy: 486 ALL_DESTINATIONS_BUSY, stored as busy', async (t) => {
  const h = sipHarness({ legs: () => ({ kind: 'reject', status: 486 }) });
  const { res } = await h.invite();
  t.same(final(res), [486, 'ALL_DESTINATIONS_BUSY']);
  t.equal(h.callLog.calls[0]?.disposition, 'busy');
});

t.test('busy, then a step that rings out: 480, stored as missed', async (t) => {
  const h = sipHarness({ legs: (uri) => (uri.includes('boris') ? { kind: 'reject', status: 486 } : { kind: 'ring' }) });
  const { res } = await h.invite();
  t.same(final(res), [480, 'NOBODY_ANSWERED']);
  t.equal(h.callLog.calls[0]?.disposition, 'missed');
});

t.test('the caller hangs up while it rings: abandoned, no final response from ringpath', async (t) => {
  const h = sipHarness({ legs: () => ({ kind: 'ring' }) });
  const { req, res, done } = h.start();
  await new Promise((r) => setTimeout(r, 20));
  req.cancel();
  await done;
  t.equal(res.final, undefined, 'drachtio answers the CANCEL; ringpath sends nothing more');
  t.equal(h.srf.rung[0]?.outcome, 'cancelled', 'the ringing leg was cancelled');
  t.equal(h.callLog.calls[0]?.disposition, 'abandoned');
});

t.test('a call record that cannot be stored is retried, then logged with its Call-ID and counted', async (t) => {
  const h = sipHarness();
  h.callLog.failWith = new Error('database unreachable');
  const { res } = await h.invite({ callId: 'lost-call@192.0.2.10' });
  t.equal(res.final?.status, 200, 'the caller was still put through');
  t.same(h.metrics.lost, ['inbound'], 'counted');
  const line = h.logs.find((l) => l.level === 50);
  t.ok(line, 'an error line');
  t.equal(line?.callId, 'lost-call@192.0.2.10', 'naming the Call-ID');
  t.match(line?.callRecord, { sipCallId: 'lost-call@192.0.2.10', caller: CLIENT, disposition: 'answered' }, 'with the whole record');
  t.equal(h.logs.filter((l) => l.msg === 'storing the call record failed; retrying').length, 3, 'three attempts');
});

t.test('a record stored on a later attempt is not counted as lost', async (t) => {
  const h = sipHarness();
  h.callLog.failWith = new Error('a blip');
  const call = h.invite();
  setTimeout(() => (h.callLog.failWith = undefined), 50);
  await call;
  t.same([h.callLog.calls.length, h.metrics.lost.length], [1, 0]);
});

/** A phone's INVITE from the address it registered from (198.51.100.<employee id>), answering the challenge. */
async function phoneInvite(h: ReturnType<typeof sipHarness>, login: string, password: string, uri: string, source = PHONE_IP[login]!) {
  const from = `<sip:${login}@ringpath.local>;tag=p-1`;
  const first = await h.invite({ uri, from, source });
  const challenge = first.res.final?.headers['Proxy-Authenticate'];
  if (first.res.final?.status !== 407 || !challenge) return { first, second: undefined };
  const second = await h.invite({ uri, from, source, headers: { 'Proxy-Authorization': proxyAuthorization(challenge, login, password, 'INVITE', uri) } });
  return { first, second };
}

t.test('an authenticated phone calls out through the trunk with its priority tracking number', async (t) => {
  const h = sipHarness({ callerIds: { [ANA.id]: '+380442220000' } });
  const { first, second } = await phoneInvite(h, 'ana', PASSWORD, 'sip:0671234567@ringpath.local');
  t.same(final(first.res), [407, 'AUTHENTICATION_REQUIRED'], 'challenged first');
  t.equal(second?.res.final?.status, 200, 'answered');
  t.same(h.srf.rung.map((r) => [r.uri, r.proxy, r.headers.From]), [['sip:+380671234567@carrier.example', 'sip:carrier.example', '<sip:+380442220000@ringpath.local>']]);
  const call = h.callLog.calls[0]!;
  t.same([call.direction, call.caller, call.callee, call.placedByEmployeeId, call.answeredByEmployeeId, call.unknownEmployee], ['outbound', '+380442220000', '+380671234567', ANA.id, null, false]);
});

t.test('an outbound call with no caller id anywhere is stored all the same', async (t) => {
  const h = sipHarness();
  await phoneInvite(h, 'ana', PASSWORD, 'sip:+380671234567@ringpath.local');
  t.same(h.callLog.calls.map((c) => [c.direction, c.caller, c.callerWithheld, c.callee]), [['outbound', null, false, '+380671234567']]);
  t.match(h.srf.rung[0]!.headers.From, /^<sip:anonymous@/);
});

t.test('an extension rings that employee; the internal call is stored', async (t) => {
  const h = sipHarness({ unregistered: ['sam'] });
  const none = await phoneInvite(h, 'ana', PASSWORD, 'sip:103@ringpath.local');
  t.same(none.second && final(none.second.res), [480, 'NO_REACHABLE_DESTINATION'], 'Sam has no registered phone: nothing to ring');
  t.same([h.srf.rung.length, h.callLog.calls.length], [0, 0]);
  await h.registrations.save(SAM.id, [{ uri: 'sip:sam@198.51.100.9:5060', expires: 300 }], '198.51.100.9', undefined);
  const { second } = await phoneInvite(h, 'ana', PASSWORD, 'sip:103@ringpath.local');
  t.equal(second?.res.final?.status, 200);
  t.same(h.srf.rung.map((r) => r.uri), ['sip:sam@198.51.100.9:5060']);
  t.same(h.callLog.calls.map((c) => [c.direction, c.answeredByEmployeeId, c.placedByEmployeeId]), [['internal', SAM.id, ANA.id]]);
});

t.test('quality control cannot place calls', async (t) => {
  const h = sipHarness();
  const { second } = await phoneInvite(h, 'quinn', PASSWORD, 'sip:+380671234567@ringpath.local');
  t.same(second && final(second.res), [403, 'QUALITY_CONTROL_CANNOT_CALL']);
  t.same([h.srf.rung.length, h.callLog.calls.length], [0, 0]);
});

t.test('wrong passwords lock the address out, and the right one afterwards does not get in', async (t) => {
  const h = sipHarness({ authFailureLimit: 3 });
  for (let i = 1; i <= 3; i++) {
    const { second } = await phoneInvite(h, 'ana', 'wrong-password', 'sip:+380671234567@ringpath.local');
    t.same(second && final(second.res), [403, 'AUTHENTICATION_FAILED'], `wrong password ${i}`);
  }
  const locked = await phoneInvite(h, 'ana', PASSWORD, 'sip:+380671234567@ringpath.local');
  t.same(final(locked.first.res), [403, 'LOCKED_OUT'], 'locked out before any challenge');
  const again = await phoneInvite(h, 'ana', PASSWORD, 'sip:+380671234567@ringpath.local');
  t.same(final(again.first.res), [403, 'LOCKED_OUT'], 'still locked out');
  const elsewhere = await phoneInvite(h, 'boris', PASSWORD, 'sip:+380671234567@ringpath.local');
  t.equal(elsewhere.second?.res.final?.status, 200, "another address (Boris's phone) gets in");
  t.equal(h.srf.rung.length, 1, 'only that call rang');
});

t.test('REGISTER: lockout after wrong passwords, then the right one is refused too', async (t) => {
  const h = sipHarness({ authFailureLimit: 2, unregistered: ['ana'] });
  const register = async (password: string) => {
    const spec = { uri: 'sip:ringpath.local', from: '<sip:ana@ringpath.local>;tag=r', source: '198.51.100.20', headers: { To: '<sip:ana@ringpath.local>', Contact: '<sip:ana@198.51.100.20:5060>', Expires: '300' } };
    const first = await h.register(spec);
    const challenge = first.final?.headers['WWW-Authenticate'];
    if (!challenge) return first;
    const auth = proxyAuthorization(challenge, 'ana', password, 'REGISTER', 'sip:ringpath.local');
    return h.register({ ...spec, headers: { ...spec.headers, Authorization: auth } });
  };
  t.same(final(await register('nope')), [403, 'AUTHENTICATION_FAILED']);
  t.same(final(await register('nope')), [403, 'AUTHENTICATION_FAILED']);
  t.same(final(await register(PASSWORD)), [403, 'LOCKED_OUT']);
  t.same(await h.registrations.contactsOf('ana'), [], 'nothing registered');
});

t.test('REGISTER with the right password binds the contact', async (t) => {
  const h = sipHarness({ unregistered: ['ana'] });
  const spec = { uri: 'sip:ringpath.local', from: '<sip:ana@ringpath.local>;tag=r', source: '198.51.100.21', headers: { To: '<sip:ana@ringpath.local>', Contact: '<sip:ana@198.51.100.21:5060>', Expires: '300' } };
  const first = await h.register(spec);
  t.same(final(first), [401, undefined], 'challenged');
  const auth = proxyAuthorization(first.final!.headers['WWW-Authenticate']!, 'ana', PASSWORD, 'REGISTER', 'sip:ringpath.local');
  const ok = await h.register({ ...spec, headers: { ...spec.headers, Authorization: auth } });
  t.equal(ok.final?.status, 200);
  t.same((await h.registrations.contactsOf('ANA')).map((c) => c.contactUri), ['sip:ana@198.51.100.21:5060']);
});

t.test('the dial plan: a premium number is refused 403 DIAL_PLAN_BLOCKED, the trunk sees nothing, the call is stored as blocked', async (t) => {
  const h = sipHarness({ callerIds: { [ANA.id]: '+380442220000' } });
  const { second } = await phoneInvite(h, 'ana', PASSWORD, 'sip:+979123456789@ringpath.local');
  t.same(second && final(second.res), [403, 'DIAL_PLAN_BLOCKED']);
  t.equal(h.srf.rung.length, 0, 'nothing sent to the trunk');
  t.same(h.callLog.calls.map((c) => [c.direction, c.disposition, c.callee, c.caller, c.placedByEmployeeId]), [['outbound', 'blocked', '+979123456789', '+380442220000', ANA.id]]);
  t.same([h.metrics.blocked, h.metrics.rejections.filter((r) => r !== 'AUTHENTICATION_REQUIRED')], [['prefix'], ['DIAL_PLAN_BLOCKED']]);
});

t.test('the dial plan: a foreign number is refused by default', async (t) => {
  const h = sipHarness();
  const { second } = await phoneInvite(h, 'ana', PASSWORD, 'sip:+14155550100@ringpath.local');
  t.same(second && final(second.res), [403, 'DIAL_PLAN_BLOCKED']);
  t.same([h.srf.rung.length, h.metrics.blocked], [0, ['country']]);
});

t.test('the dial plan: new outbound calls per account per minute are capped', async (t) => {
  const h = sipHarness({ settings: { dial_plan_calls_per_minute: 2 } });
  const statuses = [];
  for (let i = 0; i < 3; i++) statuses.push(final((await phoneInvite(h, 'ana', PASSWORD, 'sip:+380671234567@ringpath.local')).second!.res));
  t.same(statuses, [[200, undefined], [200, undefined], [403, 'DIAL_PLAN_BLOCKED']]);
  t.same(h.metrics.blocked, ['rate']);
  t.equal(h.srf.rung.length, 2, 'the third never reached the trunk');
  const other = await phoneInvite(h, 'boris', PASSWORD, 'sip:+380671234567@ringpath.local');
  t.equal(other.second?.res.final?.status, 200, 'another account has its own count');
});

t.test('new clients by round robin: each call starts with the next receiver, and the turn is saved', async (t) => {
  const employees = EMPLOYEES.map((e) => (e.id === ANA.id || e.id === BORIS.id ? { ...e, receivesNewClients: true } : e));
  const rr: Scheme = { id: 2, steps: [{ type: 'new_client_distribution', mode: 'round_robin', ringTimeoutS: 0.05 }] };
  const h = sipHarness({ employees, schemes: [{ ...rr, id: 1 }] });
  const first: string[] = [];
  for (let i = 0; i < 4; i++) {
    const before = h.srf.rung.length;
    await h.invite({ from: `<sip:+38050111000${i}@192.0.2.10>;tag=${i}` });
    first.push(h.srf.rung[before]!.uri);
  }
  t.same(first, ['sip:ana@198.51.100.1:5060', 'sip:boris@198.51.100.2:5060', 'sip:ana@198.51.100.1:5060', 'sip:boris@198.51.100.2:5060'], 'turns alternate');
  t.same(h.roundRobin.position(100), { lastEmployeeId: BORIS.id, turns: 4 }, 'every turn saved');
  t.same(h.callLog.calls.map((c) => c.answeredByEmployeeId), [ANA.id, BORIS.id, ANA.id, BORIS.id]);
});
