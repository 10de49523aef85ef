// `npm run hubspot-emulator`: the emulator as a process, on 127.0.0.1.
//   HUBSPOT_EMULATOR_PORT             default 0 (any free port; the URL is printed)
//   HUBSPOT_EMULATOR_TOKEN            default: a random pat-emu-… token (printed)
//   HUBSPOT_EMULATOR_SEARCH_LAG_MS    default 1000
//   HUBSPOT_EMULATOR_RATE_10S         default 190
//   HUBSPOT_EMULATOR_SEARCH_RATE      default 5
//   HUBSPOT_EMULATOR_WEBHOOK_URL, HUBSPOT_EMULATOR_WEBHOOK_SECRET   webhooks out, when both are set
// The control API is served under /_emulator (see control-http.ts).
import { randomBytes } from 'node:crypto';
import { startHubSpotEmulator } from './server.ts';

function intEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got ${raw}`);
  return n;
}

async function main(): Promise<void> {
  const token = process.env.HUBSPOT_EMULATOR_TOKEN || `pat-emu-${randomBytes(12).toString('hex')}`;
  const webhookUrl = process.env.HUBSPOT_EMULATOR_WEBHOOK_URL;
  const webhookSecret = process.env.HUBSPOT_EMULATOR_WEBHOOK_SECRET;
  const emulator = await startHubSpotEmulator({
    port: intEnv('HUBSPOT_EMULATOR_PORT', 0),
    token,
    searchLagMs: intEnv('HUBSPOT_EMULATOR_SEARCH_LAG_MS', 1000),
    rateLimit: { perTenSeconds: intEnv('HUBSPOT_EMULATOR_RATE_10S', 190), searchPerSecond: intEnv('HUBSPOT_EMULATOR_SEARCH_RATE', 5) },
    ...(webhookUrl && webhookSecret ? { webhook: { url: webhookUrl, secret: webhookSecret } } : {}),
  });
  console.log(`HubSpot emulator listening on ${emulator.url}`);
  console.log(`token: ${token}`);
  console.log(`control API: ${emulator.url}/_emulator (same token)`);
  // While "down" nothing listens, so keep the process alive explicitly.
  const keepAlive = setInterval(() => undefined, 1 << 30);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    clearInterval(keepAlive);
    void emulator.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error('hubspot emulator failed to start:', err);
  process.exit(1);
});
