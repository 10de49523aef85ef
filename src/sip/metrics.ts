import { Counter, type Registry } from 'prom-client';
import type { SipMetrics } from './deps.ts';

export function sipMetrics(registry: Registry): SipMetrics {
  const calls = new Counter({ name: 'ringpath_sip_calls_total', help: 'calls handled, by direction', labelNames: ['direction'] as const, registers: [registry] });
  const rejected = new Counter({ name: 'ringpath_sip_rejected_total', help: 'SIP requests rejected, by stable reason code (X-Reason)', labelNames: ['reason'] as const, registers: [registry] });
  const lost = new Counter({
    name: 'ringpath_call_records_lost_total',
    help: 'finished calls whose record could not be stored after retries (each is logged at error level with its Call-ID and record)',
    labelNames: ['direction'] as const,
    registers: [registry],
  });
  const media = new Counter({ name: 'ringpath_media_unavailable_total', help: 'calls connected without the media relay (not recorded)', registers: [registry] });
  const dialPlan = new Counter({
    name: 'ringpath_dial_plan_blocked_total',
    help: 'outbound calls refused by the dial plan, by rule (country, prefix, rate)',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  return {
    call: (direction) => calls.inc({ direction }),
    // the label is the stable reason code, so the label set is small and fixed
    rejected: (code) => rejected.inc({ reason: code }),
    callRecordLost: (direction) => lost.inc({ direction }),
    mediaUnavailable: () => media.inc(),
    dialPlanBlocked: (rule) => dialPlan.inc({ reason: rule }),
  };
}
