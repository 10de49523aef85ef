// The emulator as its own process (`npm run hubspot-emulator`), driven by the
// official client and by the HTTP control API under /_emulator.
import { Client } from '@hubspot/api-client';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import t from 'tap';
import { REPO_ROOT } from '../../support/process.ts';
import { expectApiError } from '../../support/hubspot-emulator/testing.ts';

const MAIN = 'test/support/hubspot-emulator/main.ts';

t.test('package.json runs the emulator', async (t) => {
  const pkg = JSON.parse(await readFile(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  t.equal(pkg.scripts['hubspot-emulator'], `node --import tsx ${MAIN}`);
});

t.test('it prints its URL and token, serves the API and the control API on 127.0.0.1, and stops on SIGTERM', async (t) => {
  const token = 'pat-cli-test';
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', HUBSPOT_EMULATOR_TOKEN: token, HUBSPOT_EMULATOR_SEARCH_LAG_MS: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  t.teardown(() => void child.kill('SIGKILL'));
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 30_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m && out.includes('token: ')) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
  });
  t.match(url, /^http:\/\/127\.0\.0\.1:\d+$/, 'bound to 127.0.0.1');
  t.match(out, `token: ${token}`);

  const client = new Client({ accessToken: token, basePath: url, numberOfApiCallRetries: 0 });
  const contact = await client.crm.contacts.basicApi.create({ properties: { email: 'cli@example.com' } });
  t.match(contact.id, /^\d+$/);

  const control = (method: string, route: string, body?: unknown) =>
    fetch(`${url}/_emulator${route}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  t.equal((await fetch(`${url}/_emulator/state`)).status, 401, 'the control API wants the token too');
  const seeded = await control('POST', '/seed/deals', { properties: { dealname: 'seeded' }, associations: [{ toType: 'contacts', toId: contact.id }] });
  t.equal(seeded.status, 201);
  const state = (await (await control('GET', '/state')).json()) as { records: Record<string, Array<{ properties: Record<string, string> }>>; requests: Record<string, number> };
  t.same(state.records.deals?.map((d) => d.properties.dealname), ['seeded']);
  t.same(state.requests, { 'POST /crm/v3/objects/contacts': 1 }, 'control calls are not counted');
  const assoc = (await (await control('GET', `/associations/contacts/${contact.id}`)).json()) as { results: unknown[] };
  t.equal(assoc.results.length, 1);

  t.equal((await control('POST', '/faults', { failNext: { count: 1, status: 502 } })).status, 200);
  t.equal((await expectApiError(() => client.crm.contacts.basicApi.getPage())).code, 502);
  t.equal((await control('PUT', '/rate-limit', { perTenSeconds: 1, reset: true })).status, 200);
  await client.crm.contacts.basicApi.getPage();
  t.equal((await expectApiError(() => client.crm.contacts.basicApi.getPage())).code, 429);
  t.equal((await control('POST', '/reset')).status, 200);
  t.equal((await client.crm.contacts.basicApi.getPage()).results.length, 0, 'reset');

  child.kill('SIGTERM');
  t.equal(await exited, 0, 'clean exit on SIGTERM');
});
