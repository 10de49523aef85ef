// Which HubSpot answers are "not now" and which are "never", and what a failed
// sync attempt leads to (dead letter, the queue's retry, or a deferral).
import t from 'tap';
import { classifyFailure, HubSpotError, isTransientStatus, LOCKED_MIN_WAIT_MS, transientWaitMs } from '../../../src/crm/hubspot/client.ts';
import { afterFailure } from '../../../src/crm/port.ts';

const api = (code: number, body: unknown = {}, headers: Record<string, string> = {}) => Object.assign(new Error('An error occurred.'), { code, body, headers });

t.test('transient statuses: 408, 423, 477 and every 5xx; the rest of 4xx are client errors', async (t) => {
  const table: Array<[number, boolean]> = [
    [400, false], [401, false], [403, false], [404, false], [409, false], [415, false], [422, false],
    [408, true], [423, true], [477, true], [500, true], [502, true], [503, true], [504, true], [524, true],
  ];
  for (const [status, transient] of table) {
    t.equal(isTransientStatus(status), transient, `${status}`);
    t.equal(classifyFailure(api(status)).kind, transient ? 'transient' : 'permanent', `${status} classified`);
  }
});

t.test('the wait a transient answer asks for: Retry-After, and at least 2 s after 423', async (t) => {
  t.equal(transientWaitMs(423, undefined), LOCKED_MIN_WAIT_MS);
  t.equal(transientWaitMs(423, 500), 2_000, 'a shorter Retry-After on 423 still waits 2 s');
  t.equal(transientWaitMs(423, 5_000), 5_000);
  t.equal(transientWaitMs(477, 7_200_000), 7_200_000, '477: two hours as asked');
  t.equal(transientWaitMs(503, undefined), undefined);
  t.match(classifyFailure(api(477, { category: 'MIGRATION_IN_PROGRESS' }, { 'Retry-After': '7200' })), { kind: 'transient', status: 477, retryAfterMs: 7_200_000 });
  t.match(classifyFailure(api(423, { category: 'LOCKED' })), { kind: 'transient', retryAfterMs: 2_000 });
  t.match(classifyFailure(api(503, {}, { 'retry-after': '3' })), { kind: 'transient', retryAfterMs: 3_000 });
});

t.test('after a failed attempt: dead letter, retry or defer', async (t) => {
  const err = (init: { status?: number; retryable: boolean; deferMs?: number }) => new HubSpotError('x', init);
  const mid = { attempts: 3, maxAttempts: 25 };
  const last = { attempts: 25, maxAttempts: 25 };
  const table: Array<[string, unknown, { attempts: number; maxAttempts: number }, unknown]> = [
    ['a 400 is dead-lettered at once', err({ status: 400, retryable: false }), mid, { next: 'dead-letter', why: 'refused' }],
    ['a 503 is retried by the queue', err({ status: 503, retryable: true }), mid, { next: 'retry' }],
    ['a 503 on the last attempt is dead-lettered', err({ status: 503, retryable: true }), last, { next: 'dead-letter', why: 'last-attempt' }],
    ['a 477 with Retry-After is deferred', err({ status: 477, retryable: true, deferMs: 7_200_000 }), mid, { next: 'defer', ms: 7_200_000 }],
    ['a deferral is no failure, even on the last attempt', err({ status: 477, retryable: true, deferMs: 60_000 }), last, { next: 'defer', ms: 60_000 }],
    ['a daily limit is deferred', err({ status: 429, retryable: true, deferMs: 3_600_000 }), mid, { next: 'defer', ms: 3_600_000 }],
    ['an unknown error is retried', new Error('boom'), mid, { next: 'retry' }],
  ];
  for (const [name, e, attempt, want] of table) t.same(afterFailure(e, attempt), want, name);
});
