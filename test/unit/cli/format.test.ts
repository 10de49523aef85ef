import t from 'tap';
import { apiKeyTable, table, when } from '../../../src/cli/format.ts';
import { parseId } from '../../../src/cli/database.ts';

t.test('a table pads each column to its widest cell, with no trailing spaces', async (t) => {
  t.same(table([['ID', 'NAME', 'X'], ['10', 'zapier', ''], ['2', 'a', 'yes']]), ['ID  NAME    X', '10  zapier', '2   a       yes']);
  t.same(table([]), []);
});

t.test('times are shown to the minute in UTC; a missing one as given', async (t) => {
  t.equal(when(new Date('2026-06-15T09:30:59.999Z')), '2026-06-15 09:30 UTC');
  t.equal(when(null), '-');
  t.equal(when(null, 'never'), 'never');
});

t.test('the API key list shows the public part of each key, never a secret', async (t) => {
  const created = new Date('2026-01-02T03:04:05Z');
  const lines = apiKeyTable([
    { id: 1, name: 'zapier', prefix: 'abcdef012345', createdAt: created, lastUsedAt: null, revokedAt: null },
    { id: 12, name: 'old crm', prefix: '0123456789ab', createdAt: created, lastUsedAt: created, revokedAt: new Date('2026-02-01T00:00:00Z') },
  ]);
  t.same(lines, [
    'ID  NAME     KEY                CREATED               LAST USED             REVOKED',
    '1   zapier   rp_abcdef012345_…  2026-01-02 03:04 UTC  never                 -',
    '12  old crm  rp_0123456789ab_…  2026-01-02 03:04 UTC  2026-01-02 03:04 UTC  2026-02-01 00:00 UTC',
  ]);
  t.same(apiKeyTable([]), ['no API keys yet: create one with `ringpath api-key create NAME`']);
});

t.test('an API key id is a positive whole number', async (t) => {
  t.equal(parseId('12'), 12);
  for (const bad of ['0', '-1', '1.5', 'x', '', '01']) t.throws(() => parseId(bad), { code: 'commander.invalidArgument' }, JSON.stringify(bad));
});
