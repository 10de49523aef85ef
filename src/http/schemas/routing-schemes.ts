import { Type, type Static } from 'typebox';
import { MAX_SCHEDULE_INTERVALS } from '../../routing/schedule.ts';
import { E164, Id, PhoneInput } from './common.ts';

export const STEP_TYPES = ['responsible_manager', 'employees', 'new_client_distribution', 'senior_manager', 'external_number'] as const;
export const MAX_STEPS = 20;
export const MAX_STEP_EMPLOYEES = 50;

/** Where to look for the client's responsible manager, in order (also a CRM setting). */
export const LookupTarget = Type.Enum(['contact_owner', 'deal_owner'], { description: "contact_owner: the contact's owner; deal_owner: the owner of the contact's open deal" });
export const LookupOrder = Type.Array(LookupTarget, {
  minItems: 1,
  maxItems: 2,
  uniqueItems: true,
  description: 'open CRM entities to look up, in order; the first one found gives the responsible manager',
});

export const Schedule = Type.Object(
  {
    time_zone: Type.String({ minLength: 1, maxLength: 64, description: 'IANA time zone name, e.g. "Europe/Kyiv"' }),
    intervals: Type.Array(
      Type.Object(
        {
          days: Type.Array(Type.Integer({ minimum: 1, maximum: 7 }), {
            minItems: 1,
            maxItems: 7,
            uniqueItems: true,
            description: 'ISO weekdays the interval starts on: 1 = Monday … 7 = Sunday',
          }),
          // HH:MM is checked by parseSchedule, whose message is clearer than a regex
          from: Type.String({ maxLength: 5, description: 'local start "HH:MM" (00:00–23:59), inclusive' }),
          to: Type.String({
            maxLength: 5,
            description: 'local end "HH:MM" (00:00–24:00), exclusive; earlier than `from` means the interval crosses midnight',
          }),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: MAX_SCHEDULE_INTERVALS, description: 'when the step runs: weekdays and local times' },
    ),
  },
  { additionalProperties: false, description: 'working hours; outside them the step is skipped. Without a schedule the step always runs' },
);

const RingTimeoutInput = Type.Integer({ minimum: 1, maximum: 600, description: 'seconds to ring before the next step; default 20' });
const RingStrategy = Type.Enum(['simultaneous', 'sequential'], { description: 'ring the employees together, or one after another' });
const DistributionMode = Type.Enum(['ring_all', 'round_robin'], {
  description: 'ring_all: every employee who receives new clients rings, the first to answer owns the client; round_robin: in turn',
});
const EmployeeIds = Type.Array(Id, { minItems: 1, maxItems: MAX_STEP_EMPLOYEES, uniqueItems: true, description: 'in ringing order' });

const StepInputs = {
  responsible_manager: Type.Object(
    {
      type: Type.Literal('responsible_manager'),
      ring_timeout_s: Type.Optional(RingTimeoutInput),
      schedule: Type.Optional(Schedule),
      lookup_order: LookupOrder,
    },
    { additionalProperties: false },
  ),
  employees: Type.Object(
    {
      type: Type.Literal('employees'),
      ring_timeout_s: Type.Optional(RingTimeoutInput),
      schedule: Type.Optional(Schedule),
      employee_ids: EmployeeIds,
      ring_strategy: RingStrategy,
    },
    { additionalProperties: false },
  ),
  new_client_distribution: Type.Object(
    {
      type: Type.Literal('new_client_distribution'),
      ring_timeout_s: Type.Optional(RingTimeoutInput),
      schedule: Type.Optional(Schedule),
      mode: DistributionMode,
    },
    { additionalProperties: false },
  ),
  senior_manager: Type.Object(
    { type: Type.Literal('senior_manager'), ring_timeout_s: Type.Optional(RingTimeoutInput), schedule: Type.Optional(Schedule) },
    { additionalProperties: false },
  ),
  external_number: Type.Object(
    {
      type: Type.Literal('external_number'),
      ring_timeout_s: Type.Optional(RingTimeoutInput),
      schedule: Type.Optional(Schedule),
      number: PhoneInput,
    },
    { additionalProperties: false },
  ),
};

const StepInputUnion = Type.Union([
  StepInputs.responsible_manager,
  StepInputs.employees,
  StepInputs.new_client_distribution,
  StepInputs.senior_manager,
  StepInputs.external_number,
]);
export type StepInput = Static<typeof StepInputUnion>;

/**
 * A step as a client sends it: a union discriminated by `type`. It is written as
 * if/then rather than anyOf so that a bad step is reported against its own type
 * only ("/steps/1/ring_strategy is not a known field"), not against all five.
 */
export const StepInput = Type.Unsafe<StepInput>({
  type: 'object',
  required: ['type'],
  properties: { type: Type.Enum(STEP_TYPES, { description: `the kind of step: ${STEP_TYPES.join(', ')}` }) },
  allOf: STEP_TYPES.map((t) => ({ if: { properties: { type: { const: t } }, required: ['type'] }, then: StepInputs[t] })),
  description: 'a routing step; `type` decides which other fields it takes',
});

export const RoutingSchemeCreate = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200, description: 'unique, case-insensitively' }),
    steps: Type.Array(StepInput, { minItems: 1, maxItems: MAX_STEPS, description: 'run in order until someone answers' }),
  },
  { additionalProperties: false },
);
export type RoutingSchemeCreate = Static<typeof RoutingSchemeCreate>;

export const RoutingSchemeUpdate = Type.Partial(RoutingSchemeCreate, {
  additionalProperties: false,
  minProperties: 1,
  description: 'steps, when given, replace all the steps of the scheme',
});
export type RoutingSchemeUpdate = Static<typeof RoutingSchemeUpdate>;

const stepOut = { ring_timeout_s: Type.Integer({ description: 'seconds to ring before the next step' }), schedule: Type.Optional(Schedule) };
export const Step = Type.Union([
  Type.Object({ type: Type.Literal('responsible_manager'), ...stepOut, lookup_order: LookupOrder }),
  Type.Object({
    type: Type.Literal('employees'),
    ...stepOut,
    employee_ids: Type.Array(Type.Integer(), { description: 'the employees rung, in ringing order' }),
    ring_strategy: RingStrategy,
  }),
  Type.Object({ type: Type.Literal('new_client_distribution'), ...stepOut, mode: DistributionMode }),
  Type.Object({ type: Type.Literal('senior_manager'), ...stepOut }),
  Type.Object({ type: Type.Literal('external_number'), ...stepOut, number: E164 }),
]);
export type Step = Static<typeof Step>;

export const RoutingScheme = Type.Object({
  id: Id,
  name: Type.String({ description: 'unique, case-insensitively' }),
  steps: Type.Array(Step, { description: 'run in order until someone answers' }),
  created_at: Type.String({ format: 'date-time', description: 'when the scheme was added' }),
  updated_at: Type.String({ format: 'date-time', description: 'when the scheme was last changed' }),
});
export type RoutingScheme = Static<typeof RoutingScheme>;
