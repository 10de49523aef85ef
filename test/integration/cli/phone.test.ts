// `ringpath phone normalize` as a real process.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function ringpath(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/ringpath.js', ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', RINGPATH_SOURCE: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

t.test('one line per input; an invalid one makes the exit code 1', async (t) => {
  const r = await ringpath([
    'phone',
    'normalize',
    '--country',
    'UA',
    '(050) 123-45-67',
    'sip:+380501234567@carrier.example;user=phone',
    'anonymous',
  ]);
  t.equal(r.code, 1, r.stderr);
  const lines = r.stdout.split('\n');
  t.equal(lines.length, 4, 'three lines, each ending in a newline');
  t.equal(lines[0], '+380501234567');
  t.equal(lines[1], '+380501234567');
  t.match(lines[2], /^error: \S.*withheld/);
  t.equal(lines[3], '');
});

t.test('all valid: exit code 0', async (t) => {
  const r = await ringpath([
    'phone',
    'normalize',
    '--country',
    'UA',
    '+38 (050) 123-45-67',
    '"Іван" <sip:0441234567@pbx.example>;tag=1',
    'tel:+1-201-555-0123;ext=12',
    '00 34 612 345 678',
  ]);
  t.equal(r.code, 0, r.stderr);
  t.equal(r.stdout, '+380501234567\n+380441234567\n+12015550123\n+34612345678\n');
  t.equal(r.stderr, '');
});

t.test('without --country, DEFAULT_COUNTRY is the default', async (t) => {
  const r = await ringpath(['phone', 'normalize', '0501234567', '(201) 555-0123'], { DEFAULT_COUNTRY: 'UA' });
  t.equal(r.code, 1, r.stderr);
  t.match(r.stdout, /^\+380501234567\nerror: [^\n]+\n$/);
});

t.test('an unknown --country is refused before any input is read', async (t) => {
  const r = await ringpath(['phone', 'normalize', '--country', 'ZZ', '0501234567']);
  t.not(r.code, 0);
  t.not(r.code, null, 'exited, not killed');
  t.match(r.stderr, /--country/);
  t.match(r.stderr, /ZZ/);
  t.equal(r.stdout, '');
});
