// The CRM options (SPEC §6): entities, moment of creation, pipelines, field mapping,
// UTM-only mode, unknown outbound numbers, a completed task for every answered call.
import t from 'tap';
import { choosePipeline } from '../../../src/crm/matrix.ts';
import type { CrmWrite, MirrorFacts, PipelineRule } from '../../../src/crm/types.ts';
import {
  ANAS_CLIENT,
  BORIS,
  CLIENT,
  RETURNING,
  SENIOR,
  STRANGER,
  call,
  codes,
  decide,
  get,
  keys,
  outbound,
  owners,
  settings,
  type Case,
} from './fixtures.ts';

const missed = call({ disposition: 'missed', answeredBy: null, talkMs: 0, recordingUrl: undefined });

t.test('entities: contact only', async (t) => {
  const r = decide({ settings: { createEntities: 'contact' } });
  t.same(keys(r), ['contact', 'call']);
  t.same(get(r, 'call', 'createCall').associations, { contact: { ref: 'contact' }, deal: null });
  t.same(keys(decide({ call: missed, settings: { createEntities: 'contact' } })), ['contact', 'call', 'task:callback']);
  t.same(get(decide({ call: missed, settings: { createEntities: 'contact' } }), 'task:callback', 'createTask').associations, { contact: { ref: 'contact' }, deal: null });
});

t.test('a returning client (contact, no open deal) gets a new deal owned by the responsible manager', async (t) => {
  const r = decide({ mirror: RETURNING, call: call({ answeredBy: BORIS }) });
  t.same(keys(r), ['deal', 'call', 'task:answered'], 'no second contact; Borys answered for Ana');
  t.match(get(r, 'deal', 'createDeal'), { ownerId: 'o-ana', associateWith: { id: 'c-1' } });
  t.same(get(r, 'call', 'createCall').associations, { contact: { id: 'c-1' }, deal: { ref: 'deal' } });
  t.same(keys(decide({ mirror: RETURNING, settings: { createEntities: 'contact' } })), ['call'], 'contact only: nothing to create');
});

/** Both phases of createWhen = call_start, against the after_call plan of the same call. */
function phases(c: Case) {
  const start = decide({ ...c, phase: 'call_start', settings: { ...c.settings, createWhen: 'call_start' } });
  const after = decide({ ...c, phase: 'after_call', settings: { ...c.settings, createWhen: 'call_start' } });
  const once = decide({ ...c, phase: 'after_call', settings: { ...c.settings, createWhen: 'after_call' } });
  return { start, after, once, all: [...start.writes, ...after.writes] };
}
const creation = (w: CrmWrite): boolean => w.kind === 'upsertContact' || w.kind === 'createDeal';

t.test('when: at call start the records come first; after the call only activity, no duplicates', async (t) => {
  const cases: Array<[string, Case, string[], string[]]> = [
    ['answered by Ana', {}, ['contact', 'deal'], ['contact:owner', 'deal:owner', 'call']],
    ['missed', { call: missed }, ['contact', 'deal'], ['call', 'task:callback']],
    ['unknown employee', { call: call({ answeredBy: STRANGER }) }, ['contact', 'deal'], ['call', 'task:check-integration']],
    ['existing client', { mirror: ANAS_CLIENT, call: call({ answeredBy: BORIS }) }, [], ['call', 'task:answered']],
    ['outbound, option on', { call: outbound(), settings: { createForUnknownOutbound: true } }, ['contact', 'deal'], ['call']],
    ['outbound, option on, not answered', { call: outbound({ disposition: 'missed', talkMs: 0 }), settings: { createForUnknownOutbound: true } }, ['contact', 'deal'], ['call']],
  ];
  for (const [name, c, atStart, afterwards] of cases) {
    const { start, after, once, all } = phases(c);
    t.same(keys(start), atStart, `${name}: call_start writes`);
    t.same(keys(after), afterwards, `${name}: after_call writes`);
    t.equal(new Set(all.map((w) => w.key)).size, all.length, `${name}: no key twice`);
    t.notOk(after.writes.some(creation), `${name}: nothing created after the call`);
    const final = (key: string) =>
      all.filter((w) => w.key === key || w.key === `${key}:owner`).map((w) => ('ownerId' in w ? w.ownerId : undefined)).at(-1);
    for (const key of ['contact', 'deal']) {
      if (key in owners(once)) t.equal(final(key), owners(once)[key], `${name}: ${key} ends with the same owner as after_call mode`);
    }
  }
  const dialled = phases({ call: outbound({ disposition: 'missed', talkMs: 0 }), settings: { createForUnknownOutbound: true } });
  t.same(keys(dialled.once), [], 'after_call mode waits for the answer; call_start mode cannot, so the attempt is logged on its records');
  const { start, after } = phases({});
  t.equal(get(start, 'contact', 'upsertContact').ownerId, SENIOR, 'nobody has answered yet: the senior manager holds the new client');
  t.match(get(after, 'deal:owner', 'updateDeal'), { deal: { ref: 'deal' }, ownerId: 'o-ana' });
  t.same(get(after, 'call', 'createCall').associations, { contact: { ref: 'contact' }, deal: { ref: 'deal' } });
  t.same(keys(decide({ phase: 'call_start' })), [], 'createWhen after_call: nothing at call start');
  t.same(keys(decide({ call: call({ direction: 'internal' }), phase: 'call_start', settings: { createWhen: 'call_start' } })), []);
});

