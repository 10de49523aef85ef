import t from 'tap';
import { loadSettings } from '../../../src/db/repositories/settings.ts';
import { testApi, type TestApi } from '../../support/app.ts';

const URL = '/api/v1/settings';

const DEFAULTS = {
  time_zone: 'UTC',
  recording_enabled: true,
  trunk_default_caller_id: null,
  trunk_allowed_sources: [],
  crm_create_entities: 'contact_and_deal',
  crm_create_when: 'after_call',
  crm_utm_only: false,
  crm_outbound_create_for_new_client: false,
  crm_completed_task_for_answered_calls: false,
  crm_language: 'en',
  crm_responsible_lookup_order: ['contact_owner', 'deal_owner'],
  crm_field_mapping: {},
  crm_deal_pipeline: null,
  crm_deal_pipeline_rules: [],
  missed_call_task_due_minutes: 60,
  notify_heads_of_missed_calls: false,
};

async function storedKeys(api: TestApi): Promise<string[]> {
  const { rows } = await api.db.pool.query<{ key: string }>('SELECT key FROM settings ORDER BY key');
  return rows.map((r) => r.key);
}

t.test('settings: every key has a default', async (t) => {
  const api = await testApi(t);
  const res = await api.get(URL);
  t.equal(res.statusCode, 200);
  t.same(res.json(), DEFAULTS);
  t.same(await loadSettings(api.db.pool), DEFAULTS, 'loadSettings reads the same object');
  t.same(await storedKeys(api), [], 'defaults are not written to the table');
});

t.test('settings: a partial update stores the given keys and returns everything', async (t) => {
  const api = await testApi(t);
  const res = await api.patch(URL, {
    recording_enabled: false,
    trunk_default_caller_id: '(044) 123-45-67',
    crm_language: 'uk',
    crm_field_mapping: { gclid: 'gclid', utm_source: 'hs_utm_source' },
  });
  t.equal(res.statusCode, 200, res.body);
  const expected = {
    ...DEFAULTS,
    recording_enabled: false,
    trunk_default_caller_id: '+380441234567',
    crm_language: 'uk',
    crm_field_mapping: { gclid: 'gclid', utm_source: 'hs_utm_source' },
  };
  t.same(res.json(), expected, 'caller id normalised to E.164, other keys keep their defaults');
  t.same((await api.get(URL)).json(), expected, 'GET agrees');
  t.same(await storedKeys(api), ['crm_field_mapping', 'crm_language', 'recording_enabled', 'trunk_default_caller_id'], 'one row per key');

  const second = await api.patch(URL, { trunk_default_caller_id: null, crm_field_mapping: { fbclid: 'fbclid' }, crm_utm_only: true });
  t.equal(second.statusCode, 200, second.body);
  t.equal(second.json().trunk_default_caller_id, null, 'null clears the caller id');
  t.same(second.json().crm_field_mapping, { fbclid: 'fbclid' }, 'the mapping is replaced, not merged');
  t.equal(second.json().crm_language, 'uk', 'earlier keys are kept');
  t.equal((await loadSettings(api.db.pool)).crm_utm_only, true, 'loadSettings sees the update');
});

t.test('settings: CRM pipeline rules and trunk sources', async (t) => {
  const api = await testApi(t);
  const site = await api.post('/api/v1/sites', { name: 'Shop', domain: 'shop.example.com', fallback_number: '+380441112233' });
  t.equal(site.statusCode, 201);
  const res = await api.patch(URL, {
    crm_deal_pipeline: { pipeline_id: 'default', stage_id: 'appointmentscheduled' },
    crm_deal_pipeline_rules: [
      { match: { tracking_number: '050 123 45 67' }, pipeline_id: '123', stage_id: '456' },
      { match: { site_id: site.json().id }, pipeline_id: '123', stage_id: '457' },
      { match: { utm_source: 'google' }, pipeline_id: '124', stage_id: '458' },
    ],
    trunk_allowed_sources: ['203.0.113.7', '198.51.100.0/24', '2001:db8::/32'],
    crm_responsible_lookup_order: ['deal_owner'],
    missed_call_task_due_minutes: 1440,
    time_zone: 'Europe/Kyiv',
  });
  t.equal(res.statusCode, 200, res.body);
  const s = res.json();
  t.same(s.crm_deal_pipeline_rules[0].match, { tracking_number: '+380501234567' }, 'rule numbers normalised to E.164');
  t.equal(s.crm_deal_pipeline_rules[1].match.site_id, site.json().id);
  t.same(s.trunk_allowed_sources, ['203.0.113.7', '198.51.100.0/24', '2001:db8::/32']);
  t.same(s.crm_responsible_lookup_order, ['deal_owner']);
  t.equal(s.missed_call_task_due_minutes, 1440);
  t.equal(s.time_zone, 'Europe/Kyiv', 'the time zone is kept as written');
  t.same(s.crm_deal_pipeline, { pipeline_id: 'default', stage_id: 'appointmentscheduled' });
});

