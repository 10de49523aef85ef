// The README stays true: every `ringpath` command the README shows in a block
// marked <!-- cli-example --> (or <!-- cli-example: WORLD -->) is run, and what it
// prints must be what the README shows under it. WORLD names the data the example
// assumes (below), seeded into a database of its own first.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import type { Pool } from '../../src/db/pool.ts';
import { runCli } from '../support/cli.ts';
import { testDatabase } from '../support/db.ts';
import { REPO_ROOT } from '../support/process.ts';
import { employee, sipAccount, sipUriDestination, staticNumber } from '../support/sip-fixtures.ts';

export interface Example {
  readonly world: string;
  readonly line: number;
  /** `$ ` lines, each with the output shown under it. */
  readonly commands: ReadonlyArray<{ readonly command: string; readonly output: string }>;
}

/** The marked blocks of a README. */
export function examples(readme: string): Example[] {
  const out: Example[] = [];
  const re = /<!-- cli-example(?::\s*([\w-]+))? -->\n```sh\n([\s\S]*?)```/g;
  for (const m of readme.matchAll(re)) {
    const commands: Array<{ command: string; output: string }> = [];
    for (const line of m[2]!.split('\n').slice(0, -1)) {
      if (line.startsWith('$ ')) commands.push({ command: line.slice(2), output: '' });
      else if (commands.length > 0) commands.at(-1)!.output += `${line}\n`;
    }
    out.push({ world: m[1] ?? 'empty', line: readme.slice(0, m.index).split('\n').length + 1, commands });
  }
  return out;
}

/** A command line as sh splits it: words, "double" and 'single' quotes; leading NAME=value words are the environment. */
export function shellWords(line: string): { env: Record<string, string>; argv: string[] } {
  const words: string[] = [];
  let word: string | undefined;
  let quote: '"' | "'" | undefined;
  for (const ch of line) {
    if (quote) {
      if (ch === quote) quote = undefined;
      else word += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      word ??= '';
    } else if (ch === ' ') {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else word = (word ?? '') + ch;
  }
  if (quote) throw new Error(`unterminated ${quote} in: ${line}`);
  if (word !== undefined) words.push(word);
  const env: Record<string, string> = {};
  while (words.length > 0 && /^[A-Z_][A-Z0-9_]*=/.test(words[0]!)) {
    const [name, ...value] = words.shift()!.split('=');
    env[name!] = value.join('=');
  }
  return { env, argv: words };
}

const KYIV_OFFICE = { time_zone: 'Europe/Kyiv', intervals: [{ days: [1, 2, 3, 4, 5], from: '09:00', to: '18:00' }] };

async function step(pool: Pool, schemeId: number, position: number, fields: Record<string, unknown>, employeeIds: number[] = []): Promise<void> {
  const { rows } = await pool.query<{ id: number }>(
    `INSERT INTO routing_steps (scheme_id, position, type, ring_timeout_s, lookup_order, distribution_mode, ring_strategy, schedule)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [schemeId, position, fields.type, fields.timeout, fields.lookupOrder ?? null, fields.mode ?? null, fields.strategy ?? null, fields.schedule ?? null],
  );
  for (const [i, id] of employeeIds.entries()) {
    await pool.query('INSERT INTO routing_step_employees (step_id, employee_id, position) VALUES ($1, $2, $3)', [rows[0]!.id, id, i]);
  }
}

/** The data each README example assumes. */
const WORLDS: Record<string, (pool: Pool) => Promise<void>> = {
  empty: async () => undefined,
  // "Routing without a phone": Alice and Carol take new clients, Bob owns the caller's contact in the CRM
  'simulate-call': async (pool) => {
    const alice = await employee(pool, 'Alice', { newClients: true });
    const bob = await employee(pool, 'Bob', { ownerId: '51234' });
    const carol = await employee(pool, 'Carol', { newClients: true });
    await sipUriDestination(pool, alice, 'sip:alice@pbx.example.com');
    await pool.query(`INSERT INTO employee_destinations (employee_id, role, position, type, phone) VALUES ($1, 'main', 0, 'phone', '+380671110002')`, [bob]);
    await sipAccount(pool, carol, 'carol', 'a-long-sip-password-1');
    const { rows } = await pool.query<{ id: number }>(`INSERT INTO routing_schemes (name) VALUES ('smart') RETURNING id`);
    const scheme = rows[0]!.id;
    await step(pool, scheme, 0, { type: 'responsible_manager', timeout: 20, lookupOrder: ['contact_owner', 'deal_owner'] });
    await step(pool, scheme, 1, { type: 'employees', timeout: 15, strategy: 'simultaneous', schedule: KYIV_OFFICE }, [alice]);
    await step(pool, scheme, 2, { type: 'new_client_distribution', timeout: 10, mode: 'round_robin' });
    await staticNumber(pool, '+380441234567', scheme);
    await pool.query(`INSERT INTO crm_contacts (id, owner_id) VALUES ('c1', '51234')`);
    await pool.query(`INSERT INTO crm_contact_phones (contact_id, property, raw, e164) VALUES ('c1', 'phone', '(050) 123-45-67', '+380501234567')`);
  },
};

const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
const found = examples(readme);

t.test('reading the README: words as sh splits them', async (t) => {
  t.same(shellWords(`DEFAULT_COUNTRY=UA npx ringpath phone normalize "(050) 123-45-67" 'a b' x`), {
    env: { DEFAULT_COUNTRY: 'UA' },
    argv: ['npx', 'ringpath', 'phone', 'normalize', '(050) 123-45-67', 'a b', 'x'],
  });
  t.same(shellWords('npx ringpath x ""'), { env: {}, argv: ['npx', 'ringpath', 'x', ''] });
});

t.test('every ringpath command line in the README is in a marked example', async (t) => {
  const shown = readme.split('\n').filter((l) => /^\s*\$ .*\bringpath\b/.test(l)).length;
  const marked = found.reduce((n, e) => n + e.commands.length, 0);
  t.ok(marked >= 2, 'the examples are found');
  t.equal(marked, shown, 'no $ ringpath line outside a marked block');
});

for (const example of found) {
  t.test(`README line ${example.line}: the example prints what the README shows`, async (t) => {
    const seed = WORLDS[example.world];
    t.ok(seed, `the world "${example.world}" exists`);
    const db = await testDatabase(t);
    await seed!(db.pool);
    for (const { command, output } of example.commands) {
      const { env, argv } = shellWords(command);
      t.same(argv.slice(0, 2), ['npx', 'ringpath'], command);
      const run = await runCli(argv.slice(2), { DATABASE_URL: db.url, ...env });
      t.equal(run.output, output, command);
    }
  });
}
