// A site's allowed origins, normalised as browsers send them, table-driven.
import t from 'tap';
import { normalizeOrigin } from '../../../src/dni/origins.ts';

t.test('origins are stored as browsers send them in Origin', async (t) => {
  // [input, origin]
  const rows: Array<[string, string]> = [
    ['https://shop.example.com', 'https://shop.example.com'],
    ['https://shop.example.com/', 'https://shop.example.com'],
    ['HTTPS://Shop.Example.COM', 'https://shop.example.com'],
    ['https://shop.example.com:443', 'https://shop.example.com'],
    ['http://shop.example.com:80', 'http://shop.example.com'],
    ['https://shop.example.com:8443', 'https://shop.example.com:8443'],
    ['http://localhost:3000', 'http://localhost:3000'],
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080'],
    ['http://[::1]:8080', 'http://[::1]:8080'],
    ['https://bücher.example', 'https://xn--bcher-kva.example'],
    ['  https://shop.example.com  ', 'https://shop.example.com'],
  ];
  for (const [input, origin] of rows) {
    const r = normalizeOrigin(input);
    t.same(r, { ok: true, origin }, `${input} → ${origin}`);
  }
});

t.test('anything but scheme://host[:port] is refused with the reason', async (t) => {
  // [input, message fragment]
  const rows: Array<[string, RegExp]> = [
    ['shop.example.com', /not an origin/],
    ['*.example.com', /not an origin/],
    ['*', /not an origin/],
    ['ftp://shop.example.com', /not an origin/],
    ['https://shop.example.com/path', /path, query or fragment/],
    ['https://shop.example.com?x=1', /path, query or fragment/],
    ['https://shop.example.com#top', /path, query or fragment/],
    ['https://user:pw@shop.example.com', /credentials/],
    ['https://shop.example.com:99999', /cannot be read/],
    ['https://', /no host/],
    ['null', /not an origin/],
  ];
  for (const [input, message] of rows) {
    const r = normalizeOrigin(input);
    t.notOk(r.ok, `${input} refused`);
    if (!r.ok) t.match(r.message, message, `${input}: ${r.message}`);
  }
});
