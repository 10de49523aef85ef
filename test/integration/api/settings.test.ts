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
  crm_completed_task_for_answered_calls: true,
  crm_language: 'en',
  crm_responsible_lookup_order: ['contact_owner', 'deal_owner'],
  crm_field_mapping: {},
  crm_deal_pipeline: null,
  crm_deal_pipeline_rules: [],
  missed_call_task_due_minutes: 60,
  notify_heads_of_missed_calls: false,
  dial_plan_allowed_countries: null,
  dial_plan_blocked_prefixes: ['+808', '+870', '+878', '+881', '+882', '+883', '+888', '+979', '+991', '+1900'],
  dial_plan_calls_per_minute: 10,
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

t.test('settings: the dial plan, stored normalised; null restores "DEFAULT_COUNTRY only"', async (t) => {
  const api = await testApi(t);
  const res = await api.patch(URL, {
    dial_plan_allowed_countries: ['ua', 'GB', 'gb', 'PL'],
    dial_plan_blocked_prefixes: ['+881', '+979', '+3809', '+881'],
    dial_plan_calls_per_minute: 3,
  });
  t.equal(res.statusCode, 200, res.body);
  t.match(res.json(), {
    dial_plan_allowed_countries: ['UA', 'GB', 'PL'],
    dial_plan_blocked_prefixes: ['+881', '+979', '+3809'],
    dial_plan_calls_per_minute: 3,
  }, 'country codes in upper case, repeats dropped, order kept');
  t.same((await loadSettings(api.db.pool)).dial_plan_allowed_countries, ['UA', 'GB', 'PL'], 'loadSettings reads them');

  const none = await api.patch(URL, { dial_plan_allowed_countries: [], dial_plan_blocked_prefixes: [] });
  t.equal(none.statusCode, 200, none.body);
  t.match(none.json(), { dial_plan_allowed_countries: [], dial_plan_blocked_prefixes: [] }, 'empty lists are kept: no country, no prefix');

  const reset = await api.patch(URL, { dial_plan_allowed_countries: null });
  t.equal(reset.statusCode, 200, reset.body);
  t.equal(reset.json().dial_plan_allowed_countries, null, 'null: DEFAULT_COUNTRY only');
  t.equal(reset.json().dial_plan_calls_per_minute, 3, 'other keys kept');
});

t.test('settings: the dial plan keys are documented in the OpenAPI document, with their defaults', async (t) => {
  const api = await testApi(t);
  const doc = (await api.app.inject({ method: 'GET', url: '/docs/json' })).json();
  const path = doc.paths['/api/v1/settings/'] ?? doc.paths['/api/v1/settings'];
  const props = path.patch.requestBody.content['application/json'].schema.properties;
  t.match(props.dial_plan_allowed_countries.description, /null means DEFAULT_COUNTRY only.*Default: null\.$/);
  t.match(props.dial_plan_blocked_prefixes.description, /Default: \["\+808","\+870",.*"\+1900"\]\.$/);
  t.match(props.dial_plan_calls_per_minute.description, /per minute.*Default: 10\.$/);
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
    ['unknown country code', { dial_plan_allowed_countries: ['UA', 'XX'] }, '/dial_plan_allowed_countries/1', 400],
    ['country name instead of code', { dial_plan_allowed_countries: ['Ukraine'] }, '/dial_plan_allowed_countries/0', 400],
    ['alpha-3 country code', { dial_plan_allowed_countries: ['GBR'] }, '/dial_plan_allowed_countries/0', 400],
    ['countries as one string', { dial_plan_allowed_countries: 'UA,GB' }, '/dial_plan_allowed_countries', 400],
    ['prefix without +', { dial_plan_blocked_prefixes: ['+881', '979'] }, '/dial_plan_blocked_prefixes/1', 400],
    ['prefix with spaces', { dial_plan_blocked_prefixes: ['+380 9'] }, '/dial_plan_blocked_prefixes/0', 400],
    ['prefix that is only +', { dial_plan_blocked_prefixes: ['+'] }, '/dial_plan_blocked_prefixes/0', 400],
    ['prefix with letters', { dial_plan_blocked_prefixes: ['+88x'] }, '/dial_plan_blocked_prefixes/0', 400],
    ['prefix with calling code 0', { dial_plan_blocked_prefixes: ['+0'] }, '/dial_plan_blocked_prefixes/0', 400],
    ['prefix longer than a number', { dial_plan_blocked_prefixes: ['+1234567890123456'] }, '/dial_plan_blocked_prefixes/0', 400],
    ['negative rate', { dial_plan_calls_per_minute: -1 }, '/dial_plan_calls_per_minute', 400],
    ['zero rate', { dial_plan_calls_per_minute: 0 }, '/dial_plan_calls_per_minute', 400],
    ['fractional rate', { dial_plan_calls_per_minute: 2.5 }, '/dial_plan_calls_per_minute', 400],
    ['rate as a string', { dial_plan_calls_per_minute: '10' }, '/dial_plan_calls_per_minute', 400],
    ['null rate', { dial_plan_calls_per_minute: null }, '/dial_plan_calls_per_minute', 400],
    ['null prefixes', { dial_plan_blocked_prefixes: null }, '/dial_plan_blocked_prefixes', 400],
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

  // the messages say what is wrong with the entry, in words
  const country = (await api.patch(URL, { dial_plan_allowed_countries: ['UA', 'XX'] })).json();
  t.same(country.errors, [{ field: '/dial_plan_allowed_countries/1', message: '"XX" is not a known ISO 3166-1 alpha-2 country code' }]);
  const prefix = (await api.patch(URL, { dial_plan_blocked_prefixes: ['+881', '979', '+3 8'] })).json();
  t.same(prefix.errors.map((e: { field: string }) => e.field), ['/dial_plan_blocked_prefixes/1', '/dial_plan_blocked_prefixes/2'], 'every bad prefix named');
  t.match(prefix.errors[0].message, /"979" is not a number prefix: write "\+" then the digits/);
  t.same(await storedKeys(api), [], 'still nothing stored');
});

t.test('loadSettings: stored values that do not fit their schema read as defaults', async (t) => {
  const api = await testApi(t);
  await api.db.pool.query(
    `INSERT INTO settings (key, value) VALUES
       ('crm_language', '"fr"'), ('missed_call_task_due_minutes', '"soon"'), ('legacy_key', 'true'), ('recording_enabled', 'false'),
       ('dial_plan_blocked_prefixes', '["979"]'), ('dial_plan_allowed_countries', '["gb"]')`,
  );
  const s = await loadSettings(api.db.pool);
  t.equal(s.crm_language, 'en', 'an unsupported stored value falls back to the default');
  t.equal(s.missed_call_task_due_minutes, 60);
  t.same(s.dial_plan_blocked_prefixes, DEFAULTS.dial_plan_blocked_prefixes, 'a malformed stored prefix list reads as the default list');
  t.equal(s.dial_plan_allowed_countries, null, 'a stored country code not in upper case reads as the default');
  t.equal(s.recording_enabled, false, 'valid stored values are used');
  t.notOk('legacy_key' in s, 'unknown keys are ignored');
  const again = await loadSettings(api.db.pool);
  again.crm_responsible_lookup_order.push('deal_owner');
  t.same((await loadSettings(api.db.pool)).crm_responsible_lookup_order, ['contact_owner', 'deal_owner'], 'each load gets its own copy of the defaults');
});
