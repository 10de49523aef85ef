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
