// The promise sales teams buy call tracking for: 1,000 contacts whose phones
// HubSpot holds in mixed national and international formats; calls from every
// one of them attach to the existing contact (never a duplicate), and routing
// finds their owners.
import t from 'tap';
import { lookupResponsible } from '../../../src/crm/mirror-lookup.ts';
import { startCrmMirror } from '../../../src/crm/mirror/index.ts';
import { silentLogger } from '../../support/db.ts';
import { crmWorld, type Person } from '../../support/crm/world.ts';
import { waitFor } from '../../support/process.ts';
import { expectedResponsible, seedPortal } from './mirror-fixtures.ts';

const CONTACTS = 1000;

t.test(`${CONTACTS} contacts in mixed formats: every call attaches to the existing contact`, async (t) => {
  const w = await crmWorld(t, {
    env: { HUBSPOT_RATE_LIMIT: '1000', CRM_WORKER_CONCURRENCY: '8' },
    emulator: { searchLagMs: 0, rateLimit: { perTenSeconds: 5000, searchPerSecond: 100 } },
  });
  const seeded = seedPortal(w.emulator, CONTACTS);
  // an employee for each CRM owner, so the owner can be the one who answers
  const employees = new Map<string, Person>();
  for (const ownerId of seeded.owners) {
    const { rows } = await w.pool.query<{ id: number }>(
      `INSERT INTO employees (email, full_name, hubspot_owner_id) VALUES ($1, $2, $3) RETURNING id`,
      [`owner-${ownerId}@example.com`, `Owner ${ownerId}`, ownerId],
    );
    employees.set(ownerId, { employeeId: rows[0]!.id, ownerId, name: `Owner ${ownerId}` });
  }
  const mirror = startCrmMirror({ config: w.config, pool: w.pool, logger: silentLogger, gateway: w.gateway() });
  t.teardown(() => mirror.stop());
  // the mirror starts its first full sync by itself; wait for a complete one
  await waitFor(async () => (await mirror.fullSync()).ran, 120_000, 'a full sync to run to the end');

  let routed = 0;
  for (const c of seeded.contacts) {
    const found = await lookupResponsible(w.pool, c.phone, 5_000);
    if (JSON.stringify(found) === JSON.stringify(expectedResponsible(c))) routed++;
  }
  t.equal(routed, CONTACTS, 'routing finds the owners of every caller');

  await w.startWorker();
  const ids: string[] = [];
  for (const c of seeded.contacts) ids.push(await w.record({ client: c.phone, answeredBy: employees.get(c.ownerId)! }));
  const states = await w.settled(ids, 240_000);
  t.equal(Object.values(states).filter((s) => s === 'synced').length, CONTACTS, 'every call synced');

  t.equal(w.emulator.control.records('contacts').length, CONTACTS, 'no contact was created: not one duplicate');
  const calls = w.emulator.control.records('calls');
  t.equal(calls.length, CONTACTS, 'one call engagement per call');
  const callById = new Map(calls.map((call) => [call.properties.ringpath_call_id, call.id]));
  let attached = 0;
  ids.forEach((id, i) => {
    const engagement = callById.get(id);
    const contacts = engagement ? w.emulator.control.associations('calls', engagement, 'contacts').map((a) => a.toId) : [];
    if (contacts.length === 1 && contacts[0] === seeded.contacts[i]!.id) attached++;
  });
  t.equal(attached, CONTACTS, 'each engagement is on the caller’s existing contact');
});
