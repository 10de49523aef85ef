// Smart forwarding reads the local CRM mirror, never the CRM's API (SPEC §5, §6).
import net from 'node:net';
import pg from 'pg';
import type { Queryable } from '../db/pool.ts';
import { lookupWithinBudget } from '../routing/lookup-budget.ts';
import type { ResponsibleLookup } from '../routing/types.ts';

export interface MirrorMatch {
  readonly contactId: string;
  readonly contactOwnerId: string | null;
  /** Open deals of the contact, most recently modified first. */
  readonly openDeals: ReadonlyArray<{ readonly id: string; readonly ownerId: string | null }>;
}

interface MatchRow {
  contact_id: string;
  owner_id: string | null;
  deals: Array<{ id: string; owner_id: string | null }> | null;
}

// One round trip, a named prepared statement (parsed and planned once per
// connection): the phone index (e164, covering contact_id) → the contacts → each
// contact's deals through (contact_id, deal_id) → the deal rows.
const FIND_BY_PHONE = {
  name: 'ringpath.mirror.find_by_phone',
  text: `SELECT c.id AS contact_id, c.owner_id,
            (SELECT json_agg(json_build_object('id', d.id, 'owner_id', d.owner_id) ORDER BY d.lastmodified_at DESC NULLS LAST)
               FROM crm_deal_contacts dc JOIN crm_deals d ON d.id = dc.deal_id
              WHERE dc.contact_id = c.id AND d.is_open AND NOT d.archived) AS deals
       FROM crm_contacts c
      WHERE NOT c.archived AND c.id IN (SELECT p.contact_id FROM crm_contact_phones p WHERE p.e164 = $1::text)
      ORDER BY c.lastmodified_at DESC NULLS LAST
      LIMIT 10`,
};

/** The lookup's statement with a number nobody has, to prepare it on a connection (see src/calls/warm.ts). */
export const MIRROR_LOOKUP_STATEMENT: pg.QueryConfig = { ...FIND_BY_PHONE, values: ['+10000000000'] };

function matchesOf(rows: readonly MatchRow[]): MirrorMatch[] {
  return rows.map((r) => ({
    contactId: r.contact_id,
    contactOwnerId: r.owner_id,
    openDeals: (r.deals ?? []).map((d) => ({ id: d.id, ownerId: d.owner_id })),
  }));
}

/**
 * Contacts whose phone properties hold this E.164 number, most recently modified
 * first, each with its open deals. A deal is open when its stage is neither
 * closed won nor closed lost.
 */
export async function findByPhone(db: Queryable, e164: string): Promise<MirrorMatch[]> {
  const { rows } = await db.query<MatchRow>({ ...FIND_BY_PHONE, values: [e164] });
  return matchesOf(rows);
}

/**
 * Asks PostgreSQL to cancel whatever the connection's backend is running: the
 * protocol's CancelRequest (backend pid and secret key) on a socket of its own,
 * as libpq's PQcancel does. It needs no pool slot and no authentication, so it
 * works when the pool is exhausted or the server is slow to log in.
 */
function requestCancel(client: pg.PoolClient): void {
  const { processID, secretKey } = client as unknown as { processID: number | null; secretKey: number | null };
  if (processID === null || secretKey === null) return;
  const packet = Buffer.alloc(16);
  packet.writeInt32BE(16, 0);
  packet.writeInt32BE(80877102, 4); // the CancelRequest code
  packet.writeInt32BE(processID, 8);
  packet.writeInt32BE(secretKey, 12);
  const socket = client.host.startsWith('/') ? net.connect(`${client.host}/.s.PGSQL.${client.port}`) : net.connect(client.port, client.host);
  socket.on('error', () => undefined); // should it fail, closing the connection (below) still ends the query
  socket.once('connect', () => socket.end(packet));
  socket.setTimeout(CANCEL_GRACE_MS, () => socket.destroy());
}

/** How long a cancelled query may take to give its connection back before the connection is closed anyway. */
const CANCEL_GRACE_MS = 2_000;

/**
 * findByPhone on a pool connection of its own, cancelled in PostgreSQL when
 * `signal` aborts: the server is sent a cancel request for that connection's
 * backend (PostgreSQL's own cancel path, over a separate socket, no pool slot
 * needed), and the connection is then closed rather than returned to the pool,
 * so a late cancel can never hit another query.
 */
async function findByPhoneCancellable(pool: pg.Pool, e164: string, signal: AbortSignal): Promise<MirrorMatch[]> {
  signal.throwIfAborted();
  const client = await pool.connect();
  if (signal.aborted) {
    client.release();
    throw signal.reason;
  }
  const query = new pg.Query<MatchRow>({ ...FIND_BY_PHONE, values: [e164] });
  return new Promise<MirrorMatch[]>((resolve, reject) => {
    let cancelled = false;
    let released = false;
    let grace: NodeJS.Timeout | undefined;
    const release = (destroy: Error | boolean | undefined) => {
      if (released) return;
      released = true;
      client.release(destroy);
    };
    const done = (err: Error | undefined, rows?: MatchRow[]) => {
      signal.removeEventListener('abort', cancel);
      if (grace) clearTimeout(grace);
      release(cancelled ? (err ?? true) : err);
      if (err || !rows) reject(err ?? signal.reason);
      else resolve(matchesOf(rows));
    };
    const cancel = () => {
      cancelled = true;
      requestCancel(client);
      grace = setTimeout(() => release(new Error('a cancelled mirror lookup did not end; its connection is closed')), CANCEL_GRACE_MS);
      grace.unref();
    };
    let finished = false;
    query.on('error', (err: Error) => {
      if (finished) return;
      finished = true;
      done(err);
    });
    query.on('end', (result: pg.QueryResult<MatchRow>) => {
      if (finished) return;
      finished = true;
      done(undefined, result.rows);
    });
    signal.addEventListener('abort', cancel, { once: true });
    client.query(query);
  });
}

/** The owners the responsible-manager step may ring: first contact's owner, first open deal's owner. */
export function responsibleFrom(matches: readonly MirrorMatch[]): ResponsibleLookup {
  if (matches.length === 0) return { status: 'not_found' };
  const contactOwnerId = matches.find((m) => m.contactOwnerId)?.contactOwnerId ?? undefined;
  const dealOwnerId = matches.flatMap((m) => m.openDeals).find((d) => d.ownerId)?.ownerId ?? undefined;
  if (!contactOwnerId && !dealOwnerId) return { status: 'not_found' };
  return {
    status: 'found',
    ...(contactOwnerId ? { contactOwnerId } : {}),
    ...(dealOwnerId ? { dealOwnerId } : {}),
  };
}

/**
 * The lookup within a time budget: a failure or a slow database yields
 * `failed`/`timeout`, and routing moves on to its next step at once. On a pool,
 * running out of the budget also cancels the query in PostgreSQL, so a slow
 * lookup does not go on holding a connection and a backend.
 */
export function lookupResponsible(db: Queryable, e164: string, budgetMs: number): Promise<ResponsibleLookup> {
  return lookupWithinBudget(
    async (signal) => responsibleFrom(db instanceof pg.Pool ? await findByPhoneCancellable(db, e164, signal) : await findByPhone(db, e164)),
    budgetMs,
  );
}
