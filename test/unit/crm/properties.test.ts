// HubSpot's properties as the console offers them for the field mapping.
import t from 'tap';
import { toPropertyChoices } from '../../../src/crm/properties.ts';

t.test('each property becomes a choice: its label, type, group and whether ringpath may write it', async (t) => {
  const cases: Array<[string, Parameters<typeof toPropertyChoices>[0][number], unknown]> = [
    ['a writable text property', { name: 'gclid', label: 'Google click id', type: 'string', groupName: 'dealinformation' }, { name: 'gclid', label: 'Google click id', type: 'string', group: 'dealinformation', read_only: false }],
    ['a read-only value', { name: 'hs_is_closed', label: 'Is closed', type: 'bool', modificationMetadata: { readOnlyValue: true } }, { name: 'hs_is_closed', read_only: true }],
    ['a calculated property is read-only', { name: 'days_to_close', label: 'Days to close', type: 'number', calculated: true }, { read_only: true }],
    ['no label: the name stands in', { name: 'lead_src', label: ' ' }, { label: 'lead_src', type: 'string', group: '', read_only: false }],
  ];
  for (const [name, property, want] of cases) t.match(toPropertyChoices([property]), [want], name);
});

t.test('hidden and archived properties are left out; the rest sorted by label', async (t) => {
  const choices = toPropertyChoices([
    { name: 'b', label: 'Beta' },
    { name: 'hidden_one', label: 'Alpha', hidden: true },
    { name: 'gone', label: 'Alpha too', archived: true },
    { name: 'a2', label: 'Alpha' },
    { name: 'a1', label: 'Alpha' },
  ]);
  t.same(choices.map((c) => c.name), ['a1', 'a2', 'b']);
});
