// The incremental sync and the mirror's loop against the HubSpot emulator:
// changes found by search (with its indexing lag), closed deals, new records,
// and two processes sharing the work (the second a child process on the same database).
import path from 'node:path';
import t from 'tap';
import { lookupResponsible } from '../../../src/crm/mirror-lookup.ts';
import { runFullSync } from '../../../src/crm/mirror/full-sync.ts';
import { runIncrementalSync } from '../../../src/crm/mirror/incremental.ts';
import { startCrmMirror } from '../../../src/crm/mirror/index.ts';
import { mirrorFilled, readIncrementalState } from '../../../src/crm/mirror/state.ts';
import { queueWebhookActions } from '../../../src/crm/mirror/webhook-queue.ts';
import { silentLogger } from '../../support/db.ts';
import { sleep } from '../../support/hubspot-emulator/testing.ts';
import { REPO_ROOT, startScript } from '../../support/process.ts';
import { expectedResponsible, memoryLogger, mirrorForTest, seedPortal, uaNumber } from './mirror-fixtures.ts';

const SEARCH = 'POST /crm/v3/objects/{objectType}/search';
const MIRROR_PROCESS = path.join(REPO_ROOT, 'test/support/crm/mirror-process.ts');

async function until(what: string, check: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

t.test('incremental sync picks up changed owners, phones, stages and new records', async (t) => {
  const m = await mirrorForTest(t);
  const { contacts, owners } = seedPortal(m.emulator, 30);
  await runFullSync(m.ctx);
  t.same(await runIncrementalSync(m.ctx), { ran: true, contacts: 30, deals: 16 }, 'the first pass re-reads what changed around the full sync');
  const c = m.emulator.control;
  const [c0, c1, c2] = [contacts[0]!, contacts[1]!, contacts[2]!];

  c.update('contacts', c0.id, { hubspot_owner_id: owners[7]! });
  const newPhone = uaNumber(500, 4);
  c.update('contacts', c1.id, { phone: newPhone.written });
  const openDeal = c.associations('contacts', c0.id, 'deals').map((a) => a.toId).find((id) => c.record('deals', id)?.properties.dealstage === 'appointmentscheduled');
  c.update('deals', openDeal!, { dealstage: 'closedwon' });
  const fresh = uaNumber(501, 4);
  const created = c.seed('contacts', { phone: fresh.written, hubspot_owner_id: owners[2]! });
  c.seed('deals', { dealname: 'new', pipeline: 'default', dealstage: 'qualifiedtobuy', hubspot_owner_id: owners[4]! }, {
    associations: [{ toType: 'contacts', toId: c2.id }],
  });
  c.requests.clear();

  const r = await runIncrementalSync(m.ctx);
  t.ok(r.ran && r.contacts >= 3 && r.deals >= 2, `changes applied (${JSON.stringify(r)})`);
  t.ok(c.requests.count(SEARCH) >= 2, 'found with the search API');
  t.same(await lookupResponsible(m.db.pool, c0.phone, 2_000), { status: 'found', contactOwnerId: owners[7] }, 'new owner; the won deal is no longer open');
  t.same(await lookupResponsible(m.db.pool, newPhone.e164, 2_000), expectedResponsible(c1), 'the new phone finds the contact');
  t.same(await lookupResponsible(m.db.pool, c1.phone, 2_000), { status: 'not_found' }, 'the old phone no longer does');
  t.same(await lookupResponsible(m.db.pool, fresh.e164, 2_000), { status: 'found', contactOwnerId: owners[2] }, 'a new contact');
  t.same(await lookupResponsible(m.db.pool, c2.phone, 2_000), { status: 'found', contactOwnerId: c2.ownerId, dealOwnerId: owners[4] }, 'a new open deal');
  const { rows } = await m.db.pool.query('SELECT id FROM crm_contacts WHERE id = $1', [created.id]);
  t.equal(rows.length, 1);
});

t.test("search's indexing lag: a change it does not show yet is found by the next pass", async (t) => {
  const m = await mirrorForTest(t, { emulator: { searchLagMs: 400 } });
  const { contacts, owners } = seedPortal(m.emulator, 5);
  await runFullSync(m.ctx);
  await runIncrementalSync(m.ctx);
  m.emulator.control.update('contacts', contacts[3]!.id, { hubspot_owner_id: owners[9]! });
  await runIncrementalSync(m.ctx);
  t.same(await lookupResponsible(m.db.pool, contacts[3]!.phone, 2_000), expectedResponsible(contacts[3]!), 'not visible to search yet');
  const mark = (await readIncrementalState(m.db.pool, 'contacts')).highWater!;
  t.ok(mark.getTime() <= Date.now() - 59_000, 'the mark stays a margin behind now');
  await sleep(450);
  await runIncrementalSync(m.ctx);
  t.match(await lookupResponsible(m.db.pool, contacts[3]!.phone, 2_000), { contactOwnerId: owners[9] }, 'the next pass finds it');
});

t.test('before the first full sync there is nothing to continue from', async (t) => {
  const m = await mirrorForTest(t);
  t.same(await runIncrementalSync(m.ctx), { ran: false, contacts: 0, deals: 0 });
  t.equal(m.emulator.control.requests.count(), 0, 'and HubSpot was not asked');
});

t.test('HubSpot down during a pass: the failure is recorded, nothing changes, the next pass catches up', async (t) => {
  const m = await mirrorForTest(t);
  const { contacts, owners } = seedPortal(m.emulator, 5);
  await runFullSync(m.ctx);
  m.emulator.control.update('contacts', contacts[1]!.id, { hubspot_owner_id: owners[8]! });
  await m.emulator.control.faults.down(undefined, '503');
  await t.rejects(runIncrementalSync(m.ctx), { name: 'HubSpotError', retryable: true });
  t.match(await readIncrementalState(m.db.pool, 'contacts'), { status: 'failed', error: /503/ });
  t.same(await lookupResponsible(m.db.pool, contacts[1]!.phone, 2_000), expectedResponsible(contacts[1]!), 'routing still reads the mirror');
  await m.emulator.control.faults.up();
  await runIncrementalSync(m.ctx);
  t.match(await lookupResponsible(m.db.pool, contacts[1]!.phone, 2_000), { contactOwnerId: owners[8] });
  t.match(await readIncrementalState(m.db.pool, 'contacts'), { status: 'idle', error: null });
});

t.test('the loop, in two processes: one fills the empty mirror, either applies webhook events', async (t) => {
  const m = await mirrorForTest(t);
  const { contacts, owners } = seedPortal(m.emulator, 150);
  const other = startScript(MIRROR_PROCESS, {
    DATABASE_URL: m.db.url,
    HUBSPOT_TOKEN: m.emulator.token,
    HUBSPOT_BASE_URL: m.emulator.url,
    HUBSPOT_RATE_LIMIT: '190',
    HUBSPOT_SEARCH_RATE_LIMIT: '5',
    DEFAULT_COUNTRY: 'UA',
    LOG_LEVEL: 'debug',
    MIRROR_POLL_MS: '50',
  });
  t.teardown(async () => {
    other.child.kill('SIGTERM');
    await other.exited;
  });
  await other.line(/^ready/);
  // Both loops start on an empty mirror at once; the first page of contacts is held
  // back until the process that did not get to fill the mirror has said so.
  const control = m.emulator.control;
  control.faults.holdAnswers('GET /crm/v3/objects/contacts');
  const mine = memoryLogger('debug');
  const TURNED_AWAY = 'another process is filling the CRM mirror';
  other.send('start');
  const a = startCrmMirror({ config: m.config, pool: m.db.pool, logger: mine.logger, gateway: m.gateway, options: { pollMs: 50 } });
  t.teardown(() => a.stop());
  await other.line(/^started/);
  await until('one process to list the contacts', async () => control.faults.held() > 0);
  await until('the other process to be turned away', async () => other.output().includes(TURNED_AWAY) || mine.lines().some((l) => l.msg === TURNED_AWAY));
  const filler = other.output().includes(TURNED_AWAY) ? 'this process' : 'the other process';
  t.equal(control.faults.held(), 1, `one process lists the contacts (${filler}); the other was turned away`);
  control.faults.release();
  await until('the mirror to be filled', () => mirrorFilled(m.db.pool));
  t.equal(control.requests.count('GET /crm/v3/objects/contacts'), 2, 'the contacts were listed once (two pages)');

  m.emulator.control.update('contacts', contacts[0]!.id, { hubspot_owner_id: owners[6]! });
  await queueWebhookActions(m.db.pool, { reread: [{ type: 'contacts', id: contacts[0]!.id }], deleted: [], ignored: 0 });
  await until('the webhook to be applied', async () => {
    const r = await lookupResponsible(m.db.pool, contacts[0]!.phone, 2_000);
    return r.status === 'found' && r.contactOwnerId === owners[6];
  });
  t.pass('a queued record is re-read within a poll');
  t.equal(control.requests.count(`GET /crm/v3/objects/contacts/${contacts[0]!.id}`) + control.requests.count('POST /crm/v3/objects/contacts/batch/read'), 1, 'by one of the processes, once');
  t.match(await a.incrementalSync(), { ran: true, value: { ran: true } }, 'a pass on demand, after any pass of the other process');
  t.match(await a.fullSync({ restart: true }), { ran: true, value: { contacts: 150, archived: 0 } }, 'and a full sync on demand');
  t.equal(other.child.exitCode, null, 'the other process ran throughout');
});
