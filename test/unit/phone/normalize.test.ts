// Table-driven tests of the phone module (SPEC §7). The tables are in ./cases/.
import t from 'tap';
import { isE164, isSupportedCountry, normalizePhone, type PhoneRejection } from '../../../src/phone/index.ts';
import { brazil, canada, mexico, unitedStates } from './cases/americas.ts';
import { australia, india, japan } from './cases/asia-pacific.ts';
import { kazakhstan, russia, ukraine } from './cases/cis.ts';
import { france, germany, italy, netherlands, poland, spain, unitedKingdom } from './cases/europe.ts';
import { rejections } from './cases/rejections.ts';
import type { ValidCase } from './cases/types.ts';

const valid: Record<string, ValidCase[]> = {
  ukraine,
  russia,
  kazakhstan,
  unitedKingdom,
  germany,
  france,
  spain,
  italy,
  poland,
  netherlands,
  unitedStates,
  canada,
  mexico,
  brazil,
  india,
  japan,
  australia,
};

const REASONS: readonly PhoneRejection[] = [
  'EMPTY',
  'ANONYMOUS',
  'NOT_A_NUMBER',
  'MALFORMED',
  'TOO_SHORT',
  'TOO_LONG',
  'INVALID_COUNTRY',
  'INVALID_NUMBER',
];

const label = (input: string, country: string | undefined) =>
  `${JSON.stringify(input.length > 60 ? `${input.slice(0, 60)}…` : input)} in ${country ?? '(no country)'}`;

t.test('the tables are big and broad enough', async (t) => {
  const all = Object.values(valid).flat();
  t.ok(all.length >= 80, `${all.length} valid cases`);
  t.ok(rejections.length >= 20, `${rejections.length} rejection cases`);
  const countries = new Set<string>();
  for (const [input, country] of all) {
    const r = normalizePhone(input, { defaultCountry: country });
    if (r.ok && r.country !== undefined) countries.add(r.country);
  }
  t.ok(countries.size >= 10, `numbers of ${countries.size} countries: ${[...countries].sort().join(' ')}`);
  t.same(new Set(rejections.map(([, , reason]) => reason)), new Set(REASONS), 'every reason code is exercised');
  t.strictSame(all.filter(([, , e164]) => !isE164(e164)), [], 'every expected value is E.164');
  // Each expected value, read on its own, is a valid number that stays as it is.
  const unstable = all.filter(([, , e164]) => {
    const r = normalizePhone(e164);
    return !r.ok || r.e164 !== e164;
  });
  t.strictSame(unstable, [], 'every expected value is itself a valid number');
});

for (const [group, cases] of Object.entries(valid)) {
  t.test(`valid: ${group}`, async (t) => {
    for (const [input, country, e164, extension] of cases) {
      const r = normalizePhone(input, { defaultCountry: country });
      const got = r.ok ? { e164: r.e164, extension: r.extension } : { rejected: r.reason, message: r.message };
      t.strictSame(got, { e164, extension }, label(input, country));
    }
  });
}

t.test('rejections carry a stable reason and a one-line human message', async (t) => {
  for (const [input, country, reason] of rejections) {
    const r = normalizePhone(input, country === undefined ? {} : { defaultCountry: country });
    t.strictSame(r.ok ? { accepted: r.e164 } : { reason: r.reason }, { reason }, label(input, country));
    if (!r.ok) {
      t.ok(r.message.length > 10 && r.message.length < 300 && !/[\r\n]/.test(r.message), `message of ${label(input, country)}: ${r.message}`);
    }
  }
});

t.test('messages say what is wrong', async (t) => {
  const message = (input: string, country = 'UA') => {
    const r = normalizePhone(input, { defaultCountry: country });
    return r.ok ? `accepted as ${r.e164}` : r.message;
  };
  t.match(message('anonymous'), /withheld/);
  t.match(message('sip:alice@pbx.example'), /SIP user "alice" is not numeric/);
  t.match(message('sip:%2G1@h'), /malformed %-escape/);
  t.match(message('12'), /too short/);
  t.match(message('+380 00 000 0000'), /not a valid phone number in UA/);
  t.match(message('0501234567', 'ZZ'), /unknown default country "ZZ"/);
  t.match(message('00 1 555 0100'), /read as \+15550100/);
  t.match(message('x'.repeat(5000)), /too long/);
  t.ok(message('x'.repeat(5000)).length < 200, 'a huge input does not make a huge message');
});

t.test('the national reading wins when it is valid', async (t) => {
  // With default UA, "380..." is the UA country code; with DE, 33612345678 is a German
  // number (see the tables); with US the same digits are a French mobile.
  t.match(normalizePhone('380501234567', { defaultCountry: 'UA' }), { ok: true, e164: '+380501234567' });
  t.match(normalizePhone('33612345678', { defaultCountry: 'DE' }), { ok: true, e164: '+4933612345678', country: 'DE' });
  t.match(normalizePhone('33612345678', { defaultCountry: 'US' }), { ok: true, e164: '+33612345678', country: 'FR' });
  // 011 is the international prefix only in NANP countries: in India it is Delhi.
  t.match(normalizePhone('011 2345 6789', { defaultCountry: 'IN' }), { ok: true, e164: '+911123456789' });
  t.match(normalizePhone('011 44 20 7946 0018', { defaultCountry: 'US' }), { ok: true, e164: '+442079460018' });
});

