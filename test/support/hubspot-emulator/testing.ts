// Test helpers: an emulator per test, closed at teardown, with the official
// client pointed at it; and a reader for the errors the client throws.
import { Client } from '@hubspot/api-client';
import { randomBytes } from 'node:crypto';
import { startHubSpotEmulator, type EmulatorOptions, type HubSpotEmulator } from './server.ts';

interface Teardown {
  teardown(fn: () => unknown): void;
}

export interface EmulatorUnderTest {
  readonly emulator: HubSpotEmulator;
  /** The official client, no retries, pointed at the emulator. */
  readonly client: Client;
}

export async function hubspotForTest(t: Teardown, opts: Partial<EmulatorOptions> = {}): Promise<EmulatorUnderTest> {
  const emulator = await startHubSpotEmulator({ token: `pat-test-${randomBytes(8).toString('hex')}`, ...opts });
  t.teardown(() => emulator.close());
  const client = new Client({ accessToken: emulator.token, basePath: emulator.url, numberOfApiCallRetries: 0 });
  return { emulator, client };
}

/** What the client's ApiException carries: the status, the parsed body and the headers. */
export interface ClientApiError {
  readonly code: number;
  readonly body: unknown;
  readonly headers: Record<string, string>;
}

export function clientApiError(err: unknown): ClientApiError | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const { code, body, headers } = err as { code?: unknown; body?: unknown; headers?: unknown };
  if (typeof code !== 'number') return undefined;
  const h: Record<string, string> = {};
  if (typeof headers === 'object' && headers !== null) {
    for (const [k, v] of Object.entries(headers)) if (typeof v === 'string') h[k.toLowerCase()] = v;
  }
  return { code, body, headers: h };
}

/** Runs `fn`, which must fail with an API error; returns that error. */
export async function expectApiError(fn: () => Promise<unknown>): Promise<ClientApiError> {
  try {
    await fn();
  } catch (err) {
    const api = clientApiError(err);
    if (api) return api;
    throw err;
  }
  throw new Error('expected the request to fail');
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
