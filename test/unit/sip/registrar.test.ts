// The bindings a REGISTER asks for (RFC 3261 §10.3), with expiries clamped to [60, 3600] s.
import t from 'tap';
import { MAX_EXPIRES, MIN_EXPIRES, requestedBindings } from '../../../src/sip/registrar.ts';

const A = 'sip:alice@192.0.2.20:5060';
const B = 'sip:alice@192.0.2.20:5062;transport=tcp';
const contact = (uri: string, expires?: unknown) => ({ uri, ...(expires === undefined ? {} : { params: { expires } }) });

t.test('the limits', async (t) => {
  t.equal(MIN_EXPIRES, 60);
  t.equal(MAX_EXPIRES, 3600);
});

t.test('expiry of each binding', async (t) => {
  // [case, Contact expires param, Expires header, binding expiry]
  const rows: Array<[string, unknown, string | undefined, number]> = [
    ['no Expires at all: the default hour', undefined, undefined, 3600],
    ['the Expires header', undefined, '600', 600],
    ['too short: raised to the minimum', undefined, '30', MIN_EXPIRES],
    ['1 s: raised to the minimum', undefined, '1', MIN_EXPIRES],
    ['too long: cut to the maximum', undefined, '86400', MAX_EXPIRES],
    ['Expires: 0 unregisters', undefined, '0', 0],
    ['the contact parameter wins over the header', '120', '3600', 120],
    ['a numeric contact parameter', 300, '3600', 300],
    ['contact expires=0 unregisters that contact', '0', '3600', 0],
    ['contact parameter too long', '999999', undefined, MAX_EXPIRES],
    ['contact parameter too short', '5', undefined, MIN_EXPIRES],
    ['a null contact parameter uses the header', null, '900', 900],
  ];
  for (const [name, param, header, expires] of rows) {
    t.same(requestedBindings([contact(A, param)], header, `<${A}>`), [{ uri: A, expires }], name);
  }
});

t.test('several contacts, each with its own expiry', async (t) => {
  t.same(requestedBindings([contact(A), contact(B, '0')], '1800', `<${A}>, <${B}>;expires=0`), [
    { uri: A, expires: 1800 },
    { uri: B, expires: 0 },
  ]);
});

t.test('no Contact: a query, no bindings', async (t) => {
  t.same(requestedBindings([], undefined, undefined), []);
  t.same(requestedBindings([], '3600', undefined), []);
});

t.test('Contact: * removes every binding, only with Expires: 0', async (t) => {
  t.equal(requestedBindings([], '0', '*'), '*');
  t.equal(requestedBindings([], '0', '  * '), '*', 'whitespace around the star');
  t.same(requestedBindings([], '3600', '*'), { error: 'Contact: * needs Expires: 0' });
  t.same(requestedBindings([], undefined, '*'), { error: 'Contact: * needs Expires: 0' }, 'no Expires header is not 0');
});

t.test('an unusable Expires header is an error (400)', async (t) => {
  for (const bad of ['-1', 'abc', '1.5', 'Infinity', '10 s']) {
    t.same(requestedBindings([contact(A)], bad, `<${A}>`), { error: 'bad Expires header' }, JSON.stringify(bad));
  }
  // RFC 3261 §20.19: Expires is delta-seconds (1*DIGIT); nothing that Number() would also read
  for (const bad of ['', ' ', '0x10', '1e3']) {
    t.same(requestedBindings([contact(A)], bad, `<${A}>`), { error: 'bad Expires header' }, JSON.stringify(bad));
  }
});

t.test('a contact expires parameter that is not delta-seconds is an error (never a NaN, endless or silent unbinding)', async (t) => {
  for (const bad of ['abc', 'soon', '599.9', '-5', '']) {
    t.same(requestedBindings([contact(A, bad)], '300', `<${A}>;expires=${bad}`), { error: 'bad expires parameter in Contact' }, JSON.stringify(bad));
  }
});

t.test('one REGISTER binds at most 10 contacts of bounded length', async (t) => {
  const many = Array.from({ length: 11 }, (_, i) => contact(`sip:alice@192.0.2.${i + 1}:5060`));
  t.same(requestedBindings(many, '300', 'many'), { error: 'at most 10 contacts per REGISTER' });
  t.equal((requestedBindings(many.slice(0, 10), '300', 'ten') as unknown[]).length, 10);
  t.same(requestedBindings([contact(`sip:${'a'.repeat(300)}@192.0.2.1`)], '300', 'long'), { error: 'Contact URI too long' });
});
