import t from 'tap';
import { qualify, type CallToQualify, type QualifyRule } from '../../../src/outbound/qualify.ts';

const DEFAULT: QualifyRule = { minTalkS: 30, answered: true, firstTime: false };
const call = (over: Partial<CallToQualify> = {}): CallToQualify => ({ disposition: 'answered', talkDurationMs: 45_000, firstTimeCaller: true, ...over });

t.test('the qualified-call rule', async (t) => {
  // [case, call, rule, expected]
  const rows: Array<[string, CallToQualify, QualifyRule, ReturnType<typeof qualify>]> = [
    ['answered, long enough', call(), DEFAULT, { qualified: true }],
    ['exactly the minimum talk time', call({ talkDurationMs: 30_000 }), DEFAULT, { qualified: true }],
    ['one second short', call({ talkDurationMs: 29_999 }), DEFAULT, { qualified: false, reason: 'talk time 29 s is under 30 s' }],
    ['missed', call({ disposition: 'missed', talkDurationMs: 0 }), DEFAULT, { qualified: false, reason: 'not answered (missed)' }],
    ['missed, answered not required, no minimum', call({ disposition: 'missed', talkDurationMs: 0 }), { minTalkS: 0, answered: false, firstTime: false }, { qualified: true }],
    ['a returning caller when only first calls count', call({ firstTimeCaller: false }), { ...DEFAULT, firstTime: true }, { qualified: false, reason: 'not a first-time caller' }],
    ['a returning caller when any call counts', call({ firstTimeCaller: false }), DEFAULT, { qualified: true }],
    ['a first-time caller when only first calls count', call(), { ...DEFAULT, firstTime: true }, { qualified: true }],
    ['busy', call({ disposition: 'busy', talkDurationMs: 0 }), DEFAULT, { qualified: false, reason: 'not answered (busy)' }],
  ];
  for (const [name, c, rule, expected] of rows) t.same(qualify(c, rule), expected, name);
});
