// The GA4 emulator enforces the Measurement Protocol's documented limits and
// answers /debug/mp/collect in the validation server's format.
import t from 'tap';
import { startGa4Emulator, validateGa4 } from '../../support/ga4-emulator.ts';

const NOW = new Date('2026-06-20T12:00:00Z');
const ok = { client_id: '1.2', timestamp_micros: NOW.getTime() * 1000, events: [{ name: 'phone_call', params: { duration: 5 } }] };
const codes = (body: unknown) => validateGa4(body, NOW).map((m) => m.validationCode);

t.test('what the validation rules refuse', async (t) => {
  const params = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`p${i}`, i]));
  // [case, body, codes]
  const rows: Array<[string, unknown, string[]]> = [
    ['a valid body', ok, []],
    ['no client_id', { ...ok, client_id: undefined }, ['VALUE_REQUIRED']],
    ['no events', { ...ok, events: [] }, ['VALUE_REQUIRED']],
    ['26 events', { ...ok, events: Array.from({ length: 26 }, () => ({ name: 'phone_call' })) }, ['EXCEEDED_MAX_ENTITIES']],
    ['a 41-character event name', { ...ok, events: [{ name: 'a'.repeat(41) }] }, ['VALUE_INVALID']],
    ['a name starting with _', { ...ok, events: [{ name: '_badEventName' }] }, ['NAME_INVALID']],
    ['a reserved event name', { ...ok, events: [{ name: 'session_start' }] }, ['NAME_RESERVED']],
    ['26 params', { ...ok, events: [{ name: 'phone_call', params: params(26) }] }, ['EXCEEDED_MAX_ENTITIES']],
    ['25 params', { ...ok, events: [{ name: 'phone_call', params: params(25) }] }, []],
    ['a reserved param prefix', { ...ok, events: [{ name: 'phone_call', params: { ga_thing: 1 } }] }, ['NAME_RESERVED']],
    ['a 101-character value', { ...ok, events: [{ name: 'phone_call', params: { source: 'x'.repeat(101) } }] }, ['VALUE_OUT_OF_BOUNDS']],
    ['a timestamp 73 hours old', { ...ok, timestamp_micros: (NOW.getTime() - 73 * 3600_000) * 1000 }, ['VALUE_INVALID']],
    ['a timestamp 71 hours old', { ...ok, timestamp_micros: (NOW.getTime() - 71 * 3600_000) * 1000 }, []],
  ];
  for (const [name, body, expected] of rows) t.same(codes(body), expected, name);
});

t.test('/debug/mp/collect answers validationMessages; /mp/collect answers 2xx and keeps only valid events', async (t) => {
  const ga4 = await startGa4Emulator({ measurementId: 'G-TEST1234', apiSecret: 's' });
  t.teardown(() => ga4.close());
  const bad = { client_id: '1.2', events: [{ name: '_badEventName', params: {} }] };
  const debug = await fetch(`${ga4.url}/debug/mp/collect?measurement_id=G-TEST1234&api_secret=s`, { method: 'POST', body: JSON.stringify(bad) });
  t.equal(debug.status, 200);
  t.same(await debug.json(), {
    validationMessages: [
      { fieldPath: 'events', validationCode: 'NAME_INVALID', description: 'Event at index: [0] has invalid name [_badEventName]. Names must start with an alphabetic character.' },
    ],
  });
  const collect = await fetch(`${ga4.url}/mp/collect?measurement_id=G-TEST1234&api_secret=s`, { method: 'POST', body: JSON.stringify(bad) });
  t.equal(collect.status, 204, 'GA4 does not reject with an HTTP error');
  const wrongSecret = await fetch(`${ga4.url}/mp/collect?measurement_id=G-TEST1234&api_secret=nope`, { method: 'POST', body: JSON.stringify({ ...bad, events: [{ name: 'phone_call' }] }) });
  t.equal(wrongSecret.status, 204);
  t.same(ga4.accepted(), [], 'neither an invalid body nor a wrong secret counts');
});
