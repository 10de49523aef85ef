// The SIP side's counters as /metrics shows them.
import { Registry } from 'prom-client';
import t from 'tap';
import { sipMetrics } from '../../../src/sip/metrics.ts';

t.test('calls the dial plan refused are counted by rule in ringpath_dial_plan_blocked_total', async (t) => {
  const registry = new Registry();
  const metrics = sipMetrics(registry);
  metrics.dialPlanBlocked('prefix');
  metrics.dialPlanBlocked('prefix');
  metrics.dialPlanBlocked('country');
  metrics.dialPlanBlocked('rate');
  const text = await registry.metrics();
  t.match(text, /^# TYPE ringpath_dial_plan_blocked_total counter$/m);
  t.match(text, /^ringpath_dial_plan_blocked_total\{reason="prefix"\} 2$/m);
  t.match(text, /^ringpath_dial_plan_blocked_total\{reason="country"\} 1$/m);
  t.match(text, /^ringpath_dial_plan_blocked_total\{reason="rate"\} 1$/m);
});
