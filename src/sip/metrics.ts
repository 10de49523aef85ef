import { Counter, type Registry } from 'prom-client';
import type { SipMetrics } from './deps.ts';

export function sipMetrics(registry: Registry): SipMetrics {
  const calls = new Counter({ name: 'ringpath_sip_calls_total', help: 'calls handled, by direction', labelNames: ['direction'] as const, registers: [registry] });
  const rejected = new Counter({ name: 'ringpath_sip_rejected_total', help: 'INVITEs rejected, by reason', labelNames: ['reason'] as const, registers: [registry] });
  const media = new Counter({ name: 'ringpath_media_unavailable_total', help: 'calls connected without the media relay (not recorded)', registers: [registry] });
  const dialPlan = new Counter({
    name: 'ringpath_dial_plan_blocked_total',
    help: 'outbound calls refused by the dial plan, by rule (country, prefix, rate)',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  return {
    call: (direction) => calls.inc({ direction }),
    // reasons can carry numbers; keep the label set small
    rejected: (reason) => rejected.inc({ reason: reason.replace(/[+\d]+/g, '#').slice(0, 60) }),
    mediaUnavailable: () => media.inc(),
    dialPlanBlocked: (rule) => dialPlan.inc({ reason: rule }),
  };
}
