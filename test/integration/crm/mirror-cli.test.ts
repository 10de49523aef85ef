// `ringpath crm sync [--full]`, `crm refresh` and `crm status` as real processes, against the emulator.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { lookupResponsible } from '../../../src/crm/mirror-lookup.ts';
import { testDatabase } from '../../support/db.ts';
import { hubspotForTest } from '../../support/hubspot-emulator/testing.ts';
import { expectedResponsible, seedPortal } from './mirror-fixtures.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

function ringpath(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/ringpath.js', ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', RINGPATH_SOURCE: '1', LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

t.test('no token: a clear message and exit code 2', async (t) => {
  const db = await testDatabase(t);
  const r = await ringpath(['crm', 'sync'], { DATABASE_URL: db.url });
  t.equal(r.code, 2);
  t.equal(r.stderr, 'ringpath: CRM sync is off: set HUBSPOT_TOKEN\n');
});

t.test('crm sync fills an empty mirror with progress lines (no TTY: no bar), then keeps it current', async (t) => {
  const db = await testDatabase(t);
  const { emulator } = await hubspotForTest(t);
  const portal = seedPortal(emulator, 230);
  const env = { DATABASE_URL: db.url, HUBSPOT_TOKEN: emulator.token, HUBSPOT_BASE_URL: emulator.url, DEFAULT_COUNTRY: 'UA', HUBSPOT_RATE_LIMIT: '190' };
  const total = 230 + portal.deals;

  const first = await ringpath(['crm', 'sync'], env);
  t.equal(first.code, 0, first.stderr);
  const lines = first.stdout.trim().split('\n');
  t.equal(lines[0], 'the mirror was never filled: full sync');
  t.equal(lines[1], `contacts: 100/${total} (${Math.round((100 / total) * 100)}%)`);
  t.ok(lines.includes(`deals: ${total}/${total} (100%)`), 'the last page reaches the total');
  t.equal(lines.at(-1), `done: 230 contacts and ${portal.deals} deals stored, 0 deleted in the CRM, 0 phone values unreadable`);
  for (const c of portal.contacts.slice(0, 20)) t.same(await lookupResponsible(db.pool, c.phone, 2_000), expectedResponsible(c));

  emulator.control.update('contacts', portal.contacts[5]!.id, { hubspot_owner_id: portal.owners[0]! });
  const second = await ringpath(['crm', 'sync'], env);
  t.equal(second.code, 0, second.stderr);
  t.match(second.stdout, /^done: \d+ contacts and \d+ deals re-read, 0 records from webhooks, 0 deleted\n$/);
  t.match(await lookupResponsible(db.pool, portal.contacts[5]!.phone, 2_000), { contactOwnerId: portal.owners[0] });

  const full = await ringpath(['crm', 'sync', '--full'], env);
  t.equal(full.code, 0, full.stderr);
  t.match(full.stdout, /^full sync\ncontacts: 100\//);

  const refresh = await ringpath(['crm', 'refresh'], env);
  t.equal(refresh.stdout, '10 owners, 1 pipelines, 7 stages, 3 phone properties\n');

  const status = await ringpath(['crm', 'status', '--json'], env);
  t.equal(status.code, 0, status.stderr);
  t.match(JSON.parse(status.stdout), { filled: true, full_sync: { status: 'done', processed: total }, counts: { contacts: 230 } });

  const human = await ringpath(['crm', 'status'], env);
  t.equal(human.code, 0, human.stderr);
  t.match(human.stdout, /^mirror: +filled: routing reads it\nfull sync: +done \d{4}-/, 'readable lines, not JSON');
  t.match(human.stdout, /^stored: +230 contacts, /m);
});
