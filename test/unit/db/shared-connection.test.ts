// The file through which `ringpath serve` shares its embedded PostgreSQL with the other commands.
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { connectionFile, findSharedConnection, parseSharedConnection, publishConnection } from '../../../src/db/shared-connection.ts';

const URL = 'postgres://postgres:secret@127.0.0.1:5433/postgres';

t.test('only a connection string and a process id make a shared connection', async (t) => {
  const cases: Array<[string, string, ReturnType<typeof parseSharedConnection>]> = [
    ['as serve writes it', JSON.stringify({ url: URL, pid: 42 }), { url: URL, pid: 42 }],
    ['postgresql: scheme', JSON.stringify({ url: 'postgresql://x@h/db', pid: 7 }), { url: 'postgresql://x@h/db', pid: 7 }],
    ['not JSON', 'postgres://x', undefined],
    ['no pid', JSON.stringify({ url: URL }), undefined],
    ['pid not a positive integer', JSON.stringify({ url: URL, pid: -1 }), undefined],
    ['not a PostgreSQL URL', JSON.stringify({ url: 'http://x', pid: 42 }), undefined],
    ['null', 'null', undefined],
  ];
  for (const [name, text, expected] of cases) t.same(parseSharedConnection(text), expected, name);
});

t.test('published with mode 0600, found by another process, taken back on close', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ringpath-shared-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  // an earlier file readable by all is replaced, not reused
  await writeFile(connectionFile(dir), 'old', { mode: 0o644 });
  const unpublish = await publishConnection(dir, URL);
  t.equal((await stat(connectionFile(dir))).mode & 0o777, 0o600, 'owner only: it holds the password');
  t.same(JSON.parse(await readFile(connectionFile(dir), 'utf8')), { url: URL, pid: process.pid });
  t.equal(await findSharedConnection(dir), undefined, 'a process does not share with itself');
  await unpublish();
  await t.rejects(stat(connectionFile(dir)), { code: 'ENOENT' }, 'removed on close');
});

t.test('a file left by a process that is gone, or whose PostgreSQL is gone, is ignored; one of a live serve is used', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ringpath-shared-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  t.equal(await findSharedConnection(dir), undefined, 'no file');
  // pid 2^22 + 1 is above Linux's largest pid: no such process
  await writeFile(connectionFile(dir), JSON.stringify({ url: URL, pid: 4_194_305 }));
  t.equal(await findSharedConnection(dir), undefined, 'a killed serve left it');
  await writeFile(connectionFile(dir), JSON.stringify({ url: URL, pid: process.ppid }));
  t.equal(await findSharedConnection(dir), undefined, 'a live process, but no PostgreSQL runs on the data directory');
  await mkdir(path.join(dir, 'postgres'));
  await writeFile(path.join(dir, 'postgres', 'postmaster.pid'), `4194305\n${dir}/postgres\n`);
  t.equal(await findSharedConnection(dir), undefined, 'the PostgreSQL named in its lock file is gone');
  await writeFile(path.join(dir, 'postgres', 'postmaster.pid'), `${process.pid}\n${dir}/postgres\n`);
  t.same(await findSharedConnection(dir), { url: URL, pid: process.ppid }, 'a running serve and its PostgreSQL');
});
