// An app on a test database of its own, with an API key, driven by inject().
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Test } from 'tap';
import { createApiKey } from '../../src/auth/api-keys.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { buildApp } from '../../src/http/app.ts';
import { silentLogger, testDatabase, type TestDatabase } from './db.ts';

export interface TestApi {
  readonly app: FastifyInstance;
  readonly db: TestDatabase;
  readonly config: Config;
  readonly key: string;
  get(url: string): Promise<LightMyRequestResponse>;
  post(url: string, body: unknown): Promise<LightMyRequestResponse>;
  patch(url: string, body: unknown): Promise<LightMyRequestResponse>;
  put(url: string, body: unknown): Promise<LightMyRequestResponse>;
  del(url: string): Promise<LightMyRequestResponse>;
}

export async function testApi(t: Test, env: Record<string, string> = {}): Promise<TestApi> {
  const db = await testDatabase(t);
  const config = loadConfig({ DEFAULT_COUNTRY: 'UA', LOG_LEVEL: 'silent', ...env });
  const app = await buildApp({ config, pool: db.pool, logger: silentLogger });
  t.teardown(() => app.close());
  const { key } = await createApiKey(db.pool, 'tests');
  const auth = { authorization: `Bearer ${key}` };
  const send = (method: 'POST' | 'PATCH' | 'PUT', url: string, body: unknown) =>
    app.inject({ method, url, headers: auth, payload: body as object });
  return {
    app,
    db,
    config,
    key,
    get: (url) => app.inject({ method: 'GET', url, headers: auth }),
    post: (url, body) => send('POST', url, body),
    patch: (url, body) => send('PATCH', url, body),
    put: (url, body) => send('PUT', url, body),
    del: (url) => app.inject({ method: 'DELETE', url, headers: auth }),
  };
}
