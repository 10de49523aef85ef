// How each leg of a parallel ringing attempt is recorded.
import t from 'tap';
import { legResult } from '../../../src/sip/fork.ts';
import type { AttemptResult } from '../../../src/routing/types.ts';

type StoppedBy = 'timeout' | 'aborted' | 'winner' | undefined;

t.test('leg outcomes', async (t) => {
  // [case, final status (undefined: no response), why ringing stopped, result]
  const rows: Array<[string, number | undefined, StoppedBy, AttemptResult]> = [
    ['cancelled by us at the ring timeout', 487, 'timeout', 'no_answer'],
    ['cancelled because the caller hung up', 487, 'aborted', 'cancelled'],
    ['cancelled because another leg answered', 487, 'winner', 'cancelled'],
    ['no response at all before the timeout', undefined, 'timeout', 'no_answer'],
    ['no response, caller hung up', undefined, 'aborted', 'cancelled'],
    ['no response, another leg answered', undefined, 'winner', 'cancelled'],
    ['no response and nothing stopped it (transport error)', undefined, undefined, 'failed'],
    ['487 the leg sent by itself', 487, undefined, 'no_answer'],
    ['486 Busy Here', 486, undefined, 'busy'],
    ['600 Busy Everywhere', 600, undefined, 'busy'],
    ['603 Decline', 603, undefined, 'busy'],
    ['busy before the timeout fired', 486, 'timeout', 'busy'],
    ['busy while another leg answered', 486, 'winner', 'busy'],
    ['408 Request Timeout', 408, undefined, 'no_answer'],
    ['480 Temporarily Unavailable', 480, undefined, 'no_answer'],
    ['404 Not Found', 404, undefined, 'failed'],
    ['403 Forbidden', 403, 'timeout', 'failed'],
    ['488 Not Acceptable Here', 488, undefined, 'failed'],
    ['500 Server Internal Error', 500, undefined, 'failed'],
    ['503 Service Unavailable', 503, undefined, 'failed'],
  ];
  for (const [name, status, stoppedBy, result] of rows) t.equal(legResult(status, stoppedBy), result, name);
});