t.test('country and extension are reported', async (t) => {
  t.strictSame(normalizePhone('tel:+1-201-555-0123;ext=12', { defaultCountry: 'UA' }), {
    ok: true,
    e164: '+12015550123',
    country: 'US',
    extension: '12',
  });
  t.strictSame(normalizePhone('(416) 555-0123', { defaultCountry: 'US' }), {
    ok: true,
    e164: '+14165550123',
    country: 'CA',
    extension: undefined,
  });
  // An ;ext= parameter wins over an extension written into the number.
  t.match(normalizePhone('tel:+12015550123x9;ext=12'), { ok: true, extension: '12' });
});

t.test('+ numbers need no default country; the default country is case-insensitive', async (t) => {
  t.match(normalizePhone('+380 50 123 45 67'), { ok: true, e164: '+380501234567' });
  t.match(normalizePhone('011 44 20 7946 0018'), { ok: true, e164: '+442079460018' });
  t.match(normalizePhone('0501234567', { defaultCountry: 'ua' }), { ok: true, e164: '+380501234567' });
  t.match(normalizePhone('0501234567', { defaultCountry: '' }), { ok: false, reason: 'INVALID_COUNTRY' });
});

t.test('isSupportedCountry and isE164', async (t) => {
  for (const cc of ['UA', 'US', 'GB', 'KZ', 'BR']) t.ok(isSupportedCountry(cc), cc);
  for (const cc of ['ZZ', 'ua', 'UKR', '', '1']) t.notOk(isSupportedCountry(cc), JSON.stringify(cc));
  for (const s of ['+380501234567', '+12015550123', '+4915123456789']) t.ok(isE164(s), s);
  for (const s of ['380501234567', '+0501234567', '+1 201 555 0123', '+1234567890123456', '']) t.notOk(isE164(s), JSON.stringify(s));
});

t.test('never throws, whatever the input', async (t) => {
  // Deterministic xorshift, so that a failure can be reproduced.
  let state = 0x9e3779b9;
  const rand = (n: number) => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) % n;
  };
  const pieces = ['0', '1', '3', '8', '9', '+', '%', '%2B', '%2', '%FF', '<', '>', '"', '\\', ';', ':', '@', '=', ' ', '(', ')', '-',
    '.', 'x', 'ext', 'sip:', 'tel:', 'anonymous', 'phone-context=', 'ext=', 'ä', '\u0000', '\n', '＋', '１', 'доб'];
  const seeds = Object.values(valid).flat().map(([input]) => input);
  let accepted = 0;
  let total = 0;
  const check = (s: string) => {
    total++;
    const r = normalizePhone(s, { defaultCountry: 'UA' });
    if (r.ok) {
      accepted++;
      if (!isE164(r.e164) || (r.extension !== undefined && !/^\d{1,10}$/.test(r.extension))) t.fail(`${JSON.stringify(s)} gave ${JSON.stringify(r)}`);
    } else if (!REASONS.includes(r.reason) || r.message === '' || /[\r\n]/.test(r.message)) {
      t.fail(`${JSON.stringify(s)} gave ${JSON.stringify(r)}`);
    }
  };
  for (let i = 0; i < 2000; i++) {
    // Random strings of the characters the parser cares about ...
    let s = '';
    for (let j = rand(24); j > 0; j--) s += pieces[rand(pieces.length)];
    check(s);
    // ... and valid inputs with a piece inserted, deleted or replaced.
    const seed = seeds[rand(seeds.length)] ?? '';
    const at = rand(seed.length + 1);
    const cut = rand(3);
    check(seed.slice(0, at) + (rand(2) === 0 ? (pieces[rand(pieces.length)] ?? '') : '') + seed.slice(at + cut));
  }
  t.ok(accepted > 100, `${total} mangled inputs, ${accepted} accepted, every result well-formed`);
});

t.test('brackets mark a national area code: such digits are never read as an international number missing its "+"', async (t) => {
  // [default country, written] — each would be a valid foreign number if read as "+<digits>"
  const rows: Array<[string, string]> = [
    ['US', '(380) 501-234-567'],
    ['US', '(442) 079-460-958'],
    ['GB', '(49) 30 1234 5678'],
    ['DE', '(3805) 0123 4567'],
    ['UA', '(4930) 1234 5678'],
    ['RU', '（380）501234567'],
  ];
  for (const [country, written] of rows) {
    const r = normalizePhone(written, { defaultCountry: country });
    t.equal(r.ok, false, `${country} ${written}: refused, not read as ${r.ok ? r.e164 : 'a foreign number'}`);
  }
  t.same(normalizePhone('380501234567', { defaultCountry: 'US' }), { ok: true, e164: '+380501234567', country: 'UA' }, 'without brackets the same digits are read as +380…');
});
