// Where a phone destination is sent: the number at the trunk's host, through the trunk.
import t from 'tap';
import { trunkLeg } from '../../../src/sip/legs.ts';

t.test('trunk legs', async (t) => {
  // [case, TRUNK_URI, number, Request-URI]
  const rows: Array<[string, string, string, string]> = [
    ['a host', 'sip:carrier.example.com', '+380501234567', 'sip:+380501234567@carrier.example.com'],
    ['a host and port', 'sip:carrier.example.com:5080', '+380501234567', 'sip:+380501234567@carrier.example.com:5080'],
    ['a user part is dropped', 'sip:trunk42@carrier.example.com', '+14155550100', 'sip:+14155550100@carrier.example.com'],
    ['parameters are dropped from the Request-URI', 'sip:carrier.example.com;transport=tcp', '+4930123456', 'sip:+4930123456@carrier.example.com'],
    ['sips: becomes a sip: Request-URI at the same host', 'sips:carrier.example.com:5061', '+4930123456', 'sip:+4930123456@carrier.example.com:5061'],
    ['an IPv4 trunk', 'sip:203.0.113.5', '+380501234567', 'sip:+380501234567@203.0.113.5'],
    ['an IPv6 trunk', 'sip:[2001:db8::5]:5060', '+380501234567', 'sip:+380501234567@[2001:db8::5]:5060'],
  ];
  for (const [name, trunk, number, uri] of rows) t.same(trunkLeg(trunk, number), { uri, proxy: trunk }, name);
});
