// A call the dial plan refused: stored with the disposition "blocked" (a value the
// 1700000000410 migration adds), never queued for CRM sync, shown by the calls API.
import { randomUUID } from 'node:crypto';
import t from 'tap';
import { blockedCallRecord, checkDialPlan, dialPlanPolicy } from '../../../src/calls/dial-plan.ts';
import { recordCall } from '../../../src/db/repositories/calls.ts';
import { loadSettings } from '../../../src/db/repositories/settings.ts';
import { testApi } from '../../support/app.ts';

t.test('a blocked outbound call is in the call log, marked blocked, with no CRM job', async (t) => {
  const api = await testApi(t);
  const employee = await api.post('/api/v1/employees', { email: 'olena@example.com', full_name: 'Olena Koval' });
  t.equal(employee.statusCode, 201, employee.body);
  const policy = dialPlanPolicy(await loadSettings(api.db.pool), api.config.defaultCountry);
  const verdict = checkDialPlan(policy, '+881631234567');
  if (verdict.allowed) throw new Error('the default dial plan let a satellite number through');

  const id = randomUUID();
  const at = new Date('2024-05-01T10:00:00Z');
  const cdr = blockedCallRecord({
    id,
    sipCallId: `${id}@phone`,
    callerId: null,
    calleeE164: '+881631234567',
    callerRaw: '<sip:olena@ringpath.local>;tag=1',
    placedByEmployeeId: employee.json().id,
    at,
    refusal: verdict,
  });
  await recordCall(api.db.pool, cdr, { crmSync: true });

  const { rows: jobs } = await api.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE key = $1`, [id]);
  t.equal(jobs[0]?.n, 0, 'no CRM sync job, even with CRM sync on');

  const detail = await api.get(`/api/v1/calls/${id}`);
  t.equal(detail.statusCode, 200, detail.body);
  t.match(detail.json(), {
    direction: 'outbound',
    disposition: 'blocked',
    callee: '+881631234567',
    placed_by_employee_id: employee.json().id,
    answered_at: null,
    ring_duration_ms: 0,
    talk_duration_ms: 0,
    has_recording: false,
    crm_sync_state: 'not_required',
  });
  t.match(detail.json().routing_trace, [{ result: 'skipped', reason: 'DIAL_PLAN_BLOCKED (prefix): +881631234567 is in the blocked range +881' }]);
  const list = await api.get('/api/v1/calls?direction=outbound');
  t.equal(list.statusCode, 200, list.body);
  t.match(list.json(), { total: 1, items: [{ id, disposition: 'blocked' }] });
});
