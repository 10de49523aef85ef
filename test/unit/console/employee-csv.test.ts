// A CSV row of employees read into the API's body, and its errors named by column.
import t from 'tap';
import { columnOf, employeeToRow, headerProblems, rowToEmployee } from '../../../src/console/employee-csv.ts';

t.test('rows become the body of POST /api/v1/employees; empty cells are left out', async (t) => {
  const header = ['Email', 'full_name', 'sales_role', 'is_senior_manager', 'phones', 'sip_uris'];
  t.same(rowToEmployee(header, ['a@x.com', ' Anna ', 'HEAD', 'Yes', '050 1; 044 2 ;', 'a@pbx']), {
    body: {
      email: 'a@x.com',
      full_name: 'Anna',
      sales_role: 'head',
      is_senior_manager: true,
      main_destinations: [
        { type: 'phone', number: '050 1' },
        { type: 'phone', number: '044 2' },
        { type: 'sip_uri', uri: 'a@pbx' },
      ],
    },
  });
  t.same(rowToEmployee(header, ['a@x.com', 'Anna', '', '', '', '']), { body: { email: 'a@x.com', full_name: 'Anna' } });
  t.same(rowToEmployee(header, ['a@x.com', 'Anna', '', 'perhaps', '', '']), { errors: [{ field: 'is_senior_manager', message: '"perhaps" is not yes or no (true/false, 1/0)' }] });
  t.same(rowToEmployee(header, ['a@x.com']), { errors: [{ field: 'row', message: 'has 1 cells; the header has 6' }] });
});

t.test('the header must name known columns once, with email and full_name', async (t) => {
  t.same(headerProblems(['email', 'full_name', 'phones']), []);
  t.match(headerProblems(['email', 'fullname']), [/unknown column\(s\) "fullname"/, /full_name column is missing/]);
  t.match(headerProblems(['email', 'full_name', 'EMAIL']), [/email appear more than once/]);
});

t.test('an API error names the CSV column it came from', async (t) => {
  const cases: Array<[string, number, string]> = [
    ['/extension', 0, 'extension'],
    ['/main_destinations/0/number', 2, 'phones[1]'],
    ['/main_destinations/1', 2, 'phones[2]'],
    ['/main_destinations/2/uri', 2, 'sip_uris[1]'],
    ['', 0, 'row'],
  ];
  for (const [pointer, phones, want] of cases) t.equal(columnOf(pointer, phones), want, pointer);
});

t.test('an employee as a row: phones and SIP URIs ";"-separated, SIP accounts left out', async (t) => {
  t.same(
    employeeToRow({
      email: 'a@x.com',
      full_name: 'Anna',
      extension: null,
      access_level: 'employee',
      sales_role: 'head',
      is_senior_manager: true,
      receives_new_clients: false,
      hubspot_owner_id: '7',
      main_destinations: [{ type: 'phone', number: '+380501' }, { type: 'sip_account' }, { type: 'sip_uri', uri: 'a@pbx' }, { type: 'phone', number: '+380442' }],
    }),
    ['a@x.com', 'Anna', '', 'employee', 'head', 'yes', 'no', '7', '+380501;+380442', 'a@pbx'],
  );
});
