// Routing decision benchmark: `npm run bench:routing`.
//
// A realistic call context: 100,000 contacts in an in-memory stand-in for the CRM mirror
// index (E.164 → owners), 50 employees, a 4-step scheme with working hours. Each decision
// is the mirror lookup plus planCall with the round-robin state threaded through, timed
// with process.hrtime.bigint. Bounded by MAX_DECISIONS or MAX_SECONDS, whichever first.
// The last line printed is one JSON object: {"decisions_per_s": …, "decision_p99_ms": …}.
// Target: p99 < 1 ms.
import { planCall } from '../../src/routing/engine.ts';
import type { CallContext, Employee, ResponsibleLookup, RoundRobinState, Scheme } from '../../src/routing/types.ts';
import { picker, prng } from '../support/prng.ts';

const CONTACTS = 100_000;
const EMPLOYEES = 50;
const WARMUP = 5_000;
const MAX_DECISIONS = 200_000;
const MAX_SECONDS = 10;

const random = prng(20260615);
const pick = picker(random);

const employees: Employee[] = Array.from({ length: EMPLOYEES }, (_, i) => {
  const id = 1000 + i;
  return {
    id,
    fullName: `Employee ${id}`,
    salesRole: i < 3 ? 'quality_control' : i < 6 ? 'head' : 'sales_rep',
    receivesNewClients: i % 3 === 0,
    isSeniorManager: i === 6,
    hubspotOwnerId: `${70_000_000 + i}`,
    mainDestinations:
      i % 4 === 0
        ? [{ type: 'sip_account', login: `emp${id}` }, { type: 'phone', number: `+38067${String(1_000_000 + i)}` }]
        : [{ type: 'sip_account', login: `emp${id}` }],
  };
});
const ownerIds = employees.map((e) => e.hubspotOwnerId!);

// The mirror stand-in: a Map from E.164 to the owners of the caller's open contact and deal.
interface MirrorRow {
  contactOwnerId?: string;
  dealOwnerId?: string;
}
const mirror = new Map<string, MirrorRow>();
const callers: string[] = [];
for (let i = 0; i < CONTACTS; i++) {
  const number = `+38050${String(1_000_000 + i * 7).padStart(7, '0')}`;
  const owner = random() < 0.02 ? '99999999' : pick(ownerIds); // 2% owners not mapped to anyone
  const row: MirrorRow = random() < 0.6 ? { contactOwnerId: owner, dealOwnerId: pick(ownerIds) } : { contactOwnerId: owner };
  mirror.set(number, row);
  callers.push(number);
}
const strangers = Array.from({ length: 10_000 }, (_, i) => `+38063${String(2_000_000 + i).padStart(7, '0')}`);

const office = { timeZone: 'Europe/Kyiv', intervals: [{ days: [1, 2, 3, 4, 5], from: '09:00', to: '19:00' }, { days: [6], from: '10:00', to: '15:00' }] };
const scheme: Scheme = {
  id: 1,
  steps: [
    { type: 'responsible_manager', ringTimeoutS: 20, lookupOrder: ['deal_owner', 'contact_owner'], schedule: office },
    { type: 'employees', ringTimeoutS: 15, employeeIds: [1006, 1007, 1008, 1009, 1010], ringStrategy: 'sequential', schedule: office },
    { type: 'new_client_distribution', ringTimeoutS: 25, mode: 'round_robin' },
    { type: 'senior_manager', ringTimeoutS: 30 },
  ],
};

function lookup(caller: string): ResponsibleLookup {
  const row = mirror.get(caller);
  return row ? { status: 'found', ...row } : { status: 'not_found' };
}

const start = Date.parse('2026-03-23T00:00:00Z'); // a week across the EU spring-forward
let state: RoundRobinState | undefined;
let sink = 0;

function decide(i: number): void {
  const caller = random() < 0.85 ? pick(callers) : pick(strangers);
  const ctx: CallContext = {
    callerNumber: caller,
    trackingNumber: { number: '+380441234567', scheme },
    employees,
    responsible: lookup(caller),
    roundRobin: state ? new Map([[2, state]]) : new Map(),
    now: new Date(start + i * 3_023),
  };
  const plan = planCall(ctx);
  const advance = plan.roundRobin[0];
  if (advance) state = { lastEmployeeId: advance.lastEmployeeId };
  sink += plan.attempts.length;
}

for (let i = 0; i < WARMUP; i++) decide(i);

const latencies = new Float64Array(MAX_DECISIONS);
const deadline = process.hrtime.bigint() + BigInt(MAX_SECONDS) * 1_000_000_000n;
const began = process.hrtime.bigint();
let n = 0;
while (n < MAX_DECISIONS) {
  const t0 = process.hrtime.bigint();
  decide(WARMUP + n);
  const t1 = process.hrtime.bigint();
  latencies[n++] = Number(t1 - t0) / 1e6;
  if ((n & 1023) === 0 && t1 > deadline) break;
}
const elapsedS = Number(process.hrtime.bigint() - began) / 1e9;

const sorted = latencies.slice(0, n).sort();
const quantile = (q: number): number => sorted[Math.min(n - 1, Math.floor(q * n))] ?? 0;
const round = (x: number, digits: number): number => Number(x.toFixed(digits));
const perSecond = n / elapsedS;

console.log(`routing decisions: ${n.toLocaleString('en-US')} in ${elapsedS.toFixed(2)} s (after ${WARMUP.toLocaleString('en-US')} warm-up)`);
console.log(`context: ${CONTACTS.toLocaleString('en-US')} mirror contacts, ${EMPLOYEES} employees, ${scheme.steps.length}-step scheme`);
console.log(`throughput: ${Math.round(perSecond).toLocaleString('en-US')} decisions/s (one thread, lookup + planCall)`);
console.log(
  `latency ms: p50 ${quantile(0.5).toFixed(4)}  p90 ${quantile(0.9).toFixed(4)}  p99 ${quantile(0.99).toFixed(4)}  ` +
    `p99.9 ${quantile(0.999).toFixed(4)}  max ${(sorted[n - 1] ?? 0).toFixed(4)}`,
);
console.log(`target p99 < 1 ms: ${quantile(0.99) < 1 ? 'met' : 'NOT met'} (attempts planned: ${sink.toLocaleString('en-US')})`);
console.log(JSON.stringify({ decisions_per_s: Math.round(perSecond), decision_p99_ms: round(quantile(0.99), 4) }));
