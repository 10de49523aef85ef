// The HubSpot adapter's mapping of CRM writes to HubSpot properties and inline
// associations: pure, table-driven.
import t from 'tap';
import {
  CALL_OUTCOMES,
  DEFAULT_PIPELINE,
  RINGPATH_PROPERTIES,
  WRITE_KEY_PROPERTY,
  callProperties,
  contactProperties,
  dealProperties,
  engagementAssociations,
  htmlBody,
  taskProperties,
  updateProperties,
} from '../../../src/crm/hubspot/writer.ts';
import type { NewCall, NewTask } from '../../../src/crm/port.ts';
import { CALL_DISPOSITIONS } from '../../support/hubspot-emulator/index.ts';

const CALL_ID = '0b7e6d1a-3c2f-4a8e-9f10-2d4c6b8a0e11';

const newCall = (over: Partial<NewCall> = {}): NewCall => ({
  key: 'call',
  callId: CALL_ID,
  direction: 'inbound',
  status: 'COMPLETED',
  disposition: 'answered',
  durationMs: 125_000,
  fromE164: '+34911234567',
  toE164: '+34910000001',
  ownerId: '501',
  timestamp: new Date('2024-05-01T10:00:00Z'),
  title: 'Inbound call from +34911234567',
  body: 'Source: google / cpc\nRecording: https://r.example.com/a.mp3?x=1&y=2',
  recordingUrl: 'https://r.example.com/a.mp3?x=1&y=2',
  associations: { contactId: '11', dealId: '12' },
  ...over,
});

const newTask = (over: Partial<NewTask> = {}): NewTask => ({
  key: 'task:callback',
  callId: CALL_ID,
  subject: 'Call back +34911234567',
  body: 'Missed call <from the site>\nCall back soon',
  ownerId: '502',
  dueAt: new Date('2024-05-01T11:02:17Z'),
  status: 'NOT_STARTED',
  associations: { contactId: '11', dealId: null },
  ...over,
});

t.test('htmlBody escapes HTML and turns newlines into <br>', async (t) => {
  const cases: Array<[string, string]> = [
    ['plain', 'plain'],
    ['a\nb', 'a<br>b'],
    ['a\r\n\r\nb', 'a<br><br>b'],
    ['<b>x</b> & "y"', '&lt;b&gt;x&lt;/b&gt; &amp; &quot;y&quot;'],
    ['https://r.example.com/a.mp3?x=1&y=2', 'https://r.example.com/a.mp3?x=1&amp;y=2'],
  ];
  for (const [input, expected] of cases) t.equal(htmlBody(input), expected, JSON.stringify(input));
});

t.test('a call engagement carries every hs_call_* property, its external id (the ringpath call id), the owner and the ringpath ids', async (t) => {
  t.same(callProperties(newCall()), {
    hs_timestamp: '2024-05-01T10:00:00.000Z',
    hs_call_title: 'Inbound call from +34911234567',
    hs_call_body: 'Source: google / cpc<br>Recording: https://r.example.com/a.mp3?x=1&amp;y=2',
    hs_call_direction: 'INBOUND',
    hs_call_status: 'COMPLETED',
    hs_call_disposition: CALL_DISPOSITIONS.connected,
    hs_call_duration: '125000',
    hs_call_from_number: '+34911234567',
    hs_call_to_number: '+34910000001',
    hs_call_recording_url: 'https://r.example.com/a.mp3?x=1&y=2',
    hs_call_external_id: CALL_ID,
    hs_call_external_account_id: 'ringpath',
    hs_call_source: 'INTEGRATIONS_PLATFORM',
    hubspot_owner_id: '501',
    ringpath_call_id: CALL_ID,
    [WRITE_KEY_PROPERTY]: 'call',
  });
  const missed = callProperties(newCall({ direction: 'outbound', status: 'NO_ANSWER', disposition: 'missed', durationMs: 0, recordingUrl: null, ownerId: null, fromE164: null }));
  t.equal(missed.hs_call_direction, 'OUTBOUND');
  t.equal(missed.hs_call_disposition, CALL_DISPOSITIONS.noAnswer);
  t.equal(missed.hs_call_duration, '0');
  t.notOk('hs_call_recording_url' in missed, 'no recording, no property');
  t.notOk('hubspot_owner_id' in missed, 'no owner, no property');
  t.notOk('hs_call_from_number' in missed, 'a withheld number is left out');
});

