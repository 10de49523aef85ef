// The checks every INVITE (and REGISTER) passes before ringpath reads it.
import t from 'tap';
import {
  MAX_REQUEST_URI_LENGTH,
  REQUIRED_HEADERS,
  hasSdpOffer,
  inviteProblem,
  missingHeader,
  requestUriProblem,
  requiredHeadersProblem,
} from '../../../src/sip/middleware/request-checks.ts';
import { fakeRequest, INVITE_HEADERS, SDP } from './fake-request.ts';

const URI = 'sip:+380441234567@ringpath.example';
const without = (name: string) => Object.fromEntries(Object.entries(INVITE_HEADERS).filter(([k]) => k !== name));
const invite = (over: { uri?: string; headers?: Record<string, string | undefined>; body?: string } = {}) =>
  fakeRequest(over.uri ?? URI, over.headers ?? INVITE_HEADERS, { body: 'body' in over ? over.body! : SDP });

t.test('a well-formed INVITE passes', async (t) => {
  t.equal(inviteProblem(invite()), undefined);
  t.equal(missingHeader(invite()), undefined);
});

t.test('each required header missing or empty: 400 naming it', async (t) => {
  t.same(REQUIRED_HEADERS, ['Call-ID', 'From', 'To', 'CSeq']);
  for (const h of REQUIRED_HEADERS) {
    t.same(inviteProblem(invite({ headers: without(h) })), { status: 400, code: 'MISSING_HEADER', detail: `missing ${h} header` }, `${h} missing`);
    t.same(inviteProblem(invite({ headers: { ...INVITE_HEADERS, [h]: '' } })), { status: 400, code: 'MISSING_HEADER', detail: `missing ${h} header` }, `${h} empty`);
  }
  const none = fakeRequest(URI, {}, { body: SDP });
  t.equal(missingHeader(none), 'Call-ID', 'the first one missing is named');
});

t.test('header names are matched as drachtio does, whatever their case', async (t) => {
  const lower = Object.fromEntries(Object.entries(INVITE_HEADERS).map(([k, v]) => [k.toLowerCase(), v]));
  t.equal(inviteProblem(invite({ headers: lower })), undefined);
});

t.test('REGISTER needs the same headers (and no SDP)', async (t) => {
  const register = fakeRequest('sip:ringpath.example', { ...without('Content-Type'), CSeq: '1 REGISTER' }, { method: 'REGISTER' });
  t.equal(requiredHeadersProblem(register), undefined);
  t.same(requiredHeadersProblem(fakeRequest('sip:ringpath.example', without('CSeq'), { method: 'REGISTER' })), {
    status: 400,
    code: 'MISSING_HEADER',
    detail: 'missing CSeq header',
  });
});

t.test('a Request-URI over the limit: 414', async (t) => {
  const at = (n: number) => `sip:${'9'.repeat(n - 'sip:@ringpath.example'.length)}@ringpath.example`;
  t.equal(at(MAX_REQUEST_URI_LENGTH).length, MAX_REQUEST_URI_LENGTH);
  t.equal(inviteProblem(invite({ uri: at(MAX_REQUEST_URI_LENGTH) })), undefined, 'exactly at the limit passes');
  t.same(inviteProblem(invite({ uri: at(MAX_REQUEST_URI_LENGTH + 1) })), { status: 414, code: 'REQUEST_URI_TOO_LONG', detail: `${MAX_REQUEST_URI_LENGTH + 1} characters` });
  t.same(inviteProblem(invite({ uri: `sip:${'x'.repeat(100_000)}@h` })), { status: 414, code: 'REQUEST_URI_TOO_LONG', detail: `${100_000 + 'sip:@h'.length} characters` }, '100 kB');
  t.equal(inviteProblem(invite({ uri: at(2000), headers: without('From') }))?.status, 400, 'missing headers are reported first');
});

