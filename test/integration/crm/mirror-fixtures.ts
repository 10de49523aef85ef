// Shared by the mirror's integration tests: an emulated HubSpot portal whose
// contacts hold phones written every way people write them, a test database,
// and the mirror's context pointed at both.
import { Writable } from 'node:stream';
import type { Test } from 'tap';
import { loadConfig, type Config } from '../../../src/config.ts';
import { createHubSpotGateway, type HubSpotGateway } from '../../../src/crm/hubspot/client.ts';
import { mirrorContext } from '../../../src/crm/mirror/index.ts';
import type { MirrorContext } from '../../../src/crm/mirror/types.ts';
import { createLogger, type Logger } from '../../../src/logger.ts';
import { testDatabase, type TestDatabase } from '../../support/db.ts';
import type { EmulatorOptions, HubSpotEmulator } from '../../support/hubspot-emulator/index.ts';
import { hubspotForTest } from '../../support/hubspot-emulator/testing.ts';

/** pino lines kept in memory, for assertions on what was logged. */
export function memoryLogger(level: 'info' | 'debug' | 'warn' = 'info'): { logger: Logger; lines: () => Array<Record<string, unknown>> } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  const logger = createLogger(level, stream);
  const lines = () =>
    chunks
      .join('')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { logger, lines };
}

export interface MirrorUnderTest {
  readonly emulator: HubSpotEmulator;
  readonly db: TestDatabase;
  readonly config: Config;
  readonly gateway: HubSpotGateway;
  readonly ctx: MirrorContext;
  readonly lines: () => Array<Record<string, unknown>>;
}

export async function mirrorForTest(
  t: Test,
  opts: { env?: Record<string, string>; emulator?: Partial<EmulatorOptions> } = {},
): Promise<MirrorUnderTest> {
  const db = await testDatabase(t);
  const { emulator } = await hubspotForTest(t, opts.emulator);
  const config = loadConfig({
    DEFAULT_COUNTRY: 'UA',
    LOG_LEVEL: 'silent',
    HUBSPOT_TOKEN: emulator.token,
    HUBSPOT_BASE_URL: emulator.url,
    HUBSPOT_RATE_LIMIT: '190',
    HUBSPOT_SEARCH_RATE_LIMIT: '5',
    ...opts.env,
  });
  const { logger, lines } = memoryLogger();
  const gateway = createHubSpotGateway(config.crm, db.pool, logger, { sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 20))) });
  return { emulator, db, config, gateway, ctx: mirrorContext({ config, pool: db.pool, logger, gateway }), lines };
}

/** Ukrainian mobile operators' codes (all valid with 7 more digits). */
const OPERATORS = ['50', '66', '67', '68', '63', '73', '93', '97', '98', '99'];

/** One Ukrainian mobile number written five ways; i picks the number, k the way. */
export function uaNumber(i: number, series = 2): { e164: string; written: string } {
  const op = OPERATORS[i % OPERATORS.length]!;
  const sub = String(series * 1_000_000 + i).padStart(7, '0');
  const [a, b, c] = [sub.slice(0, 3), sub.slice(3, 5), sub.slice(5)];
  const ways = [`(0${op}) ${a}-${b}-${c}`, `+380 ${op} ${a} ${b}${c}`, `0${op}${sub}`, `380${op}${sub}`, `+38 (0${op}) ${a} ${b} ${c}`];
  return { e164: `+380${op}${sub}`, written: ways[Math.floor(i / OPERATORS.length) % ways.length]! };
}

export interface SeededContact {
  readonly id: string;
  readonly phone: string;
  readonly mobile: string | undefined;
  readonly ownerId: string;
  /** The owner of the contact's open deal, if it has one. */
  readonly openDealOwnerId: string | undefined;
}

/**
 * A portal with `count` contacts, each owned by one of ten owners, with phones in
 * mixed formats (every fourth also a mobile); every third has an open deal owned
 * by another owner, every fifth a closed (won or lost) deal owned by a third.
 */
export function seedPortal(emulator: HubSpotEmulator, count: number): { contacts: SeededContact[]; owners: string[]; deals: number } {
  const c = emulator.control;
  const owners = Array.from({ length: 10 }, (_, k) => c.addOwner({ email: `manager${k}@example.com`, firstName: `Manager`, lastName: String(k) }).id);
  const contacts: SeededContact[] = [];
  let deals = 0;
  for (let i = 0; i < count; i++) {
    const phone = uaNumber(i);
    const mobile = i % 4 === 0 ? uaNumber(i + 3, 3) : undefined;
    const ownerId = owners[i % 10]!;
    const props: Record<string, string> = { firstname: `Client`, lastname: String(i), phone: phone.written, hubspot_owner_id: ownerId };
    if (mobile) props.mobilephone = mobile.written;
    const contact = c.seed('contacts', props);
    let openDealOwnerId: string | undefined;
    if (i % 3 === 0) {
      openDealOwnerId = owners[(i + 1) % 10]!;
      c.seed('deals', { dealname: `Open ${i}`, pipeline: 'default', dealstage: 'appointmentscheduled', hubspot_owner_id: openDealOwnerId }, {
        associations: [{ toType: 'contacts', toId: contact.id }],
      });
      deals++;
    }
    if (i % 5 === 0) {
      const stage = i % 2 === 0 ? 'closedwon' : 'closedlost';
      c.seed('deals', { dealname: `Closed ${i}`, pipeline: 'default', dealstage: stage, hubspot_owner_id: owners[(i + 2) % 10]! }, {
        associations: [{ toType: 'contacts', toId: contact.id }],
      });
      deals++;
    }
    contacts.push({ id: contact.id, phone: phone.e164, mobile: mobile?.e164, ownerId, openDealOwnerId });
  }
  return { contacts, owners, deals };
}

/** What lookupResponsible should answer for a seeded contact's number. */
export function expectedResponsible(c: SeededContact) {
  return { status: 'found', contactOwnerId: c.ownerId, ...(c.openDealOwnerId ? { dealOwnerId: c.openDealOwnerId } : {}) };
}