t.test('when: the mirror may already hold the records this call created', async (t) => {
  const id = call().id;
  const ours: MirrorFacts = {
    contact: { id: 'c-9', ownerId: SENIOR, createdByCallId: id },
    openDeals: [{ id: 'd-9', ownerId: SENIOR, pipelineId: 'p-default', stageId: 's-new', createdByCallId: id }],
    responsibleOwnerId: SENIOR,
  };
  const s = { createWhen: 'call_start' as const };
  t.same(decide({ mirror: ours, settings: s }), decide({ settings: s }), 'same plan as with the mirror before the call');
});

t.test('pipelines: tracking number > site > utm_source > default, whatever the order of the rules', async (t) => {
  const rules: PipelineRule[] = [
    { match: { utmSource: 'Google' }, pipelineId: 'p-utm', stageId: 's-utm' },
    { match: { siteId: 5 }, pipelineId: 'p-site', stageId: 's-site' },
    { match: { siteId: 5 }, pipelineId: 'p-site-2', stageId: 's-site-2' },
    { match: { trackingNumberId: 11 }, pipelineId: 'p-number', stageId: 's-number' },
  ];
  const s = settings({ pipelineRules: rules });
  const cases: Array<[string, Parameters<typeof call>[0], string | null, string]> = [
    ['tracking number rule', {}, 'p-number', 'tracking_number'],
    ['site rule (first of two)', { trackingNumberId: 12 }, 'p-site', 'site'],
    ['utm_source rule, case-insensitive', { trackingNumberId: 12, siteId: 6 }, 'p-utm', 'utm_source'],
    ['default', { trackingNumberId: 12, siteId: 6, attribution: { confidence: 'none', label: 'unattributed (pool exhausted)' } }, 'p-default', 'default'],
  ];
  for (const [name, over, pipelineId, by] of cases) t.match(choosePipeline(call(over), s), { pipelineId, by }, name);
  const byE164 = settings({ pipelineRules: [...rules, { match: { trackingNumber: '+34910000009' }, pipelineId: 'p-e164', stageId: 's' }] });
  t.match(choosePipeline(call({ trackingNumberId: 99, trackingNumber: '+34910000009' }), byE164), { pipelineId: 'p-e164', by: 'tracking_number' });
  const noDefault = settings({ defaultPipelineId: null, defaultStageId: null });
  t.same(choosePipeline(call({ trackingNumberId: 99, siteId: 99 }), noDefault), { pipelineId: null, stageId: null, by: 'default' });
  t.match(get(decide({ settings: { pipelineRules: rules } }), 'deal', 'createDeal'), { pipelineId: 'p-number', stageId: 's-number' });
});

t.test('field mapping: the additional fields go to the deal, or to the contact without one; empty ones are skipped', async (t) => {
  const fieldMapping = { gclid: 'gclid', landing_page: 'first_page', fbclid: 'fb_click', tracking_number: 'called_number' };
  const r = decide({ settings: { fieldMapping } });
  t.match(get(r, 'deal', 'createDeal').properties, { gclid: 'Cj0KCQ', first_page: 'https://shop.example.com/sofas', called_number: '+34910000001' });
  t.notOk('fb_click' in get(r, 'deal', 'createDeal').properties, 'no fbclid, no property');
  t.notOk('gclid' in get(r, 'contact', 'upsertContact').properties);
  const contactOnly = decide({ settings: { fieldMapping, createEntities: 'contact' } });
  t.match(get(contactOnly, 'contact', 'upsertContact').properties, { gclid: 'Cj0KCQ', first_page: 'https://shop.example.com/sofas' });
});

