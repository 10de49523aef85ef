import { spawn } from 'node:child_process';
import t from 'tap';
import { migrate } from '../../../src/db/migrate.ts';
import { silentLogger, testDatabase } from '../../support/db.ts';

const DOMAIN_TABLES = [
  'employees', 'sip_accounts', 'employee_destinations', 'sip_registrations', 'routing_schemes', 'routing_steps',
  'routing_step_employees', 'round_robin_state', 'sites', 'pools', 'tracking_numbers', 'visitor_sessions', 'calls',
  'crm_owners', 'crm_pipelines', 'crm_stages', 'crm_contacts', 'crm_contact_phones', 'crm_deals', 'crm_deal_contacts',
  'crm_sync_cursors', 'settings', 'api_keys',
];

t.test('migrations build the whole schema on an empty database, and a second run applies nothing', async (t) => {
  const db = await testDatabase(t, { empty: true });
  const first = await migrate(db.url, silentLogger);
  t.ok(first.length >= 1, 'applied at least one migration');
  const { rows } = await db.pool.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`,
  );
  const tables = new Set(rows.map((r) => r.table_name));
  for (const name of DOMAIN_TABLES) t.ok(tables.has(name), `table ${name} exists`);
  t.same(await migrate(db.url, silentLogger), [], 'nothing left to apply');
});

t.test('the e164 domain rejects numbers that are not E.164', async (t) => {
  const db = await testDatabase(t);
  await t.rejects(
    db.pool.query(`INSERT INTO sites (name, domain, public_key, fallback_number) VALUES ('a', 'a.example', 'k', '0501234567')`),
    /e164/,
  );
  await db.pool.query(`INSERT INTO sites (name, domain, public_key, fallback_number) VALUES ('a', 'a.example', 'k', '+380501234567')`);
  const { rows } = await db.pool.query('SELECT fallback_number FROM sites');
  t.equal(rows[0]?.fallback_number, '+380501234567');
});

function runMigrateProcess(url: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/ringpath.js', 'migrate'], {
      env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => resolve({ code, out }));
  });
}

t.test('two processes migrating one empty database at once both succeed, and each migration runs once', async (t) => {
  const db = await testDatabase(t, { empty: true });
  const [a, b] = await Promise.all([runMigrateProcess(db.url), runMigrateProcess(db.url)]);
  t.equal(a.code, 0, `first process exits 0: ${a.out.slice(-500)}`);
  t.equal(b.code, 0, `second process exits 0: ${b.out.slice(-500)}`);
  const { rows } = await db.pool.query<{ name: string; n: number }>(
    'SELECT name, count(*)::int AS n FROM pgmigrations GROUP BY name',
  );
  t.ok(rows.length >= 1, 'migrations recorded');
  for (const r of rows) t.equal(r.n, 1, `${r.name} recorded once`);
  const { rows: emp } = await db.pool.query(`SELECT to_regclass('public.employees') AS t`);
  t.equal(emp[0]?.t, 'employees');
});

t.test('the job queue schema is installed with the domain schema', async (t) => {
  const db = await testDatabase(t);
  const { rows } = await db.pool.query(
    `SELECT count(*)::int AS n FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE n.nspname = 'graphile_worker' AND p.proname = 'add_job'`,
  );
  t.ok((rows[0]?.n ?? 0) >= 1, 'graphile_worker.add_job exists');
  await db.pool.query(`SELECT graphile_worker.add_job('noop', '{}'::json)`);
  const jobs = await db.pool.query(`SELECT count(*)::int AS n FROM graphile_worker.jobs`);
  t.equal(jobs.rows[0]?.n, 1, 'a job can be enqueued in SQL');
});
