import t from 'tap';
import { readOnlyProblems } from '../../../src/http/read-only.ts';

t.test('read-only fields are accepted when equal and refused, by name, when not', async (t) => {
  const at = new Date('2026-03-01T10:00:00.123Z');
  const cases: Array<[string, unknown, string | number | Date | undefined, string | undefined]> = [
    ['left out', undefined, 5, undefined],
    ['the same id', 5, 5, undefined],
    ['another id', 6, 5, 'is read-only and differs from the stored value 5; send it unchanged or leave it out'],
    ['the id as a string', '5', 5, 'is read-only and differs from the stored value 5; send it unchanged or leave it out'],
    ['the same time', '2026-03-01T10:00:00.123Z', at, undefined],
    ['the same time written with an offset', '2026-03-01T12:00:00.123+02:00', at, undefined],
    ['another time', '2026-03-01T10:00:01Z', at, 'is read-only and differs from the stored value 2026-03-01T10:00:00.123Z; send it unchanged or leave it out'],
    ['a value where nothing is stored', 9, undefined, 'is read-only and there is no stored value to match; leave it out'],
  ];
  for (const [name, sent, stored, message] of cases) {
    t.same(readOnlyProblems([{ field: '/x', sent, stored }]), message ? [{ field: '/x', message }] : [], name);
  }
  t.same(
    readOnlyProblems([
      { field: '/id', sent: 2, stored: 1 },
      { field: '/updated_at', sent: at.toISOString(), stored: at },
      { field: '/created_at', sent: '2020-01-01T00:00:00Z', stored: at },
    ]).map((p) => p.field),
    ['/id', '/created_at'],
    'every differing field is named',
  );
});
