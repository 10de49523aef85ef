// Which source addresses count as the carrier trunk: IPs and CIDR ranges, v4 and v6.
import t from 'tap';
import { addressMatcher } from '../../../src/sip/middleware/trunk.ts';

t.test('allowlist matching', async (t) => {
  // [case, allowlist, source address, allowed?]
  const rows: Array<[string, string[], string, boolean]> = [
    ['exact IPv4', ['203.0.113.5'], '203.0.113.5', true],
    ['another IPv4', ['203.0.113.5'], '203.0.113.6', false],
    ['inside a /24', ['198.51.100.0/24'], '198.51.100.200', true],
    ['just outside a /24', ['198.51.100.0/24'], '198.51.101.1', false],
    ['a /32', ['198.51.100.7/32'], '198.51.100.7', true],
    ['a /0 allows every IPv4', ['0.0.0.0/0'], '8.8.8.8', true],
    ['one of several entries', ['192.0.2.1', '10.0.0.0/8', '2001:db8::1'], '10.20.30.40', true],
    ['exact IPv6', ['2001:db8::1'], '2001:db8::1', true],
    ['IPv6 written out in full', ['2001:db8::1'], '2001:0db8:0000:0000:0000:0000:0000:0001', true],
    ['IPv6 in upper case', ['2001:DB8::/32'], '2001:db8:ffff::1', true],
    ['inside an IPv6 /64', ['2001:db8:1:2::/64'], '2001:db8:1:2:abcd::9', true],
    ['outside an IPv6 /64', ['2001:db8:1:2::/64'], '2001:db8:1:3::9', false],
    ['v4-mapped IPv6 source, IPv4 entry', ['10.0.0.0/8'], '::ffff:10.1.2.3', true],
    ['v4-mapped IPv6 source in hex, IPv4 entry', ['10.0.0.0/8'], '::ffff:a01:203', true],
    ['v4-mapped source outside the range', ['10.0.0.0/8'], '::ffff:11.1.2.3', false],
    ['v4-mapped upper case', ['192.0.2.1'], '::FFFF:192.0.2.1', true],
    ['IPv6 source, IPv4 list', ['0.0.0.0/0'], '2001:db8::1', false],
    ['IPv4 source, IPv6 list', ['2001:db8::/32'], '192.0.2.1', false],
    ['empty allowlist', [], '192.0.2.1', false],
    ['a hostname is not an address', ['192.0.2.1'], 'carrier.example.com', false],
    ['an empty source', ['0.0.0.0/0'], '', false],
    ['garbage source', ['0.0.0.0/0'], '1.2.3.4; DROP TABLE', false],
    ['an address with a port is not an address', ['192.0.2.1'], '192.0.2.1:5060', false],
  ];
  for (const [name, list, address, allowed] of rows) t.equal(addressMatcher(list)(address), allowed, name);
});

t.test('an unusable entry is refused when the matcher is built (config and the settings API check entries first)', async (t) => {
  for (const bad of ['not-an-ip', '10.0.0.0/33', '10.0.0.0/x', '']) t.throws(() => addressMatcher([bad]), bad);
});
