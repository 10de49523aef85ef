// The one rule for the client's responsible manager, from the mirror's answer.
import t from 'tap';
import { responsibleCandidates, responsibleOwner } from '../../../src/routing/responsible.ts';
import type { LookupTarget, ResponsibleLookup } from '../../../src/routing/types.ts';

const both: ResponsibleLookup = { status: 'found', contactOwnerId: 'o-ana', dealOwnerId: 'o-boris' };

t.test('candidates in lookup order', async (t) => {
  // [case, lookup, order, candidates as "via:owner"]
  const rows: Array<[string, ResponsibleLookup, LookupTarget[], string[]]> = [
    ['contact first', both, ['contact_owner', 'deal_owner'], ['contact_owner:o-ana', 'deal_owner:o-boris']],
    ['deal first', both, ['deal_owner', 'contact_owner'], ['deal_owner:o-boris', 'contact_owner:o-ana']],
    ['only the deal owner asked for', both, ['deal_owner'], ['deal_owner:o-boris']],
    ['no deal owner', { status: 'found', contactOwnerId: 'o-ana' }, ['deal_owner', 'contact_owner'], ['contact_owner:o-ana']],
    ['an empty owner id counts as none', { status: 'found', contactOwnerId: '', dealOwnerId: 'o-boris' }, ['contact_owner', 'deal_owner'], ['deal_owner:o-boris']],
    ['the same target twice', both, ['contact_owner', 'contact_owner'], ['contact_owner:o-ana']],
    ['an empty order', both, [], []],
    ['not found', { status: 'not_found' }, ['contact_owner', 'deal_owner'], []],
    ['the lookup timed out', { status: 'timeout' }, ['contact_owner'], []],
    ['the lookup failed', { status: 'failed', error: 'x' }, ['contact_owner'], []],
  ];
  for (const [name, lookup, order, want] of rows) {
    t.same(responsibleCandidates(lookup, order).map((c) => `${c.via}:${c.ownerId}`), want, name);
    t.equal(responsibleOwner(lookup, order), want[0]?.split(':')[1], `${name}: the owner`);
  }
});
