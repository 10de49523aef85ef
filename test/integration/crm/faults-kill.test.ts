// kill -9 of a worker process in the middle of a sync, then a restart (SPEC §9):
// every stored call is synced exactly once. The worker runs as a child process.
// HubSpot carries out its creates but holds their answers back; the worker is
// killed while it waits for one, so each kill leaves a write in doubt: in HubSpot,
// in flight in the ledger. That happens twice, and a third process finishes. The
// dead process's job is released at once (worker liveness), and the ledger, with
// lookups by ringpath_call_id for the writes in doubt, keeps the resumed sync
// from writing anything twice.
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

const TYPES = { contact: 'contacts', deal: 'deals', call: 'calls', task: 'tasks' } as const;
type LedgerType = keyof typeof TYPES;
/** Creates (single and batch), not searches: the writes whose answers are held back. */
const CREATES = /^POST \/crm\/v3\/objects\/\w+(\/batch\/create)?$/;

interface InDoubt {
  readonly round: number;
  readonly callId: string;
  readonly key: string;
  readonly type: LedgerType;
  /** The records HubSpot had for the write when its writer was killed. */
  readonly landed: string[];
}

t.test('kill -9 mid-sync, twice, then a restart: no loss, no duplicate', async (t) => {
  const w = await crmWorld(t);
  const control = w.emulator.control;
  const newClient = await w.record({ client: '+380501010101', answeredBy: w.ana });
  const missed = await w.record({ client: '+380501010102', disposition: 'missed' });
  const ids = [newClient, missed];
  const written = () => Object.values(TYPES).reduce((n, type) => n + control.records(type).length, 0);
  /** Records HubSpot has for one write of a call: contacts and deals by call id (one per call), engagements by write key too. */
  const recordsOf = (type: LedgerType, callId: string, key: string) =>
    control
      .records(TYPES[type])
      .filter((r) => r.properties.ringpath_call_id === callId && (type === 'contact' || type === 'deal' || r.properties.ringpath_write_key === key))
      .map((r) => r.id);

  const inDoubt: InDoubt[] = [];
  for (const round of [1, 2]) {
    control.faults.holdAnswers(CREATES);
    const p = startWorkerProcess(w);
    t.teardown(() => void p.child.kill('SIGKILL'));
    await until(() => control.faults.held() > 0, 60_000, `a create in round ${round}`);
    p.child.kill('SIGKILL');
    await p.exited;
    control.faults.release();
    const { rows } = await w.pool.query<{ call_id: string; key: string; object_type: LedgerType }>(
      'SELECT call_id, key, object_type FROM crm_sync_ledger WHERE object_id IS NULL ORDER BY started_at',
    );
    const now = rows.map((r) => ({ round, callId: r.call_id, key: r.key, type: r.object_type, landed: recordsOf(r.object_type, r.call_id, r.key) }));
    inDoubt.push(...now);
    t.ok(
      now.some((d) => d.landed.length === 1),
      `round ${round}: killed with a write in HubSpot that the ledger has in flight (${now.map((d) => `${d.key}: ${d.landed.length}`).join(', ')}); HubSpot has ${written()} record(s)`,
    );
    t.ok(now.every((d) => d.landed.length <= 1), `round ${round}: no write in doubt is in HubSpot twice`);
  }

  control.faults.clear();
  const last = startWorkerProcess(w);
  t.teardown(() => void last.child.kill('SIGKILL'));
  const states = await w.settled(ids, 90_000).catch((err: unknown) => {
    t.comment(last.output());
    throw err;
  });
  last.child.kill('SIGTERM');
  await last.exited;
  t.same(states, { [newClient]: 'synced', [missed]: 'synced' });

  const ledgers = new Map<string, Record<string, string | null>>();
  for (const id of ids) ledgers.set(id, (await syncedCall(w.pool, id)).ledger);
  for (const d of inDoubt) {
    const what = `round ${d.round}, call ${d.callId.slice(0, 8)}, ${d.key}`;
    const objectId = ledgers.get(d.callId)?.[d.key];
    const now = recordsOf(d.type, d.callId, d.key);
    t.equal(now.length, 1, `${what}: the write in doubt is in HubSpot once`);
    t.equal(objectId, now[0], `${what}: the ledger has that record`);
    if (d.landed.length === 1) t.equal(objectId, d.landed[0], `${what}: the record made before the kill was found again, not written twice`);
  }

  const hs = crm(w.emulator);
  const counts = (id: string) => Object.values(TYPES).map((type) => hs.ofCall(type, id).length);
  t.same(counts(newClient), [1, 1, 1, 1], 'new client: one contact, one deal, one engagement, the completed task (on by default)');
  t.same(counts(missed), [1, 1, 1, 1], 'missed call: one contact, one deal, one engagement, one task');
  t.equal(written(), 8, 'nothing else in HubSpot');
  for (const id of ids) {
    const call = await syncedCall(w.pool, id);
    const inHubSpot = Object.fromEntries(
      Object.values(TYPES).flatMap((type) =>
        hs.ofCall(type, id).map((r) => [type === 'contacts' ? 'contact' : type === 'deals' ? 'deal' : r.properties.ringpath_write_key, r.id] as const),
      ),
    );
    t.same(call.ledger, inHubSpot, `call ${id.slice(0, 8)}: the ledger holds exactly the records HubSpot has for the call, each done`);
    t.same(
      { contact: call.crm_contact_id, deal: call.crm_deal_id, call: call.crm_call_id },
      { contact: call.ledger.contact, deal: call.ledger.deal, call: call.ledger.call },
      'the call row names the ledger’s records',
    );
    t.same(hs.links('calls', call.crm_call_id!, 'deals'), [call.crm_deal_id], 'the engagement is on the deal');
    t.same(hs.links('calls', call.crm_call_id!, 'contacts'), [call.crm_contact_id], 'the engagement is on the contact');
  }
  const { rows } = await w.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM graphile_worker.jobs');
  t.equal(rows[0]?.n, 0, 'no job left behind');
});
