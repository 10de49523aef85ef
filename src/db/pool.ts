import pg from 'pg';
import type { Logger } from '../logger.ts';

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;
/** Anything that runs a query: the pool, or a client inside a transaction. */
export type Queryable = Pick<pg.Pool, 'query'> | Pick<pg.PoolClient, 'query'>;

// bigint ids and counts come back as JS numbers; ringpath's ids stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));
// …and so do arrays of them (bigint[] is type 1016).
const parseTextArray = pg.types.getTypeParser(1016 as never) as (v: string) => string[];
pg.types.setTypeParser(1016 as never, (v: string) => parseTextArray(v).map(Number));

export function createPool(url: string, size: number, logger: Logger): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: size, application_name: 'ringpath' });
  pool.on('error', (err) => logger.error({ err }, 'idle PostgreSQL connection failed'));
  return pool;
}

/** Run fn inside BEGIN/COMMIT; any throw rolls back and is rethrown. */
export async function withTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
