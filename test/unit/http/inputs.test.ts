import t from 'tap';
import { phoneFor, type PhoneUse } from '../../../src/http/inputs.ts';
import { normalizePhone } from '../../../src/phone/index.ts';

t.test('an extension is never dropped: the number is refused, saying why, for every use', async (t) => {
  const written = ['050 123 45 67 ext. 12', '050 123 45 67 x12', 'tel:+380501234567;ext=12', '050 123 45 67 доб. 12', '+380 50 123 45 67, extension 12'];
  const why: Record<PhoneUse, RegExp> = {
    tracking: /^has an extension \(12\): a tracking number is dialled as it is and cannot have one; give \+380501234567 without it$/,
    caller_id: /^has an extension \(12\): a caller id is shown as a plain number/,
    ringing: /^has an extension \(12\), which ringpath cannot dial after the call is answered/,
  };
  for (const input of written) {
    const r = normalizePhone(input, { defaultCountry: 'UA' });
    t.match(r, { ok: true, extension: '12' }, `${input}: the phone module keeps the extension`);
    for (const use of Object.keys(why) as PhoneUse[]) t.match(phoneFor(r, use), { ok: false, message: why[use] }, `${input} for ${use}`);
  }
});

t.test('numbers without an extension pass, and bad numbers keep their own message', async (t) => {
  for (const use of ['tracking', 'caller_id', 'ringing'] as const) {
    t.same(phoneFor(normalizePhone('8 050 123 45 67', { defaultCountry: 'UA' }), use), { ok: true, e164: '+380501234567' }, use);
    t.match(phoneFor(normalizePhone('12', { defaultCountry: 'UA' }), use), { ok: false, message: /too short/ }, use);
  }
});
