// HubSpot records → mirror records: phones in every shape CRMs hold them,
// missing owners, partial records from ringpath's own writes. Pure, table-driven.
import t from 'tap';
import {
  contactFromHubSpot,
  dealFromHubSpot,
  latestPerId,
  parseCrmTime,
  phoneProblems,
  propertiesToRead,
} from '../../../src/crm/mirror/records.ts';
import type { HubSpotRecord } from '../../../src/crm/mirror/types.ts';

const PHONE_PROPS = ['phone', 'mobilephone', 'hs_whatsapp_phone_number'];

/** A contact as GET /crm/v3/objects/contacts returns it (through the official client). */
const listedContact: HubSpotRecord = {
  id: '10501',
  properties: {
    createdate: '2024-03-01T09:00:00.000Z',
    email: 'olena@example.com',
    firstname: 'Olena',
    hs_object_id: '10501',
    hubspot_owner_id: '7001',
    lastmodifieddate: '2024-03-02T10:11:12.345Z',
    lastname: 'Koval',
    mobilephone: '+380 67 765 43 21',
    phone: '(050) 123-45-67',
  },
  updatedAt: new Date('2024-03-02T10:11:12.345Z'),
};

const opts = { complete: true, defaultCountry: 'UA', phoneProperties: PHONE_PROPS };

t.test('a listed contact: owner, names, and every phone property in E.164', async (t) => {
  const c = contactFromHubSpot(listedContact, opts);
  t.same(c, {
    id: '10501',
    lastModifiedAt: new Date('2024-03-02T10:11:12.345Z'),
    ownerId: '7001',
    firstName: 'Olena',
    lastName: 'Koval',
    email: 'olena@example.com',
    phones: [
      { property: 'phone', raw: '(050) 123-45-67', e164: '+380501234567', problem: null },
      { property: 'mobilephone', raw: '+380 67 765 43 21', e164: '+380677654321', problem: null },
    ],
    phoneScope: null,
  });
});

t.test('phone formats a CRM holds, read in the default country', async (t) => {
  const cases: Array<[raw: string, country: string, e164: string | null]> = [
    ['(050) 123-45-67', 'UA', '+380501234567'],
    ['+380 50 123 4567', 'UA', '+380501234567'],
    ['0501234567', 'UA', '+380501234567'],
    ['380501234567', 'UA', '+380501234567'],
    ['+38 (050) 123-45-67', 'UA', '+380501234567'],
    ['8 (495) 123-45-67', 'RU', '+74951234567'],
    ['+7 495 123 45 67', 'RU', '+74951234567'],
    ['84951234567', 'RU', '+74951234567'],
    ['+380501234567', 'US', '+380501234567'],
    ['(201) 555-0123', 'US', '+12015550123'],
    ['050 123 45 67 ext. 12', 'UA', '+380501234567'],
    ['call me maybe', 'UA', null],
    ['12', 'UA', null],
  ];
  for (const [raw, country, e164] of cases) {
    const c = contactFromHubSpot({ id: '1', properties: { phone: raw } }, { ...opts, defaultCountry: country });
    t.equal(c.phones[0]?.e164 ?? null, e164, `${raw} in ${country}`);
    t.equal(c.phones[0]?.raw, raw, 'the raw value is kept');
    if (e164 === null) t.match(c.phones[0]?.problem, /\S/, 'with the reason');
  }
});

t.test('unset and empty values: no phone, null owner', async (t) => {
  const c = contactFromHubSpot(
    { id: '2', properties: { phone: '   ', mobilephone: null, hubspot_owner_id: '', lastmodifieddate: '1709374272345' } },
    opts,
  );
  t.same(c.phones, []);
  t.equal(c.ownerId, null, 'a missing owner is null');
  t.equal(c.firstName, null, 'a property the complete read did not return is unset');
  t.same(c.lastModifiedAt, new Date(1709374272345), 'epoch milliseconds are read too');
});

t.test('a partial record (what HubSpot echoes after a create) leaves the rest alone', async (t) => {
  const c = contactFromHubSpot({ id: '3', properties: { phone: '0671112233', firstname: 'Ivan' } }, { ...opts, complete: false });
  t.equal(c.ownerId, undefined, 'owner not known: keep');
  t.equal(c.email, undefined);
  t.equal(c.firstName, 'Ivan');
  t.same(c.phoneScope, ['phone'], 'only the phone property it carries is replaced');
  t.same(c.phones.map((p) => p.e164), ['+380671112233']);
  const cleared = contactFromHubSpot({ id: '3', properties: { mobilephone: null } }, { ...opts, complete: false });
  t.same(cleared.phoneScope, ['mobilephone'], 'an explicit null clears that property');
  t.same(cleared.phones, []);
});

t.test('deals: stage, pipeline, closed flag, owner and associated contacts', async (t) => {
  const listed: HubSpotRecord = {
    id: '20001',
    properties: {
      dealname: 'Call from +380501234567',
      dealstage: 'closedwon',
      hs_is_closed: 'true',
      hs_lastmodifieddate: '2024-03-05T08:00:00Z',
      hubspot_owner_id: null,
      pipeline: 'default',
    },
    contactIds: ['10501', '10502', '10501'],
  };
  t.same(dealFromHubSpot(listed, { complete: true }), {
    id: '20001',
    lastModifiedAt: new Date('2024-03-05T08:00:00Z'),
    name: 'Call from +380501234567',
    ownerId: null,
    pipelineId: 'default',
    stageId: 'closedwon',
    closedInCrm: true,
    contactIds: ['10501', '10502'],
  });
  const partial = dealFromHubSpot({ id: '20002', properties: { dealname: 'x' }, updatedAt: '2024-03-05T09:00:00Z' }, { complete: false });
  t.equal(partial.stageId, undefined);
  t.equal(partial.contactIds, undefined, 'associations not read: keep the stored ones');
  t.same(partial.lastModifiedAt, new Date('2024-03-05T09:00:00Z'), 'updatedAt when the property is absent');
});

t.test('what is asked of HubSpot', async (t) => {
  t.same(propertiesToRead('contacts', ['phone', 'mobilephone', 'phone']), [
    'hubspot_owner_id', 'firstname', 'lastname', 'email', 'lastmodifieddate', 'phone', 'mobilephone',
  ]);
  t.same(propertiesToRead('deals', []), ['dealname', 'hubspot_owner_id', 'pipeline', 'dealstage', 'hs_is_closed', 'hs_lastmodifieddate']);
});

t.test('helpers', async (t) => {
  t.equal(parseCrmTime('yesterday'), null);
  t.equal(parseCrmTime(''), null);
  t.same(parseCrmTime('2024-01-01'), new Date('2024-01-01T00:00:00Z'));
  const a = { id: '1', lastModifiedAt: new Date(1) };
  const b = { id: '1', lastModifiedAt: new Date(2) };
  t.same(latestPerId([b, a, { id: '2', lastModifiedAt: null }]), [b, { id: '2', lastModifiedAt: null }], 'the newest version of each id');
  const bad = contactFromHubSpot({ id: '9', properties: { phone: 'n/a' } }, opts);
  const [p] = phoneProblems([bad]);
  t.match(p, { contactId: '9', property: 'phone', raw: 'n/a' });
  t.match(p?.message, /^CRM contact 9: phone "n\/a" is not a usable phone number \(.+\); kept as written, calls from it will not find this contact$/);
});
