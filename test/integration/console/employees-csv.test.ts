// Employees as CSV: import reports per row what was created or refused and why
// (nothing of a refused row is stored); export writes what import reads.
import t from 'tap';
import { testApi } from '../../support/app.ts';
import { consoleUser, login } from '../../support/console.ts';

const CSV = [
  'email,full_name,extension,sales_role,receives_new_clients,phones,sip_uris',
  'olena@example.com,Olena Koval,101,sales_rep,yes,050 123 45 67;044 222 33 44,',
  'petro@example.com,Petro Bondar,101,head,no,,petro@pbx.example.com',
  'bad@example.com,Bad Phone,,sales_rep,maybe,call me,',
  'worse@example.com,Worse Phone,,sales_rep,no,call me,',
  '"ivan@example.com","Ivan, Jr.",,quality_control,,+380 67 111 22 33,',
].join('\n');

t.test('import: each row created or refused with its column and reason; export reads back', async (t) => {
  const api = await testApi(t);
  const r = await api.post('/api/v1/employees/import', { csv: CSV });
  t.equal(r.statusCode, 200, r.body);
  const body = r.json();
  t.equal(body.created, 2);
  t.equal(body.rejected, 3);
  t.match(body.rows, [
    { line: 2, status: 'created', email: 'olena@example.com' },
    { line: 3, status: 'rejected', email: 'petro@example.com', errors: [{ column: 'extension', message: 'is already used by another employee' }] },
    { line: 4, status: 'rejected', errors: [{ column: 'receives_new_clients', message: '"maybe" is not yes or no (true/false, 1/0)' }] },
    { line: 5, status: 'rejected', errors: [{ column: 'phones[1]' }] },
    { line: 6, status: 'created', email: 'ivan@example.com' },
  ]);
  const list = (await api.get('/api/v1/employees?limit=50')).json();
  t.equal(list.total, 2, 'refused rows stored nothing');
  t.match(list.items.find((e: { email: string }) => e.email === 'olena@example.com'), {
    extension: '101',
    receives_new_clients: true,
    main_destinations: [
      { type: 'phone', number: '+380501234567' },
      { type: 'phone', number: '+380442223344' },
    ],
  });

  const exported = await api.get('/api/v1/employees/export.csv');
  t.equal(exported.statusCode, 200);
  t.match(exported.headers['content-type'], /text\/csv/);
  const lines = exported.body.trim().split('\n');
  t.equal(lines[0], 'email,full_name,extension,access_level,sales_role,is_senior_manager,receives_new_clients,hubspot_owner_id,phones,sip_uris');
  t.ok(lines.includes('ivan@example.com,"Ivan, Jr.",,employee,quality_control,no,no,,+380671112233,'), 'a value with a comma is quoted');
  t.ok(lines.some((l) => l.startsWith('olena@example.com,Olena Koval,101,employee,sales_rep,no,yes,,+380501234567;+380442223344,')), 'destinations as E.164, ";"-separated');

  // the export imports again into an empty ringpath
  const other = await testApi(t);
  const again = await other.post('/api/v1/employees/import', { csv: exported.body });
  t.match(again.json(), { created: 2, rejected: 0 });
});

t.test('import: a bad header or CSV is refused whole, naming what is wrong; only admins import', async (t) => {
  const api = await testApi(t);
  const cases: Array<[string, RegExp]> = [
    ['name,email\nx,y@example.com', /unknown column\(s\) "name"/],
    ['email\nx@example.com', /the full_name column is missing/],
    ['email,email,full_name\na,b,c', /email appear more than once/],
    ['email,full_name\n"unclosed,x', /is not CSV/],
  ];
  for (const [csv, message] of cases) {
    const r = await api.post('/api/v1/employees/import', { csv });
    t.equal(r.statusCode, 400, csv);
    t.match(r.json().errors, [{ field: '/csv', message }], csv);
  }
  t.equal((await api.get('/api/v1/employees')).json().total, 0, 'nothing stored');
  await consoleUser(api.db.pool, { email: 'an@example.com', accessLevel: 'analyst', salesRole: 'head' });
  const analyst = await login(api.app, 'an@example.com');
  t.equal((await analyst.send('POST', '/api/v1/employees/import', { csv: CSV })).statusCode, 403);
  t.equal((await analyst.get('/api/v1/employees/export.csv')).statusCode, 200, 'an analyst may export');
});
