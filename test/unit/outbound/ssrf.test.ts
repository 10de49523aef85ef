import t from 'tap';
import { guardedLookup, refusedAddress, refusedLiteral } from '../../../src/outbound/ssrf.ts';

t.test('only public unicast addresses may be reached', async (t) => {
  // [address, refused range or undefined]
  const rows: Array<[string, string | undefined]> = [
    ['93.184.216.34', undefined],
    ['2606:2800:220:1:248:1893:25c8:1946', undefined],
    ['127.0.0.1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'linkLocal'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['::1', 'loopback'],
    ['fe80::1', 'linkLocal'],
    ['fd00::1', 'uniqueLocal'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
  ];
  for (const [address, range] of rows) {
    const why = refusedAddress(address);
    if (range === undefined) t.equal(why, undefined, `${address} is allowed`);
    else t.match(why, new RegExp(` ${range} address$`), `${address} is refused as ${range}`);
  }
});

t.test('IP-literal and localhost URLs are refused before any connection, unless allowed', async (t) => {
  t.match(refusedLiteral(new URL('http://127.0.0.1:8080/hook'), false), /loopback/);
  t.match(refusedLiteral(new URL('http://[::1]/hook'), false), /loopback/);
  t.match(refusedLiteral(new URL('http://localhost/hook'), false), /loopback name/);
  t.equal(refusedLiteral(new URL('https://hooks.example.com/x'), false), undefined);
  t.equal(refusedLiteral(new URL('http://127.0.0.1/hook'), true), undefined, 'the setting allows it');
});

t.test('a host name is refused when what it resolves to is private, at connection time', async (t) => {
  const lookup = (allow: boolean) =>
    new Promise<{ err: Error | null; address: unknown }>((resolve) =>
      guardedLookup(allow)('localhost', {}, (err, address) => resolve({ err, address })),
    );
  const refused = await lookup(false);
  t.match(refused.err?.message, /^localhost resolves to (127\.0\.0\.1|::1) is a loopback address$/);
  const allowed = await lookup(true);
  t.equal(allowed.err, null, 'the setting lets it through');
  t.match(allowed.address, /^(127\.0\.0\.1|::1)$/);
});