t.test('settings: invalid values are rejected naming the field, and nothing is stored', async (t) => {
  const api = await testApi(t);
  const valid = { crm_language: 'es' }; // sent along with every bad key: it must not be stored either
  const rule = { pipeline_id: '1', stage_id: '2' };
  const cases: Array<[string, object, string, number, string?]> = [
    ['unknown key', { dark_mode: true }, '/dark_mode', 400],
    ['unknown time zone', { time_zone: 'Europe/Atlantis' }, '/time_zone', 400],
    ['offset instead of a zone', { time_zone: '+03:00' }, '/time_zone', 400],
    ['boolean as string', { recording_enabled: 'yes' }, '/recording_enabled', 400],
    ['null for a boolean', { notify_heads_of_missed_calls: null }, '/notify_heads_of_missed_calls', 400],
    ['unknown entity choice', { crm_create_entities: 'deal' }, '/crm_create_entities', 400],
    ['unknown moment', { crm_create_when: 'tomorrow' }, '/crm_create_when', 400],
    ['unsupported language', { crm_language: 'de' }, '/crm_language', 400],
    ['repeated lookup target', { crm_responsible_lookup_order: ['deal_owner', 'deal_owner'] }, '/crm_responsible_lookup_order', 400],
    ['empty lookup order', { crm_responsible_lookup_order: [] }, '/crm_responsible_lookup_order', 400],
    ['due in 0 minutes', { missed_call_task_due_minutes: 0 }, '/missed_call_task_due_minutes', 400],
    ['due after a week', { missed_call_task_due_minutes: 10081 }, '/missed_call_task_due_minutes', 400],
    ['fractional minutes', { missed_call_task_due_minutes: 1.5 }, '/missed_call_task_due_minutes', 400],
    ['invalid caller id', { trunk_default_caller_id: '12' }, '/trunk_default_caller_id', 400, 'PHONE_INVALID'],
    ['unknown mapped field', { crm_field_mapping: { favourite_colour: 'colour' } }, '/crm_field_mapping/favourite_colour', 400],
    ['bad CRM property name', { crm_field_mapping: { gclid: 'Google Click' } }, '/crm_field_mapping/gclid', 400],
    ['not an address', { trunk_allowed_sources: ['300.1.1.1'] }, '/trunk_allowed_sources/0', 400],
    ['prefix too long', { trunk_allowed_sources: ['10.0.0.0/8', '10.0.0.0/33'] }, '/trunk_allowed_sources/1', 400],
    ['rule matching on two things', { crm_deal_pipeline_rules: [{ ...rule, match: { utm_source: 'a', site_id: 1 } }] }, '/crm_deal_pipeline_rules/0/match', 400],
    ['rule matching nothing', { crm_deal_pipeline_rules: [{ ...rule, match: {} }] }, '/crm_deal_pipeline_rules/0/match', 400],
    ['rule with a bad number', { crm_deal_pipeline_rules: [{ ...rule, match: { tracking_number: 'abc' } }] }, '/crm_deal_pipeline_rules/0/match/tracking_number', 400, 'PHONE_INVALID'],
    ['rule for an unknown site', { crm_deal_pipeline_rules: [{ ...rule, match: { site_id: 99 } }] }, '/crm_deal_pipeline_rules/0/match/site_id', 422, 'REFERENCE_NOT_FOUND'],
    ['pipeline without stage', { crm_deal_pipeline: { pipeline_id: 'default' } }, '/crm_deal_pipeline', 400],
  ];
  for (const [name, bad, field, status, code = 'VALIDATION_FAILED'] of cases) {
    const res = await api.patch(URL, { ...valid, ...bad });
    t.equal(res.statusCode, status, `${name}: ${status}`);
    t.equal(res.json().code, code, `${name}: ${code}`);
    t.ok(
      (res.json().errors ?? []).some((e: { field: string }) => e.field === field || e.field.startsWith(`${field}/`)),
      `${name}: names ${field} (${res.body})`,
    );
  }
  t.equal((await api.patch(URL, {})).statusCode, 400, 'an empty patch is rejected');
  t.same(await storedKeys(api), [], 'nothing was stored');
  t.same((await api.get(URL)).json(), DEFAULTS);
});

t.test('loadSettings: stored values that do not fit their schema read as defaults', async (t) => {
  const api = await testApi(t);
  await api.db.pool.query(
    `INSERT INTO settings (key, value) VALUES
       ('crm_language', '"fr"'), ('missed_call_task_due_minutes', '"soon"'), ('legacy_key', 'true'), ('recording_enabled', 'false')`,
  );
  const s = await loadSettings(api.db.pool);
  t.equal(s.crm_language, 'en', 'an unsupported stored value falls back to the default');
  t.equal(s.missed_call_task_due_minutes, 60);
  t.equal(s.recording_enabled, false, 'valid stored values are used');
  t.notOk('legacy_key' in s, 'unknown keys are ignored');
  const again = await loadSettings(api.db.pool);
  again.crm_responsible_lookup_order.push('deal_owner');
  t.same((await loadSettings(api.db.pool)).crm_responsible_lookup_order, ['contact_owner', 'deal_owner'], 'each load gets its own copy of the defaults');
});
