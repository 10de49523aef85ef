// What the audit log keeps of a change: the changed fields before and after, secrets blanked.
import t from 'tap';
import { changes, parseJson, redact, REDACTED, type Json } from '../../../src/audit/changes.ts';

t.test('changes keeps only the fields that differ, or whole values for creations and deletions', async (t) => {
  const cases: Array<[string, Json | undefined, Json | undefined, ReturnType<typeof changes>]> = [
    ['one field changed', { a: 1, b: 2 }, { a: 1, b: 3 }, { old: { b: 2 }, new: { b: 3 } }],
    ['a field appeared', { a: 1 }, { a: 1, c: 'x' }, { old: { c: null }, new: { c: 'x' } }],
    ['a field went away', { a: 1, c: 'x' }, { a: 1 }, { old: { c: 'x' }, new: { c: null } }],
    ['nested change shows the whole field', { d: [1, 2] }, { d: [1] }, { old: { d: [1, 2] }, new: { d: [1] } }],
    ['nothing changed', { a: 1 }, { a: 1 }, undefined],
    ['only updated_at moved', { a: 1, updated_at: 'x' }, { a: 1, updated_at: 'y' }, undefined],
    ['updated_at is left out beside a change', { a: 1, updated_at: 'x' }, { a: 2, updated_at: 'y' }, { old: { a: 1 }, new: { a: 2 } }],
    ['a creation', undefined, { id: 4, name: 'n' }, { old: null, new: { id: 4, name: 'n' } }],
    ['a deletion', { id: 4 }, undefined, { old: { id: 4 }, new: null }],
    ['an action with no body either side', undefined, undefined, { old: null, new: null }],
  ];
  for (const [name, before, after, want] of cases) t.same(changes(before, after), want, name);
});

t.test('secret fields are blanked at any depth, before and after', async (t) => {
  t.same(redact({ password: 'p', nested: [{ client_secret: 's', api_key: 'k', token: 't', name: 'n' }], key_name: 'kept' }), {
    password: REDACTED,
    nested: [{ client_secret: REDACTED, api_key: REDACTED, token: REDACTED, name: 'n' }],
    key_name: 'kept',
  });
  t.same(changes(undefined, { key: 'rp_abc', name: 'zapier' }), { old: null, new: { key: REDACTED, name: 'zapier' } });
});

t.test('parseJson reads JSON bodies only', async (t) => {
  t.same(parseJson('{"a":1}'), { a: 1 });
  t.equal(parseJson(''), undefined);
  t.equal(parseJson('not json'), undefined);
  t.equal(parseJson(Buffer.from('{}')), undefined);
});
