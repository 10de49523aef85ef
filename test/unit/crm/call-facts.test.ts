// The stored call as the post-call matrix reads it: the attribution the call kept
// (its session's full source), and for calls stored before it kept one, the
// session's own columns.
import t from 'tap';
import { toCallFacts, type CallRow } from '../../../src/crm/executor/call-facts.ts';

function row(over: Partial<CallRow> = {}): CallRow {
  return {
    id: '0b7e6d1a-3c2f-4a8e-9f10-2d4c6b8a0e11',
    direction: 'inbound',
    disposition: 'answered',
    caller: '+380501234567',
    callee: '+380441110001',
    caller_raw: null,
    tracking_number: '+380441110001',
    tracking_number_id: 3,
    site_id: 1,
    attribution: {},
    routing_trace: [],
    unknown_employee: false,
    answered_by_employee_id: null,
    answered_by_destination: null,
    answered_by_name: null,
    answered_by_owner: null,
    placed_by_employee_id: null,
    placed_by_name: null,
    placed_by_owner: null,
    responsible_owner: null,
    started_at: new Date('2026-06-15T09:00:00Z'),
    answered_at: null,
    ended_at: new Date('2026-06-15T09:01:00Z'),
    ring_duration_ms: 60_000,
    talk_duration_ms: 0,
    recording_path: null,
    crm_sync_state: 'pending',
    gclid: null,
    fbclid: null,
    ga_client_id: null,
    landing_page: null,
    referrer: null,
    ...over,
  };
}

t.test('a DNI call: every field from the attribution the call kept', async (t) => {
  const stored = {
    confidence: 'recent',
    label: 'google / cpc',
    visitorSessionId: 42,
    source: 'google',
    medium: 'cpc',
    campaign: 'brand',
    content: 'ad-1',
    term: 'sofa',
    gclid: 'g-call',
    gbraid: 'gb',
    wbraid: 'wb',
    fbclid: null,
    msclkid: 'ms',
    gaClientId: 'GA1.1.call',
    referrer: 'https://www.google.com/',
    landingPage: 'https://shop.example.com/?gclid=g-call',
  };
  // the session's columns say something else: the call's copy wins
  const facts = toCallFacts(row({ attribution: stored, gclid: 'g-session', ga_client_id: 'GA1.1.session' }), undefined);
  t.same(facts.attribution, {
    confidence: 'recent',
    label: 'google / cpc',
    source: 'google',
    medium: 'cpc',
    campaign: 'brand',
    content: 'ad-1',
    term: 'sofa',
    gclid: 'g-call',
    gbraid: 'gb',
    wbraid: 'wb',
    fbclid: undefined,
    msclkid: 'ms',
    gaClientId: 'GA1.1.call',
    landingPage: 'https://shop.example.com/?gclid=g-call',
    referrer: 'https://www.google.com/',
  });
});

t.test('a call stored before DNI: the old confidence mapped, click ids from the session', async (t) => {
  const facts = toCallFacts(
    row({
      attribution: { kind: 'session', confidence: 'low', label: 'google / cpc', source: 'google', medium: 'cpc' },
      gclid: 'g-session',
      fbclid: 'f-session',
      ga_client_id: 'GA1.1.session',
      landing_page: 'https://shop.example.com/',
      referrer: 'https://www.google.com/',
    }),
    undefined,
  );
  t.match(facts.attribution, {
    confidence: 'recent',
    label: 'google / cpc',
    source: 'google',
    gclid: 'g-session',
    fbclid: 'f-session',
    gaClientId: 'GA1.1.session',
    landingPage: 'https://shop.example.com/',
    referrer: 'https://www.google.com/',
  });
});
