// "The responsible manager" of a call is whom routing rang as such (stored on the
// call record), so "answered by a colleague" means "not the manager routing rang
// first", whatever order the CRM settings name.
import t from 'tap';
import { ANA, BORIS, call, decide, type Case } from './fixtures.ts';
import type { MirrorFacts } from '../../../src/crm/types.ts';

// Ana owns the contact, Boris the open deal; the CRM settings' order names Ana first.
const SHARED: MirrorFacts = {
  contact: { id: 'c-1', ownerId: 'o-ana' },
  openDeals: [{ id: 'd-1', ownerId: 'o-boris', pipelineId: 'default', stageId: 's1' }],
  responsibleOwnerId: 'o-ana',
};

t.test("routing's pick decides who the responsible manager is", async (t) => {
  // [case, routing's pick, answered by, row]
  const rows: Array<[string, string | undefined, typeof ANA, string]> = [
    ['routing rang Boris (deal owner), Boris answered', 'o-boris', BORIS, 'inbound_answered_responsible'],
    ['routing rang Boris, Ana answered: a colleague', 'o-boris', ANA, 'inbound_answered_colleague'],
    ['routing rang Ana, Ana answered', 'o-ana', ANA, 'inbound_answered_responsible'],
    ['routing picked nobody: the CRM order (Ana) decides, Boris answered', undefined, BORIS, 'inbound_answered_colleague'],
  ];
  for (const [name, pick, by, row] of rows) {
    const c: Case = { call: call({ answeredBy: by, ...(pick ? { routingResponsibleOwnerId: pick } : {}) }), mirror: SHARED };
    t.equal(decide(c).row, row, name);
  }
});

t.test("a missed call's call-back task goes to routing's pick", async (t) => {
  const r = decide({ call: call({ disposition: 'missed', answeredBy: null, answeredAt: undefined, talkMs: 0, routingResponsibleOwnerId: 'o-boris' }), mirror: SHARED });
  const task = r.writes.find((w) => w.key === 'task:callback');
  t.ok(task, 'a call-back task');
  t.match(task, { ownerId: 'o-boris' });
});

t.test("a missed call's call-back task goes to the owner of the record it is attached to", async (t) => {
  const missed = (over: Parameters<typeof call>[0] = {}) => call({ disposition: 'missed', answeredBy: null, answeredAt: undefined, talkMs: 0, ...over });
  // [case, mirror, the deal or contact the task is on, its owner]
  const rows: Array<[string, MirrorFacts, string | null, string | null, Case['settings']?]> = [
    ["the CRM order names Ana (contact owner); the open deal is Boris's: the task is on Boris's deal, for Boris", SHARED, 'd-1', 'o-boris'],
    [
      'the deal has no owner: the responsible manager (Ana) gets it',
      { ...SHARED, openDeals: [{ id: 'd-1', ownerId: null, pipelineId: 'default', stageId: 's1' }] },
      'd-1',
      'o-ana',
    ],
    ['contact only, no open deal: the task is on the contact, for its owner', { contact: { id: 'c-1', ownerId: 'o-boris' }, openDeals: [], responsibleOwnerId: 'o-ana' }, null, 'o-boris', { createEntities: 'contact' }],
    ['the deal owner is not in the mirror: the senior manager', { ...SHARED, openDeals: [{ id: 'd-1', ownerId: 'o-gone', pipelineId: 'default', stageId: 's1' }], responsibleOwnerId: 'o-gone' }, 'd-1', 'o-senior'],
  ];
  const owners = { 'o-ana': { name: 'Ana', archived: false }, 'o-boris': { name: 'Boris', archived: false }, 'o-senior': { name: 'Sam', archived: false } };
  for (const [name, mirror, dealId, owner, settings] of rows) {
    const r = decide({ call: missed(), mirror: { ...mirror, owners }, ...(settings ? { settings } : {}) });
    const task = r.writes.find((w) => w.key === 'task:callback');
    t.match(task, { ownerId: owner, associations: { deal: dealId === null ? null : { id: dealId } } }, name);
  }
  const fresh = decide({ call: missed(), mirror: { contact: { id: 'c-1', ownerId: 'o-boris' }, openDeals: [], responsibleOwnerId: 'o-ana', owners } });
  const deal = fresh.writes.find((w) => w.key === 'deal');
  t.match(fresh.writes.find((w) => w.key === 'task:callback'), { ownerId: deal?.kind === 'createDeal' ? deal.ownerId : 'no deal', associations: { deal: { ref: 'deal' } } }, 'a deal this call creates: the task goes to the new deal\'s owner');
});
