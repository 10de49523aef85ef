// A webhook receiver on 127.0.0.1 that checks every delivery with the
// standardwebhooks package, as a subscriber's server would. Each request gets
// what the test scripts: 2xx, an error status, or no answer at all (a hang).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export type ReceiverAnswer = number | 'hang';

export interface Received {
  readonly id: string;
  readonly type: string;
  readonly callId: string;
  /** The signature checked out with the endpoint's secret. */
  readonly verified: boolean;
  readonly answered: ReceiverAnswer;
}

export interface Receiver {
  readonly url: string;
  readonly received: Received[];
  secret: string | undefined;
  /** What the next requests get, in order; afterwards 204. */
  script: ReceiverAnswer[];
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const hanging: http.ServerResponse[] = [];
  const r: Receiver = {
    url: '',
    received: [],
    secret: undefined,
    script: [],
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let verified = false;
      try {
        if (r.secret) {
          new Webhook(r.secret).verify(body, req.headers as Record<string, string>);
          verified = true;
        }
      } catch {
        verified = false;
      }
      const parsed = JSON.parse(body) as { type: string; data: { call_id: string } };
      const answer = r.script.shift() ?? 204;
      r.received.push({ id: String(req.headers['webhook-id']), type: parsed.type, callId: parsed.data.call_id, verified, answered: answer });
      if (answer === 'hang') {
        hanging.push(res);
        return;
      }
      res.writeHead(answer).end(answer >= 400 ? 'nope' : '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  (r as { url: string }).url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  return r;
}
