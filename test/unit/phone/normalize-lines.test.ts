// The output lines of `ringpath phone normalize`, without a process.
import t from 'tap';
import { normalizeLines } from '../../../src/cli/phone.ts';

t.test('one line per input, in order: E.164 or "error: <message>"', async (t) => {
  const { lines, allValid } = normalizeLines(
    ['(050) 123-45-67', 'sip:+380501234567@carrier.example;user=phone', 'anonymous', '+1 201 555 0123', '12'],
    'UA',
  );
  t.equal(lines.length, 5);
  t.equal(lines[0], '+380501234567');
  t.equal(lines[1], '+380501234567');
  t.match(lines[2], /^error: .*withheld/);
  t.equal(lines[3], '+12015550123');
  t.match(lines[4], /^error: .*too short/);
  t.equal(allValid, false);
});

t.test('all valid', async (t) => {
  t.strictSame(normalizeLines(['8 (495) 123-45-67', 'tel:+7-912-345-67-89', '00 34 612 345 678'], 'RU'), {
    lines: ['+74951234567', '+79123456789', '+34612345678'],
    allValid: true,
  });
});

t.test('the country decides how national numbers are read', async (t) => {
  t.strictSame(normalizeLines(['0501234567'], 'UA').lines, ['+380501234567']);
  t.strictSame(normalizeLines(['(201) 555-0123'], 'US').lines, ['+12015550123']);
  t.strictSame(normalizeLines(['020 7946 0018'], 'GB').lines, ['+442079460018']);
});

t.test('an extension is not part of the E.164 line', async (t) => {
  t.strictSame(normalizeLines(['tel:+1-201-555-0123;ext=12'], 'US').lines, ['+12015550123']);
});

t.test('every error is one line, even for hostile input', async (t) => {
  const { lines, allValid } = normalizeLines(['line1\nline2', 'sip:%ZZ@h', '"unterminated', ''], 'UA');
  t.equal(allValid, false);
  t.equal(lines.length, 4);
  for (const line of lines) {
    t.match(line, /^error: \S/);
    t.notMatch(line, /[\r\n]/);
  }
});

t.test('no inputs: no lines, nothing invalid', async (t) => {
  t.strictSame(normalizeLines([], 'UA'), { lines: [], allValid: true });
});
