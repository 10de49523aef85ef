// The dialled number, the caller and a dialled extension, from what a carrier or a phone sends.
import t from 'tap';
import { callerNumber, dialledNumber } from '../../../src/sip/middleware/numbers.ts';
import { fakeRequest } from './fake-request.ts';

const TN = '+380441234567';

t.test('the dialled number: the Request-URI user, else To', async (t) => {
  // [case, Request-URI, To, E.164 or undefined when refused]
  const rows: Array<[string, string, string | undefined, string | undefined]> = [
    ['E.164 in the Request-URI', `sip:${TN}@ringpath.example`, undefined, TN],
    ['user=phone and other parameters', `sip:${TN}@10.0.0.1:5060;user=phone;transport=udp`, '<sip:x@y>', TN],
    ['a national number read in the default country', 'sip:0441234567@ringpath.example', undefined, TN],
    ['international prefix 00', 'sip:00380441234567@ringpath.example', undefined, TN],
    ['%-encoded plus', 'sip:%2B380441234567@ringpath.example', undefined, TN],
    ['visual separators', 'sip:+38-044-123-45-67@ringpath.example', undefined, TN],
    ['a tel: URI', `tel:${TN}`, undefined, TN],
    ['sips:', `sips:${TN}@ringpath.example`, undefined, TN],
    ['no digits in the Request-URI: To is read', 'sip:ringpath@ringpath.example', `<sip:${TN}@ringpath.example>`, TN],
    ['To with a display name and tag', 'sip:trunk@10.0.0.1', `"Sales" <sip:${TN}@carrier>;tag=9`, TN],
    ['a Request-URI with digits wins over To', 'sip:+380449999999@ringpath.example', `<sip:${TN}@x>`, '+380449999999'],
    ['no digits anywhere', 'sip:ringpath@ringpath.example', '<sip:sales@ringpath.example>', undefined],
    ['no digits and no To', 'sip:ringpath@ringpath.example', undefined, undefined],
    ['too short', 'sip:12@ringpath.example', undefined, undefined],
    ['far too long', `sip:+${'9'.repeat(400)}@ringpath.example`, undefined, undefined],
    ['a bad %-escape', 'sip:%E0%A4%A@ringpath.example', '<sip:%ZZ@x>', undefined],
    ['an unterminated To', 'sip:ringpath@ringpath.example', `<sip:${TN}@ringpath.example`, undefined],
    ['not a URI at all', 'garbage', undefined, undefined],
    ['an empty Request-URI', '', undefined, undefined],
  ];
  for (const [name, uri, to, e164] of rows) {
    const r = dialledNumber(fakeRequest(uri, { To: to }), 'UA');
    if (e164 === undefined) {
      t.equal(r.ok, false, `${name}: refused`);
      if (!r.ok) t.ok(r.message.length > 0 && r.message.length < 300, `${name}: a short reason (${r.message})`);
    } else {
      t.same(r.ok ? r.e164 : r.message, e164, name);
    }
  }
});

t.test('the dialled number keeps what it was read from', async (t) => {
  const uri = `sip:${TN}@ringpath.example`;
  t.same(dialledNumber(fakeRequest(uri), 'UA'), { ok: true, e164: TN, raw: uri });
  const to = `<sip:${TN}@ringpath.example>`;
  t.same(dialledNumber(fakeRequest('sip:trunk@h', { To: to }), 'UA'), { ok: true, e164: TN, raw: to });
});

t.test('the caller: P-Asserted-Identity, else From', async (t) => {
  const CALLER = '+380501234567';
  // [case, P-Asserted-Identity, From, E.164 or undefined]
  const rows: Array<[string, string | undefined, string | undefined, string | undefined]> = [
    ['From', undefined, `<sip:${CALLER}@carrier.example>;tag=1`, CALLER],
    ['From with a display name', undefined, `"Alice" <sip:${CALLER}@carrier.example;user=phone>;tag=1`, CALLER],
    ['From with a national number', undefined, '<sip:0501234567@carrier.example>;tag=1', CALLER],
    ['P-Asserted-Identity wins over From', `<sip:${CALLER}@carrier.example>`, '<sip:+380671112233@carrier.example>;tag=1', CALLER],
    ['a tel: P-Asserted-Identity', `<tel:${CALLER}>`, '<sip:anonymous@anonymous.invalid>;tag=1', CALLER],
    ['withheld (RFC 3323)', undefined, '"Anonymous" <sip:anonymous@anonymous.invalid>;tag=1', undefined],
    ['withheld in words', undefined, '<sip:restricted@carrier.example>;tag=1', undefined],
    ['neither header', undefined, undefined, undefined],
    ['an unterminated From', undefined, `<sip:${CALLER}@carrier.example;tag=1`, undefined],
    ['a From that is not a URI', undefined, '@@@;;;<<<', undefined],
    ['a From of 100 kB', undefined, `<sip:${'1'.repeat(100_000)}@h>`, undefined],
  ];
  for (const [name, pai, from, e164] of rows) {
    const r = callerNumber(fakeRequest('sip:x@y', { 'P-Asserted-Identity': pai, From: from }), 'UA');
    t.equal(r.ok ? r.e164 : undefined, e164, name);
    t.equal(r.raw, pai ?? from ?? '', `${name}: raw is the header read`);
  }
});

t.test('a withheld caller is told apart from an unreadable one', async (t) => {
  // [case, From, withheld]
  const rows: Array<[string, string, boolean]> = [
    ['RFC 3323 anonymous', '"Anonymous" <sip:anonymous@anonymous.invalid>;tag=1', true],
    ['restricted', '<sip:restricted@carrier.example>;tag=1', true],
    ['garbage', '@@@;;;<<<', false],
    ['too short', '<sip:12@carrier.example>;tag=1', false],
  ];
  for (const [name, from, withheld] of rows) {
    const r = callerNumber(fakeRequest('sip:x@y', { From: from }), 'UA');
    t.equal(r.ok, false, `${name}: no number`);
    if (!r.ok) t.equal(r.withheld, withheld, `${name}: withheld ${withheld}`);
  }
});
