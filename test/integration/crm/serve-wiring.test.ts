// ringpath started as `serve` starts it, with HUBSPOT_TOKEN set: the mirror is
// filled from HubSpot, and a stored call reaches HubSpot through the worker.
import { randomUUID } from 'node:crypto';
import t from 'tap';
import { loadConfig } from '../../../src/config.ts';
import { recordCall } from '../../../src/db/repositories/calls.ts';
import { startRingpath } from '../../../src/main.ts';
import { freePort } from '../../../src/util/net.ts';
import { cdr } from '../../support/crm/world.ts';
import { silentLogger, testDatabase } from '../../support/db.ts';
import { hubspotForTest } from '../../support/hubspot-emulator/testing.ts';
import { waitFor } from '../../support/process.ts';

t.test('with HUBSPOT_TOKEN, startRingpath fills the mirror and syncs stored calls', async (t) => {
  const { emulator } = await hubspotForTest(t, { searchLagMs: 0 });
  const owner = emulator.control.addOwner({ email: 'senior@example.com', firstName: 'Sofia', lastName: 'Senior' });
  emulator.control.seed('contacts', { firstname: 'Olena', phone: '(050) 123-45-67', hubspot_owner_id: owner.id });
  const db = await testDatabase(t);
  await db.pool.query(
    `INSERT INTO employees (email, full_name, hubspot_owner_id, is_senior_manager) VALUES ('senior@example.com', 'Sofia Senior', $1, true)`,
    [owner.id],
  );
  const ringpath = await startRingpath(
    loadConfig({
      DATABASE_URL: db.url,
      PORT: String(await freePort()),
      DEFAULT_COUNTRY: 'UA',
      ADMIN_PASSWORD: 'a-long-admin-password',
      HUBSPOT_TOKEN: emulator.token,
      HUBSPOT_BASE_URL: emulator.url,
      PUBLIC_URL: 'https://calls.example.com',
    }),
    silentLogger,
  );
  t.teardown(() => ringpath.close());

  await waitFor(
    async () => (await db.pool.query(`SELECT 1 FROM crm_contact_phones WHERE e164 = '+380501234567'`)).rows.length === 1,
    30_000,
    'the first full sync to bring the contact into the mirror',
  );
  const { rows } = await db.pool.query(
    `SELECT c.owner_id FROM crm_contacts c JOIN crm_contact_phones p ON p.contact_id = c.id WHERE p.e164 = '+380501234567'`,
  );
  t.equal(rows[0]?.owner_id, owner.id, 'the mirror holds the contact and its owner, the phone normalised to E.164');

  const id = randomUUID();
  await recordCall(db.pool, cdr(id, { client: '+380671112233', disposition: 'missed' }), { crmSync: true });
  await waitFor(
    async () => (await db.pool.query(`SELECT crm_sync_state FROM calls WHERE id = $1`, [id])).rows[0]?.crm_sync_state === 'synced',
    30_000,
    'the call to be synced',
  );
  const calls = emulator.control.records('calls');
  t.ok(calls.some((c) => c.properties.ringpath_call_id === id), 'the call engagement carries the ringpath call id');
  t.ok(emulator.control.records('tasks').length >= 1, 'a call back task for the missed new client');

  const answered = randomUUID();
  await recordCall(db.pool, cdr(answered, { client: '+380671112244', answeredBy: { destination: '+380441112233' } }), { crmSync: true });
  await waitFor(
    async () => (await db.pool.query(`SELECT crm_sync_state FROM calls WHERE id = $1`, [answered])).rows[0]?.crm_sync_state === 'synced',
    30_000,
    'the answered call to be synced',
  );
  const engagement = emulator.control.records('calls').find((c) => c.properties.hs_call_external_id === answered);
  t.match(engagement?.properties.hs_call_recording_url, /^https:\/\/calls\.example\.com\/recordings\/t\/[A-Za-z0-9_-]{43}\.wav$/, 'a stable token URL, with no expiry');
  const { rows: tokens } = await db.pool.query<{ token: string }>('SELECT token FROM recording_tokens WHERE call_id = $1 AND revoked_at IS NULL', [answered]);
  t.equal(engagement?.properties.hs_call_recording_url, `https://calls.example.com/recordings/t/${tokens[0]?.token}.wav`, "the call's live token");
});
