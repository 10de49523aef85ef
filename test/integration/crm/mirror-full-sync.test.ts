// The full sync against the HubSpot emulator: 1,000 contacts with phones in
// mixed formats, open and closed deals; every caller finds the right owners;
// a crash mid-sync resumes from the last page.
import t from 'tap';
import { lookupResponsible } from '../../../src/crm/mirror-lookup.ts';
import { runFullSync } from '../../../src/crm/mirror/full-sync.ts';
import { withLock } from '../../../src/crm/mirror/lock.ts';
import { readFullState } from '../../../src/crm/mirror/state.ts';
import { expectedResponsible, mirrorForTest, seedPortal } from './mirror-fixtures.ts';

const LIST_CONTACTS = 'GET /crm/v3/objects/contacts';
const LIST_DEALS = 'GET /crm/v3/objects/deals';

t.test('1,000 contacts in mixed formats: every caller finds the right owners', async (t) => {
  const m = await mirrorForTest(t);
  const portal = seedPortal(m.emulator, 1000);
  const progress: string[] = [];
  const result = await runFullSync(m.ctx, { onProgress: (p) => void progress.push(`${p.phase} ${p.processed}/${p.total}`) });
  t.match(result, { resumed: false, contacts: 1000, deals: portal.deals, archived: 0, unreadablePhones: 0, total: 1000 + portal.deals });

  t.equal(progress.length, 10 + Math.ceil(portal.deals / 100), 'one progress report per page');
  t.equal(progress[0], `contacts 100/${1000 + portal.deals}`);
  t.equal(progress.at(-1), `deals ${1000 + portal.deals}/${1000 + portal.deals}`);
  const logged = m.lines().filter((l) => typeof l.msg === 'string' && l.msg.startsWith('full sync: '));
  t.equal(logged.length, progress.length, 'and one progress line in the log');
  t.match(logged[0], { processed: 100, total: 1000 + portal.deals, phase: 'contacts' });

  const counts = await m.db.pool.query<{ contacts: number; phones: number; unreadable: number; deals: number; open: number; links: number }>(
    `SELECT (SELECT count(*)::int FROM crm_contacts) AS contacts,
            (SELECT count(*)::int FROM crm_contact_phones WHERE e164 IS NOT NULL) AS phones,
            (SELECT count(*)::int FROM crm_contact_phones WHERE e164 IS NULL) AS unreadable,
            (SELECT count(*)::int FROM crm_deals) AS deals,
            (SELECT count(*)::int FROM crm_deals WHERE is_open) AS open,
            (SELECT count(*)::int FROM crm_deal_contacts) AS links`,
  );
  t.same(counts.rows[0], { contacts: 1000, phones: 1000 + 250, unreadable: 0, deals: portal.deals, open: 334, links: portal.deals });

  let right = 0;
  for (const c of portal.contacts) {
    const found = await lookupResponsible(m.db.pool, c.phone, 2_000);
    if (JSON.stringify(found) === JSON.stringify(expectedResponsible(c))) right++;
    else t.fail(`contact ${c.id} (${c.phone}): ${JSON.stringify(found)}`);
  }
  t.equal(right, 1000, 'every one of the 1,000 callers finds the right owners');
  const mobiles = portal.contacts.filter((c) => c.mobile);
  for (const c of mobiles.slice(0, 50)) t.same(await lookupResponsible(m.db.pool, c.mobile!, 2_000), expectedResponsible(c), `mobile ${c.mobile}`);
  t.same(await lookupResponsible(m.db.pool, '+380509999999', 2_000), { status: 'not_found' }, 'an unknown caller');
  t.match(await readFullState(m.db.pool), { status: 'done', cursor: null, processed: 1000 + portal.deals });
});

t.test('a crash mid-sync: the next run resumes after the last stored page, nothing twice', async (t) => {
  const m = await mirrorForTest(t);
  const portal = seedPortal(m.emulator, 450);
  let pages = 0;
  const crash = new Error('simulated crash after page 3');
  const first = await runFullSync(m.ctx, {
    onProgress: () => {
      if (++pages === 3) throw crash;
    },
  }).catch((e: unknown) => e);
  t.equal(first, crash, 'the first run stops');
  t.match(await readFullState(m.db.pool), { status: 'failed', cursor: { phase: 'contacts', after: /\d+/ }, processed: 300, error: crash.message });
  const { rows: partial } = await m.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM crm_contacts');
  t.equal(partial[0]?.n, 300, 'three pages were stored');
  t.ok(m.lines().some((l) => l.level === 50 && /full sync stopped at contacts after \d+: simulated crash/.test(String(l.msg))), 'logged, with where it stopped');

  m.emulator.control.requests.clear();
  const second = await runFullSync(m.ctx);
  t.match(second, { resumed: true, contacts: 150, deals: portal.deals });
  const listed = m.emulator.control.requests.list(LIST_CONTACTS);
  t.equal(listed.length, 2, 'only the two remaining contact pages were read');
  t.equal(m.emulator.control.requests.count('POST /crm/v3/objects/{objectType}/search'), 0, 'no recount on resume');
  t.ok(m.emulator.control.requests.count(LIST_DEALS) >= 1);
  const { rows } = await m.db.pool.query<{ contacts: number; distinct_phones: number; deals: number }>(
    `SELECT (SELECT count(*)::int FROM crm_contacts) AS contacts,
            (SELECT count(DISTINCT e164)::int FROM crm_contact_phones) AS distinct_phones,
            (SELECT count(*)::int FROM crm_deals) AS deals`,
  );
  t.same(rows[0], { contacts: 450, distinct_phones: 450 + Math.ceil(450 / 4), deals: portal.deals }, 'no duplicates, nothing missing');
  t.match(await readFullState(m.db.pool), { status: 'done', processed: 450 + portal.deals });
  for (const c of portal.contacts.filter((_, i) => i % 37 === 0)) {
    t.same(await lookupResponsible(m.db.pool, c.phone, 2_000), expectedResponsible(c), `caller ${c.phone}`);
  }
});

t.test('one full sync at a time: a second attempt on another connection is turned away while the lock is held', async (t) => {
  const m = await mirrorForTest(t);
  seedPortal(m.emulator, 120);
  let second: unknown;
  const first = await withLock(m.db.pool, 'full', async () => {
    second = await withLock(m.db.pool, 'full', () => runFullSync(m.ctx));
    return runFullSync(m.ctx);
  });
  t.same(second, { ran: false }, 'the second is turned away while the first holds the lock');
  t.match(first, { ran: true, value: { contacts: 120 } });
  t.match(await withLock(m.db.pool, 'full', async () => 'free again'), { ran: true, value: 'free again' });
});

t.test('numbers of another country: RU default, "8 (495) ..." written the Russian way', async (t) => {
  const m = await mirrorForTest(t, { env: { DEFAULT_COUNTRY: 'RU' } });
  const owner = m.emulator.control.addOwner({ email: 'ivan@example.com' }).id;
  const written = ['8 (495) 123-45-67', '+7 495 765-43-21', '84991112233', '7 (916) 555-44-33', '8-800-555-35-35'];
  const e164 = ['+74951234567', '+74957654321', '+74991112233', '+79165554433', '+78005553535'];
  for (const phone of written) m.emulator.control.seed('contacts', { phone, hubspot_owner_id: owner });
  await runFullSync(m.ctx);
  for (const [i, number] of e164.entries()) {
    t.same(await lookupResponsible(m.db.pool, number, 2_000), { status: 'found', contactOwnerId: owner }, `${written[i]} → ${number}`);
  }
});
