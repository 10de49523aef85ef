// `ringpath api-key create` and `ringpath migrate`. What the key command prints and
// stores is checked in this process; usage errors, migrate and its failure run as
// the `ringpath` process, for their exit codes.
import t from 'tap';
import { verifyApiKey } from '../../../src/auth/api-keys.ts';
import { runCli } from '../../support/cli.ts';
import { testDatabase } from '../../support/db.ts';
import { runRingpath } from '../../support/process.ts';

t.test('`ringpath api-key create NAME` prints a working key once and stores only its hash', async (t) => {
  const db = await testDatabase(t);
  const { code, stdout, stderr } = await runCli(['api-key', 'create', 'zapier'], { DATABASE_URL: db.url });
  t.equal(code, 0, stderr);
  const key = /^rp_[0-9a-f]{12}_[\w-]{43}$/.exec(stdout.trim())?.[0];
  t.ok(key, 'the key, alone on stdout');
  t.match(stderr, /^API key "zapier" created \(id \d+\); it is not shown again\.\n$/, 'the note on stderr');
  const { rows } = await db.pool.query('SELECT name, prefix, secret_hash FROM api_keys');
  t.equal(rows.length, 1);
  t.equal(rows[0].name, 'zapier');
  // rp_<prefix>_<secret>: the secret is base64url, so it may hold underscores of its own
  t.notOk(JSON.stringify(rows).includes(key!.split('_').slice(2).join('_')), 'the secret itself is not stored');
  const record = await verifyApiKey(db.pool, key!);
  t.equal(record?.name, 'zapier');
  const changed = `${key!.slice(0, -1)}${key!.endsWith('A') ? 'B' : 'A'}`;
  t.equal(await verifyApiKey(db.pool, changed), undefined, 'a changed key is refused');
});

t.test('`ringpath api-key create` without a name is a usage error', async (t) => {
  const db = await testDatabase(t);
  const { code, output } = await runRingpath(['api-key', 'create'], { DATABASE_URL: db.url });
  t.not(code, 0);
  t.match(output, /missing required argument 'name'/);
});

t.test('`ringpath migrate` on an empty database exits 0 and builds the schema', async (t) => {
  const db = await testDatabase(t, { empty: true });
  const { code, output } = await runRingpath(['migrate'], { DATABASE_URL: db.url });
  t.equal(code, 0, output);
  const { rows } = await db.pool.query(`SELECT to_regclass('public.calls') AS t`);
  t.equal(rows[0].t, 'calls');
});

t.test('`ringpath migrate` against an unreachable server fails with a clear error', async (t) => {
  const { code, output } = await runRingpath(['migrate'], { DATABASE_URL: 'postgres://nobody:x@127.0.0.1:1/none' });
  t.not(code, 0);
  t.match(output, /ECONNREFUSED|connect/);
});
