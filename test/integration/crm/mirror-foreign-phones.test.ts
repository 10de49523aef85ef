// HubSpot's calculated phone properties hold the national number with the country code
// stripped. The mirror must not read them: with the default country they would turn
// +44 20 7946 0958 into +1 207 946 0958, a different client. Foreign and national
// numbers written in HubSpot's own phone properties match only their own callers.
import t from 'tap';
import { findByPhone, lookupResponsible } from '../../../src/crm/mirror-lookup.ts';
import { runFullSync } from '../../../src/crm/mirror/full-sync.ts';
import { isMirroredPhoneProperty } from '../../../src/crm/mirror/records.ts';
import { refreshCatalog } from '../../../src/crm/mirror/refresh.ts';
import { testApi } from '../../support/app.ts';
import { hubspotForTest } from '../../support/hubspot-emulator/testing.ts';
import { mirrorForTest } from './mirror-fixtures.ts';

t.test('which contact properties are read as phone numbers', async (t) => {
  const table: Array<[string, { name: string; fieldType: string; calculated?: boolean; archived?: boolean }, boolean]> = [
    ['phone', { name: 'phone', fieldType: 'phonenumber' }, true],
    ['a custom phone-number property', { name: 'office_line', fieldType: 'phonenumber', calculated: false }, true],
    ['the searchable calculated phone', { name: 'hs_searchable_calculated_phone_number', fieldType: 'phonenumber', calculated: true }, false],
    ['the searchable calculated mobile, even when not flagged calculated', { name: 'hs_searchable_calculated_mobile_number', fieldType: 'phonenumber' }, false],
    ['another calculated property', { name: 'hs_calculated_phone_number', fieldType: 'phonenumber' }, false],
    ['a calculated custom property', { name: 'line_digits', fieldType: 'phonenumber', calculated: true }, false],
    ['an archived property', { name: 'old_line', fieldType: 'phonenumber', archived: true }, false],
    ['a text property', { name: 'notes', fieldType: 'text' }, false],
  ];
  for (const [name, p, want] of table) t.equal(isMirroredPhoneProperty(p), want, name);
});

t.test('foreign and national numbers: no false match through the calculated properties', async (t) => {
  const m = await mirrorForTest(t, { env: { DEFAULT_COUNTRY: 'US' } });
  const c = m.emulator.control;
  const [uk, us, de] = ['UK', 'US', 'DE'].map((k) => c.addOwner({ email: `${k.toLowerCase()}@example.com`, firstName: k }).id) as [string, string, string];
  const london = c.seed('contacts', { firstname: 'London', phone: '+44 20 7946 0958', hubspot_owner_id: uk });
  const sf = c.seed('contacts', { firstname: 'Portland', phone: '(415) 555-0100', hubspot_owner_id: us }); // national, read with the default country
  const berlin = c.seed('contacts', { firstname: 'Berlin', phone: '+49 30 901820', mobilephone: '+49 151 23456789', hubspot_owner_id: de });
  t.equal(c.record('contacts', london.id)?.properties.hs_searchable_calculated_phone_number, '2079460958', 'HubSpot keeps the national number, country code stripped');

  const counts = await refreshCatalog(m.ctx);
  t.equal(counts.phoneProperties, 3, 'phone, mobilephone and the WhatsApp number; no calculated property');
  const { rows: props } = await m.db.pool.query<{ name: string }>('SELECT name FROM crm_phone_properties ORDER BY name');
  t.same(props.map((p) => p.name), ['hs_whatsapp_phone_number', 'mobilephone', 'phone']);
  await runFullSync(m.ctx);

  const { rows: phones } = await m.db.pool.query<{ property: string }>('SELECT DISTINCT property FROM crm_contact_phones ORDER BY property');
  t.same(phones.map((p) => p.property), ['mobilephone', 'phone'], 'numbers only from real phone properties');
  t.same(await findByPhone(m.db.pool, '+12079460958'), [], '+1 207 946 0958 is nobody: London is not matched');
  t.same(await findByPhone(m.db.pool, '+1301901820'), [], "Berlin's national number read as American matches nobody");
  t.same(await lookupResponsible(m.db.pool, '+442079460958', 2_000), { status: 'found', contactOwnerId: uk }, 'London by its own number');
  t.same(await lookupResponsible(m.db.pool, '+14155550100', 2_000), { status: 'found', contactOwnerId: us }, 'a national number in the default country');
  t.same(await lookupResponsible(m.db.pool, '+4915123456789', 2_000), { status: 'found', contactOwnerId: de }, 'a foreign mobile');
  t.ok(sf.id && berlin.id, 'seeded');
});

t.test('the calculated phone properties cannot be added by hand', async (t) => {
  const { emulator } = await hubspotForTest(t);
  const api = await testApi(t, { HUBSPOT_TOKEN: emulator.token, HUBSPOT_BASE_URL: emulator.url });
  const r = await api.put('/api/v1/crm/phone-properties', { custom: ['office_line', 'hs_searchable_calculated_phone_number'] });
  t.equal(r.statusCode, 400);
  t.match(r.json(), { code: 'VALIDATION_FAILED', detail: /hs_searchable_calculated_phone_number: .*country code/ });
  const { rows } = await api.db.pool.query(`SELECT name FROM crm_phone_properties WHERE origin = 'custom'`);
  t.same(rows, [], 'nothing stored');
});
