// The one outgoing POST behind webhooks and GA4: its timeout, its response cap,
// and destinations refused before any connection.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import t, { type Test } from 'tap';
import { post } from '../../../src/outbound/http-post.ts';

async function server(t: Test, handler: http.RequestListener): Promise<string> {
  const s = http.createServer(handler);
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  t.teardown(() => {
    s.closeAllConnections();
    return new Promise<void>((resolve) => s.close(() => resolve()));
  });
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}/`;
}

const opts = { timeoutMs: 2000, maxResponseBytes: 16, allowPrivate: true };

t.test('a response is read up to the cap and no further', async (t) => {
  const url = await server(t, (_req, res) => {
    res.writeHead(200);
    res.write('x'.repeat(10));
    res.end('y'.repeat(100_000));
  });
  const r = await post(url, '{}', {}, opts);
  t.match(r, { ok: true, status: 200, body: 'xxxxxxxxxxyyyyyy', truncated: true });
});

t.test('a small response is read whole', async (t) => {
  const url = await server(t, (req, res) => {
    res.writeHead(201, { 'content-type': 'text/plain' }).end(`${req.headers['content-type']}`);
  });
  t.match(await post(url, '{}', {}, opts), { ok: true, status: 201, body: 'application/json', truncated: false });
});

t.test('no answer within the timeout is a failure', async (t) => {
  const url = await server(t, () => undefined);
  t.match(await post(url, '{}', {}, { ...opts, timeoutMs: 200 }), { ok: false, error: 'timed out after 200 ms' });
});

t.test('a loopback destination is refused unless allowed, and no request is made', async (t) => {
  let requests = 0;
  const url = await server(t, (_req, res) => {
    requests++;
    res.end();
  });
  t.match(await post(url, '{}', {}, { ...opts, allowPrivate: false }), { ok: false, error: 'destination refused: 127.0.0.1 is a loopback address' });
  const named = url.replace('127.0.0.1', 'localhost');
  t.match(await post(named, '{}', {}, { ...opts, allowPrivate: false }), { ok: false, error: /^destination refused: localhost is a loopback name$/ });
  t.equal(requests, 0);
});
