// kill -9 of a worker process in the middle of a sync, then a restart (SPEC §9):
// every stored call is synced exactly once. The worker runs as a child process;
// it is killed as soon as a write lands in HubSpot, twice, and a third process
// finishes. The dead process's job is released at once (worker liveness), and the
// ledger, with lookups by ringpath_call_id for the writes in doubt, keeps the
// resumed sync from writing anything twice.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import t from 'tap';
import { crm, syncedCall } from '../../support/crm/inspect.ts';
import { REPO_ROOT } from '../../support/process.ts';
import { crmWorld, type CrmWorld } from '../../support/crm/world.ts';

const SCRIPT = path.join(REPO_ROOT, 'test/support/crm/worker-process.ts');

function startWorkerProcess(w: CrmWorld): { child: ChildProcess; output(): string; exited: Promise<unknown> } {
  const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      DATABASE_URL: w.db.url,
      HUBSPOT_TOKEN: w.config.crm.hubspotToken!,
      HUBSPOT_BASE_URL: w.config.crm.hubspotBaseUrl,
      DEFAULT_COUNTRY: 'UA',
      LOG_LEVEL: 'warn',
      CRM_SETTLE_MS: '500',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise((resolve) => child.on('exit', resolve));
  return { child, output: () => out, exited };
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

t.test('kill -9 mid-sync, twice, then a restart: no loss, no duplicate', async (t) => {
  const w = await crmWorld(t);
  // HubSpot is slow to answer creates, so a kill lands between two writes of a call.
  w.emulator.control.faults.latency(250, /^POST \/crm\/v3\/objects\//);
  const newClient = await w.record({ client: '+380501010101', answeredBy: w.ana });
  const missed = await w.record({ client: '+380501010102', disposition: 'missed' });
  const ids = [newClient, missed];
  const written = () => ['contacts', 'deals', 'calls', 'tasks'].reduce((n, type) => n + w.emulator.control.records(type).length, 0);

  for (const round of [1, 2]) {
    const before = written();
    const p = startWorkerProcess(w);
    t.teardown(() => void p.child.kill('SIGKILL'));
    await until(() => written() > before, 60_000, `a write in round ${round}`);
    p.child.kill('SIGKILL');
    await p.exited;
    t.pass(`round ${round}: killed after HubSpot had ${written()} record(s)`);
  }
  const { rows: inDoubt } = await w.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM crm_sync_ledger WHERE object_id IS NULL');
  t.comment(`writes in doubt after the kills: ${inDoubt[0]?.n}`);

  const last = startWorkerProcess(w);
  t.teardown(() => void last.child.kill('SIGKILL'));
  const states = await w.settled(ids, 90_000).catch((err: unknown) => {
    t.comment(last.output());
    throw err;
  });
  last.child.kill('SIGTERM');
  await last.exited;
  t.same(states, { [newClient]: 'synced', [missed]: 'synced' });

  const hs = crm(w.emulator);
  const counts = (id: string) => ['contacts', 'deals', 'calls', 'tasks'].map((type) => hs.ofCall(type, id).length);
  t.same(counts(newClient), [1, 1, 1, 0], 'new client: one contact, one deal, one engagement');
  t.same(counts(missed), [1, 1, 1, 1], 'missed call: one contact, one deal, one engagement, one task');
  t.equal(written(), 7, 'nothing else in HubSpot');
  for (const id of ids) {
    const call = await syncedCall(w.pool, id);
    t.ok(Object.values(call.ledger).every((v) => v !== null), 'the ledger is complete');
    t.same(hs.links('calls', call.crm_call_id!, 'deals'), [call.crm_deal_id], 'the engagement is on the deal');
  }
  const { rows } = await w.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM graphile_worker.jobs');
  t.equal(rows[0]?.n, 0, 'no job left behind');
});
