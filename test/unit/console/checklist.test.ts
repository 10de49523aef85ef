// The first-run checklist and which requests get the console's index.html.
import t from 'tap';
import { checklist, type SetupFacts } from '../../../src/console/checklist.ts';
import { wantsConsolePage } from '../../../src/http/routes/console-static.ts';

const none: SetupFacts = {
  trunkConfigured: false,
  sipSideOn: false,
  trackingNumbers: 0,
  ringableEmployees: 0,
  hubspotConnected: false,
  crmOwners: 0,
  mappedEmployees: 0,
  routingSchemes: 0,
  snippetSessions: 0,
};
const all: SetupFacts = {
  trunkConfigured: true,
  sipSideOn: true,
  trackingNumbers: 2,
  ringableEmployees: 3,
  hubspotConnected: true,
  crmOwners: 4,
  mappedEmployees: 1,
  routingSchemes: 1,
  snippetSessions: 1,
};

t.test('every item is to do on a fresh install, done once set up, each with its page', async (t) => {
  t.same(
    checklist(none).map((i) => [i.id, i.done, i.missing, i.page]),
    [
      ['trunk', false, 'sip_side_off', null],
      ['tracking_numbers', false, 'no_tracking_numbers', '/sites'],
      ['employees', false, 'no_ringable_employees', '/employees'],
      ['hubspot', false, 'hubspot_not_connected', '/crm'],
      ['routing_scheme', false, 'no_routing_scheme', '/routing'],
      ['snippet', false, 'snippet_not_seen', '/sites'],
    ],
  );
  t.ok(checklist(all).every((i) => i.done && i.missing === null));
});

t.test('each item names what is still missing', async (t) => {
  const cases: Array<[string, Partial<SetupFacts>, string, string | null]> = [
    ['SIP side on, no trunk', { sipSideOn: true, trunkConfigured: false }, 'trunk', 'no_trunk_uri'],
    ['HubSpot connected, no owners loaded', { crmOwners: 0 }, 'hubspot', 'no_crm_owners'],
    ['owners loaded, nobody mapped', { mappedEmployees: 0 }, 'hubspot', 'no_mapped_owners'],
    ['nobody ringable', { ringableEmployees: 0 }, 'employees', 'no_ringable_employees'],
    ['no visit yet', { snippetSessions: 0 }, 'snippet', 'snippet_not_seen'],
  ];
  for (const [name, change, id, missing] of cases) {
    const item = checklist({ ...all, ...change }).find((i) => i.id === id)!;
    t.equal(item.missing, missing, name);
    t.equal(item.done, false, name);
  }
});

t.test('only page loads of the app get index.html: never API paths, files or non-HTML requests', async (t) => {
  const html = 'text/html,application/xhtml+xml';
  const cases: Array<[string, string, string | undefined, boolean]> = [
    ['GET', '/employees', html, true],
    ['GET', '/calls?disposition=missed', html, true],
    ['HEAD', '/routing', html, true],
    ['GET', '/employees', 'application/json', false],
    ['GET', '/employees', undefined, false],
    ['POST', '/employees', html, false],
    ['GET', '/api/v1/nothing', html, false],
    ['GET', '/api', html, false],
    ['GET', '/dni/v1/x', html, false],
    ['GET', '/dni.js', html, false],
    ['GET', '/docs/json', html, false],
    ['GET', '/recordings/a.wav', html, false],
    ['GET', '/assets/missing.js', html, false],
    ['GET', '/healthz', html, false],
  ];
  for (const [method, url, accept, want] of cases) t.equal(wantsConsolePage(method, url, accept), want, `${method} ${url} ${accept ?? ''}`);
});
