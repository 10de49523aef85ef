// The lockout rules every SipLimits store must keep, run against the memory and
// the PostgreSQL stores alike.
import type { Test } from 'tap';
import type { SipLimits } from '../../src/sip/limits.ts';

export const LIMIT = 3;

export async function lockoutCases(t: Test, make: () => Promise<SipLimits>): Promise<void> {
  t.test('failures below the limit do not lock out', async (t) => {
    const l = await make();
    for (let i = 0; i < LIMIT - 1; i++) await l.authFailed('192.0.2.1');
    t.equal(await l.lockedOut('192.0.2.1'), false);
  });

  t.test('the limit of failures locks the address out, and only that address', async (t) => {
    const l = await make();
    for (let i = 0; i < LIMIT; i++) await l.authFailed('192.0.2.2');
    t.equal(await l.lockedOut('192.0.2.2'), true, 'locked out');
    t.equal(await l.lockedOut('192.0.2.3'), false, 'another address is not');
    await l.authFailed('192.0.2.2');
    t.equal(await l.lockedOut('192.0.2.2'), true, 'more failures keep it locked (no error)');
  });

  t.test('a successful authentication does not lift a lockout', async (t) => {
    const l = await make();
    for (let i = 0; i < LIMIT; i++) await l.authFailed('192.0.2.4');
    await l.authSucceeded('192.0.2.4');
    t.equal(await l.lockedOut('192.0.2.4'), true, 'still locked out after the right password');
  });

  t.test('below the limit, a success forgets earlier stray failures', async (t) => {
    const l = await make();
    for (let i = 0; i < LIMIT - 1; i++) await l.authFailed('192.0.2.5');
    await l.authSucceeded('192.0.2.5');
    for (let i = 0; i < LIMIT - 1; i++) await l.authFailed('192.0.2.5');
    t.equal(await l.lockedOut('192.0.2.5'), false, 'the count started again');
  });

  t.test('REGISTERs beyond the rate are refused with a time to wait', async (t) => {
    const l = await make();
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await l.allowRegister('192.0.2.6'));
    t.same(answers.slice(0, 2).map((a) => a.allowed), [true, true]);
    t.equal(answers[2]!.allowed, false, 'the third in a minute is refused');
    t.ok(answers[2]!.retryAfterS > 0 && answers[2]!.retryAfterS <= 60, `retry after ${answers[2]!.retryAfterS} s`);
    t.equal((await l.allowRegister('192.0.2.7')).allowed, true, 'another address is not limited');
  });
}
