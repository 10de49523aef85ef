// Range headers for a 1000-byte file, table-driven.
import t from 'tap';
import { contentRange, parseRange, type RangeRequest } from '../../../src/recordings/range.ts';

const SIZE = 1000;
const part = (start: number, end: number): RangeRequest => ({ kind: 'partial', start, end });
const FULL: RangeRequest = { kind: 'full' };
const NO: RangeRequest = { kind: 'unsatisfiable' };

const cases: Array<[string | undefined, RangeRequest, string]> = [
  [undefined, FULL, 'no header'],
  ['bytes=0-99', part(0, 99), 'first 100 bytes'],
  ['bytes=100-', part(100, 999), 'open-ended'],
  ['bytes=-100', part(900, 999), 'suffix'],
  ['bytes=-5000', part(0, 999), 'suffix longer than the file'],
  ['bytes=990-5000', part(990, 999), 'end past the file is clamped'],
  ['bytes=999-999', part(999, 999), 'last byte'],
  [' Bytes = 5-6 ', part(5, 6), 'spaces and case'],
  ['bytes=1000-', NO, 'starts at the end'],
  ['bytes=2000-3000', NO, 'beyond the file'],
  ['bytes=500-100', NO, 'last before first'],
  ['bytes=-0', NO, 'empty suffix'],
  ['bytes=0-1,5-6', FULL, 'several ranges: sent whole'],
  ['items=0-5', FULL, 'another unit: ignored'],
  ['bytes=abc', FULL, 'garbage: ignored'],
  ['bytes=-', FULL, 'neither end: ignored'],
];

t.test('parseRange', async (t) => {
  for (const [header, expected, what] of cases) t.same(parseRange(header, SIZE), expected, what);
});

t.test('an empty file satisfies no range', async (t) => {
  t.same(parseRange('bytes=0-', 0), NO);
  t.same(parseRange('bytes=-10', 0), NO);
  t.same(parseRange(undefined, 0), FULL);
});

t.test('Content-Range', async (t) => {
  t.equal(contentRange(part(0, 99), SIZE), 'bytes 0-99/1000');
  t.equal(contentRange(NO, SIZE), 'bytes */1000');
  t.equal(contentRange(FULL, SIZE), undefined);
});
