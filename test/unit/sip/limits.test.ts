// The SIP lockout and REGISTER rate with the in-memory store (the PostgreSQL
// store runs the same cases in test/integration/sip/limits.test.ts).
import t from 'tap';
import { memorySipLimits } from '../../../src/sip/adapters/memory.ts';
import { LIMIT, lockoutCases } from '../../support/sip-limits-cases.ts';

await lockoutCases(t, async () => memorySipLimits({ authFailureLimit: LIMIT, registerPerMinute: 2 }));