t.test('UTM only: UTMs onto the existing deal, nothing else; no deal: nothing, and a warning', async (t) => {
  const s = { utmOnly: true, fieldMapping: { gclid: 'gclid' } };
  const r = decide({ mirror: ANAS_CLIENT, settings: s });
  t.equal(r.row, 'utm_only');
  t.same(keys(r), ['deal:utm']);
  const u = get(r, 'deal:utm', 'updateDeal');
  t.same(u.deal, { id: 'd-1' });
  t.same(u.properties, {
    ringpath_utm_source: 'google',
    ringpath_utm_medium: 'cpc',
    ringpath_utm_campaign: 'spring_sale',
    ringpath_utm_term: 'sofa',
    ringpath_ga_client_id: '1234567890.1714550000',
    ringpath_source: 'google / cpc',
    ringpath_attribution_confidence: 'exact',
    gclid: 'Cj0KCQ',
  });
  t.equal(u.ownerId, undefined, 'the owner is left alone');
  const none = decide({ settings: s, call: missed });
  t.same(keys(none), [], 'no open deal: no contact, no deal, no task');
  t.same(codes(none), ['UTM_ONLY_NO_DEAL']);
  t.same(keys(decide({ mirror: RETURNING, settings: s })), [], 'a contact without an open deal is not enough');
  const unattributed = decide({ mirror: ANAS_CLIENT, settings: s, call: call({ attribution: { confidence: 'none', label: 'unattributed (pool exhausted)' } }) });
  t.same([keys(unattributed), codes(unattributed)], [[], ['UNATTRIBUTED']]);
  t.same(keys(decide({ mirror: ANAS_CLIENT, settings: { ...s, createWhen: 'call_start' }, phase: 'call_start' })), []);
});

t.test('unknown outbound: created only with the option, and after the call only when answered', async (t) => {
  t.same(keys(decide({ call: outbound() })), []);
  t.same(keys(decide({ call: outbound(), settings: { createForUnknownOutbound: true } })), ['contact', 'deal', 'call']);
  const unanswered = decide({ call: outbound({ disposition: 'busy', talkMs: 0 }), settings: { createForUnknownOutbound: true } });
  t.same([keys(unanswered), codes(unanswered)], [[], ['OUTBOUND_UNKNOWN_CLIENT']]);
  t.same(keys(decide({ mirror: RETURNING, call: outbound(), settings: { createForUnknownOutbound: true } })), ['call'], 'a known contact is not unknown');
  const deal = get(decide({ call: outbound(), settings: { createForUnknownOutbound: true } }), 'deal', 'createDeal');
  t.equal(deal.properties['ringpath_utm_source'], undefined, 'no UTMs for an outbound call');
});

t.test('a completed task with the recording for every answered call (004_*, item 6)', async (t) => {
  const on = { completedTaskForEveryAnsweredCall: true };
  const cases: Array<[string, Case, string | null]> = [
    ['new client', { settings: on }, 'o-ana'],
    ['responsible answered', { mirror: ANAS_CLIENT, settings: on }, 'o-ana'],
    ['outbound by a colleague: for the responsible manager', { mirror: ANAS_CLIENT, call: outbound({ placedBy: BORIS }), settings: on }, 'o-ana'],
    ['outbound, new client created', { call: outbound(), settings: { ...on, createForUnknownOutbound: true } }, 'o-ana'],
  ];
  for (const [name, c, owner] of cases) {
    const task = get(decide(c), 'task:answered', 'createTask');
    t.match(task, { status: 'COMPLETED', ownerId: owner, body: /https:\/\/calls\.example\.com\/r\/7d1c\.wav/ }, name);
  }
  t.notOk(keys(decide({ mirror: ANAS_CLIENT })).includes('task:answered'), 'off: no task');
  t.notOk(keys(decide({ call: missed, settings: on })).includes('task:answered'), 'missed: no completed task');
  const both = decide({ mirror: ANAS_CLIENT, call: call({ answeredBy: BORIS }), settings: on });
  t.equal(keys(both).filter((k) => k === 'task:answered').length, 1, 'colleague + option: one task');
  t.match(get(both, 'task:answered', 'createTask').subject, /answered your client/);
  t.match(get(decide({ settings: on }), 'task:answered', 'createTask').subject, `Call with ${CLIENT}, 2:05`);
});