t.test('anything but an SDP offer in the body: 488', async (t) => {
  const sdp488 = { status: 488, code: 'SDP_OFFER_REQUIRED' };
  const rows: Array<[string, string | undefined, string | undefined, boolean]> = [
    // [case, Content-Type, body, accepted?]
    ['an SDP offer', 'application/sdp', SDP, true],
    ['Content-Type with parameters, any case', 'Application/SDP; charset=utf-8', SDP, true],
    ['no body (late offer)', 'application/sdp', undefined, false],
    ['an empty body', 'application/sdp', '', false],
    ['no Content-Type', undefined, SDP, false],
    ['a text body', 'text/plain', 'this is not sdp', false],
    ['SDP labelled as text', 'text/plain', SDP, false],
    ['garbage labelled as SDP', 'application/sdp', 'hello\r\nworld\r\n', false],
    ['v=0 not at the start of a line', 'application/sdp', 'xv=0\r\ns=-\r\n', false],
    ['binary junk', 'application/sdp', '\u0000\u0001\u00ff\ufffd', false],
    ['v=0 and nothing else', 'application/sdp', 'v=0\r\n', false],
    ['no media line', 'application/sdp', 'v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nc=IN IP4 192.0.2.10\r\nt=0 0\r\n', false],
    ['a garbled media line', 'application/sdp', SDP.replace('m=audio 4000 RTP/AVP 0 8', 'm=audio lots RTP/AVP'), false],
    ['no connection address', 'application/sdp', SDP.replace('c=IN IP4 192.0.2.10\r\n', ''), false],
    ['a garbled connection line', 'application/sdp', SDP.replace('c=IN IP4 192.0.2.10', 'c=nowhere'), false],
    ['SDP inside multipart', 'multipart/mixed;boundary=x', `--x\r\nContent-Type: application/sdp\r\n\r\n${SDP}--x--\r\n`, false],
    ['application/sdpx is another type', 'application/sdpx', SDP, false],
    ['connection at media level only, IPv6', 'application/sdp', 'v=0\no=- 1 1 IN IP6 ::1\ns=-\nt=0 0\nm=audio 4000/2 RTP/SAVPF 111\nc=IN IP6 2001:db8::1\n', true],
    ['T.38 fax', 'application/sdp', 'v=0\r\ns=-\r\nc=IN IP4 192.0.2.10\r\nt=0 0\r\nm=image 4002 udptl t38\r\n', true],
  ];
  for (const [name, contentType, body, ok] of rows) {
    const req = invite({ headers: { ...INVITE_HEADERS, 'Content-Type': contentType }, body });
    t.equal(hasSdpOffer(req), ok, name);
    t.same(inviteProblem(req), ok ? undefined : sdp488, `${name}: ${ok ? 'passes' : '488'}`);
  }
});

t.test('an INVITE whose Max-Forwards is used up is refused with 483 (a loop)', async (t) => {
  const { inviteProblem } = await import('../../../src/sip/middleware/request-checks.ts');
  const { fakeRequest } = await import('./fake-request.ts');
  const sdp = 'v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n';
  const headers = { 'Call-ID': 'x', From: '<sip:a@b>;tag=1', To: '<sip:c@d>', CSeq: '1 INVITE', 'Content-Type': 'application/sdp' };
  t.same(inviteProblem(fakeRequest('sip:+380441234567@x', { ...headers, 'Max-Forwards': '0' }, { body: sdp })), { status: 483, code: 'TOO_MANY_HOPS' });
  t.equal(inviteProblem(fakeRequest('sip:+380441234567@x', { ...headers, 'Max-Forwards': '70' }, { body: sdp })), undefined);
});

t.test('a Request-URI ringpath cannot read: 416, never read from To instead', async (t) => {
  // [case, Request-URI, refused]
  const rows: Array<[string, string, boolean]> = [
    ['sip:', 'sip:+380441234567@ringpath.example', false],
    ['sips:', 'sips:+380441234567@ringpath.example:5061', false],
    ['tel:', 'tel:+380441234567', false],
    ['scheme in capitals', 'SIP:+380441234567@ringpath.example', false],
    ['an unknown scheme', 'nobodyknowsthisscheme:+380441234567@ringpath.example', true],
    ['http:', 'http://ringpath.example/', true],
    ['no scheme at all', '+380441234567@ringpath.example', true],
    ['a scheme and nothing else', 'sip:', true],
    ['spaces inside', 'sip:+380441234567 @ringpath.example', true],
    ['empty', '', true],
  ];
  for (const [name, uri, refused] of rows) {
    const problem = inviteProblem(invite({ uri }));
    t.same(problem && { status: problem.status, code: problem.code }, refused ? { status: 416, code: 'URI_SCHEME_UNSUPPORTED' } : undefined, name);
    t.equal(requestUriProblem(uri)?.status, refused ? 416 : undefined, `${name}: on its own`);
  }
});
