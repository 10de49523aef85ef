// Who answered: every employee's main and additional destinations and SIP logins.
import t from 'tap';
import type { DirectoryEmployee } from '../../../src/db/repositories/directory.ts';
import type { Destination } from '../../../src/routing/types.ts';
import { Recogniser } from '../../../src/calls/recognise.ts';
import { describeDestination as describe } from '../../../src/routing/targets.ts';

const phone = (number: string): Destination => ({ type: 'phone', number });
const account = (login: string): Destination => ({ type: 'sip_account', login });
const uri = (u: string): Destination => ({ type: 'sip_uri', uri: u });

function employee(id: number, main: Destination[], additional: Destination[] = [], sipLogins: string[] = []): DirectoryEmployee {
  return {
    id,
    fullName: `Employee ${id}`,
    salesRole: 'sales_rep',
    receivesNewClients: false,
    isSeniorManager: false,
    hubspotOwnerId: null,
    extension: null,
    mainDestinations: main,
    additionalDestinations: additional,
    sipLogins,
  };
}

const recogniser = new Recogniser([
  employee(1, [phone('+380501110001'), account('alice')], [phone('+380501110009')], ['alice']),
  employee(2, [uri('sip:bob@pbx.example.com')], [], ['bob.desk']),
  employee(3, [phone('+380501110001')]), // the same phone as employee 1
  employee(4, [], [uri('SIPS:Carol@Home.Example')]),
]);

t.test('recognising who answered', async (t) => {
  // [case, destination, employee id or undefined]
  const rows: Array<[string, Destination, number | undefined]> = [
    ['a main phone', phone('+380501110001'), 1],
    ['an additional phone', phone('+380501110009'), 1],
    ['a SIP account', account('alice'), 1],
    ['a SIP account, any case', account('ALICE'), 1],
    ['a SIP login that is not a main destination', account('bob.desk'), 2],
    ['a SIP URI', uri('sip:bob@pbx.example.com'), 2],
    ['a SIP URI, any case, sips: or sip:', uri('sip:carol@home.example'), 4],
    ['a destination two employees share: the first one', phone('+380501110001'), 1],
    ['a phone nobody owns', phone('+380509999999'), undefined],
    ['a SIP URI nobody owns', uri('sip:mallory@evil.example'), undefined],
    ['a phone number that is only a SIP login elsewhere', account('+380501110009'), undefined],
    ['a SIP URI without its scheme', uri('bob@pbx.example.com'), 2],
    ['a SIP URI with parameters', uri('sip:bob@pbx.example.com;transport=tcp'), 2],
  ];
  for (const [name, d, id] of rows) {
    const party = recogniser.identify(d);
    t.same(party, id === undefined ? { kind: 'unknown', destination: describe(d) } : { kind: 'employee', employeeId: id }, name);
  }
});

t.test('nobody at all', async (t) => {
  t.same(new Recogniser([]).identify(phone('+380501110001')), { kind: 'unknown', destination: '+380501110001' });
});

t.test('how an unknown destination is named', async (t) => {
  t.equal(describe(phone('+380501110001')), '+380501110001');
  t.equal(describe(account('alice')), 'SIP account alice');
  t.equal(describe(uri('sip:x@y')), 'sip:x@y');
});