t.test('each disposition maps to a HubSpot call outcome (failed has none)', async (t) => {
  t.equal(CALL_OUTCOMES.answered, CALL_DISPOSITIONS.connected);
  t.equal(CALL_OUTCOMES.missed, CALL_DISPOSITIONS.noAnswer);
  t.equal(CALL_OUTCOMES.abandoned, CALL_DISPOSITIONS.noAnswer);
  t.equal(CALL_OUTCOMES.busy, CALL_DISPOSITIONS.busy);
  t.notOk('hs_call_disposition' in callProperties(newCall({ disposition: 'failed', status: 'FAILED' })));
});

t.test('tasks: subject, HTML body, status, priority, type and due time', async (t) => {
  t.same(taskProperties(newTask()), {
    hs_timestamp: '2024-05-01T11:02:17.000Z',
    hs_task_subject: 'Call back +34911234567',
    hs_task_body: 'Missed call &lt;from the site&gt;<br>Call back soon',
    hs_task_status: 'NOT_STARTED',
    hs_task_priority: 'HIGH',
    hs_task_type: 'CALL',
    hubspot_owner_id: '502',
    ringpath_call_id: CALL_ID,
    [WRITE_KEY_PROPERTY]: 'task:callback',
  });
  const done = taskProperties(newTask({ key: 'task:answered', status: 'COMPLETED' }));
  t.match(done, { hs_task_status: 'COMPLETED', hs_task_priority: 'MEDIUM', hs_task_type: 'TODO', [WRITE_KEY_PROPERTY]: 'task:answered' });
  t.match(taskProperties(newTask({ key: 'task:check-integration' })), { hs_task_priority: 'HIGH', hs_task_type: 'TODO' });
});

t.test('contacts and deals carry the phone, owner, pipeline and the creating call id', async (t) => {
  const contact = contactProperties({ key: 'contact', callId: CALL_ID, phoneE164: '+34911234567', ownerId: null, properties: { ringpath_utm_source: 'google' } });
  t.same(contact, { ringpath_utm_source: 'google', phone: '+34911234567', ringpath_call_id: CALL_ID });
  const deal = { key: 'deal' as const, callId: CALL_ID, properties: { dealname: 'x' }, ownerId: '7', contactId: '1' };
  t.same(dealProperties({ ...deal, pipelineId: 'p1', stageId: 's1' }, () => 'never'), {
    dealname: 'x', pipeline: 'p1', dealstage: 's1', hubspot_owner_id: '7', ringpath_call_id: CALL_ID,
  });
  t.match(dealProperties({ ...deal, pipelineId: null, stageId: null }, (p) => (p === DEFAULT_PIPELINE ? 'appointmentscheduled' : undefined)), {
    pipeline: 'default',
    dealstage: 'appointmentscheduled',
  }, 'no pipeline: the default one and its first open stage');
});

t.test('inline associations use HubSpot-defined types from the engagement', async (t) => {
  const ids = (kind: 'call' | 'task', contactId: string | null, dealId: string | null) =>
    engagementAssociations(kind, { contactId, dealId }).map((a) => [a.to.id, a.types[0]?.associationTypeId, a.types[0]?.associationCategory]);
  t.same(ids('call', '11', '12'), [['11', 194, 'HUBSPOT_DEFINED'], ['12', 206, 'HUBSPOT_DEFINED']]);
  t.same(ids('task', '11', '12'), [['11', 204, 'HUBSPOT_DEFINED'], ['12', 216, 'HUBSPOT_DEFINED']]);
  t.same(ids('task', null, '12'), [['12', 216, 'HUBSPOT_DEFINED']]);
  t.same(ids('call', null, null), []);
});

t.test('updates: an owner of null unassigns, an absent owner is left alone', async (t) => {
  t.same(updateProperties({ id: '1', properties: { a: 'b' } }), { a: 'b' });
  t.same(updateProperties({ id: '1', properties: {}, ownerId: null }), { hubspot_owner_id: '' });
  t.same(updateProperties({ id: '1', properties: {}, ownerId: '9' }), { hubspot_owner_id: '9' });
});

t.test('the custom properties ringpath needs, per object type', async (t) => {
  const names = (type: keyof typeof RINGPATH_PROPERTIES) => RINGPATH_PROPERTIES[type].map(([n]) => n);
  t.same(names('calls'), ['ringpath_call_id', WRITE_KEY_PROPERTY]);
  t.same(names('tasks'), ['ringpath_call_id', WRITE_KEY_PROPERTY]);
  t.ok(names('contacts').includes('ringpath_utm_source') && names('contacts').includes('ringpath_call_id'));
  t.ok(names('deals').includes('ringpath_ga_client_id') && names('deals').includes('ringpath_source'));
});
