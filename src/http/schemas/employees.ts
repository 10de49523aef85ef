import { Type, type Static, type TObject } from 'typebox';
import { SIP_LOGIN_PATTERN, SIP_PASSWORD_MAX_LENGTH, SIP_PASSWORD_RULES } from '../../auth/sip-credentials.ts';
import { E164, Id, PhoneInput, Warnings } from './common.ts';

export const ACCESS_LEVELS = ['admin', 'analyst', 'employee'] as const;
export const SALES_ROLES = ['sales_rep', 'head', 'quality_control'] as const;
export type AccessLevel = (typeof ACCESS_LEVELS)[number];
export type SalesRole = (typeof SALES_ROLES)[number];

/** A string or null as one JSON type list, so a wrong type gets one error rather than an anyOf's three. */
const NullableString = (opts: { pattern?: string; 'x-message'?: string; minLength?: number; maxLength?: number; description: string }) =>
  Type.Unsafe<string | null>({ type: ['string', 'null'], ...opts } as never);

const Extension = NullableString({ pattern: '^[0-9]{3}$', 'x-message': 'must be 3 digits such as 101', description: '3 digits, unique; null for none' });
const HubspotOwnerId = NullableString({ minLength: 1, maxLength: 64, description: 'HubSpot owner id; null for none' });
const SipLogin = Type.String({ pattern: SIP_LOGIN_PATTERN, 'x-message': 'must be 3–64 of A–Z a–z 0–9 . _ -, such as olena.k', description: '3–64 of A–Z a–z 0–9 . _ -; unique across all SIP accounts' });
const sipPassword = (note = '') =>
  Type.String({
    minLength: 1,
    maxLength: SIP_PASSWORD_MAX_LENGTH,
    // no control characters: a desk phone cannot type them
    pattern: '^[^\\u0000-\\u001f\\u007f]+$',
    'x-message': 'must not contain control characters (a desk phone cannot type them)',
    description: `write-only; needs ${Object.values(SIP_PASSWORD_RULES).join(', ')}${note}`,
  });

const PhoneDestinationInput = Type.Object(
  { type: Type.Literal('phone'), number: PhoneInput },
  { additionalProperties: false, description: 'a phone number, rung through the carrier trunk' },
);
const SipUriDestinationInput = Type.Object(
  { type: Type.Literal('sip_uri'), uri: Type.String({ minLength: 1, maxLength: 255, description: 'login@sip.example.com or sip:login@sip.example.com' }) },
  { additionalProperties: false },
);
const SipAccountDestinationCreate = Type.Object(
  { type: Type.Literal('sip_account'), login: SipLogin, password: sipPassword() },
  { additionalProperties: false },
);
const SipAccountDestinationUpdate = Type.Object(
  {
    type: Type.Literal('sip_account'),
    login: SipLogin,
    password: Type.Optional(sipPassword('; may be left out for a login the employee already has, keeping its password')),
    sip_account_id: Type.Optional(
      Type.Integer({ minimum: 1, description: 'read-only, as GET returns it; accepted when it is the stored account of this login, and ignored' }),
    ),
  },
  { additionalProperties: false },
);

/**
 * A union told apart by its `type` field. It is written with if/then rather than
 * anyOf so that a bad destination gets the errors of its own kind only, not those
 * of every other kind as well.
 */
function byType<T>(variants: readonly TObject[], description: string) {
  const tagOf = (v: TObject) => (v.properties.type as unknown as { const: string }).const;
  return Type.Unsafe<T>({
    type: 'object',
    required: ['type'],
    properties: { type: { enum: variants.map(tagOf), description: `the kind of destination: ${variants.map(tagOf).join(', ')}` } },
    allOf: variants.map((v) => ({ if: { type: 'object', required: ['type'], properties: { type: { const: tagOf(v) } } }, then: v })),
    description,
  } as never);
}

const DESTINATION_DOC = 'a phone number (any format, stored as E.164), a ringpath SIP account, or an external SIP URI';
export const DestinationCreate = byType<
  Static<typeof PhoneDestinationInput> | Static<typeof SipAccountDestinationCreate> | Static<typeof SipUriDestinationInput>
>([PhoneDestinationInput, SipAccountDestinationCreate, SipUriDestinationInput], DESTINATION_DOC);
export type DestinationCreate = Static<typeof DestinationCreate>;

export const DestinationUpdate = byType<
  Static<typeof PhoneDestinationInput> | Static<typeof SipAccountDestinationUpdate> | Static<typeof SipUriDestinationInput>
>([PhoneDestinationInput, SipAccountDestinationUpdate, SipUriDestinationInput], DESTINATION_DOC);
export type DestinationInput = Static<typeof DestinationUpdate>;

const Destinations = <T extends typeof DestinationCreate | typeof DestinationUpdate>(item: T, description: string) =>
  Type.Optional(Type.Array(item, { maxItems: 20, description }));

function employeeFields<T extends typeof DestinationCreate | typeof DestinationUpdate>(destination: T) {
  return {
    email: Type.String({ format: 'email', maxLength: 254, description: 'unique, case-insensitively; stored in lower case' }),
    full_name: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S', 'x-message': 'must not be blank', description: 'as shown in the console and in call logs' }),
    access_level: Type.Optional(Type.Enum(ACCESS_LEVELS, { description: 'console access; default employee' })),
    sales_role: Type.Optional(Type.Enum(SALES_ROLES, { description: 'default sales_rep; quality_control is never rung' })),
    extension: Type.Optional(Extension),
    hubspot_owner_id: Type.Optional(HubspotOwnerId),
    receives_new_clients: Type.Optional(Type.Boolean({ description: 'default false' })),
    is_senior_manager: Type.Optional(Type.Boolean({ description: 'default false; only one employee may be the senior manager' })),
    main_destinations: Destinations(destination, 'rung, in this order, when a call is forwarded to the employee'),
    additional_destinations: Destinations(destination, 'never rung; recognise the employee on calls they answer or place'),
  };
}

export const EmployeeCreate = Type.Object(employeeFields(DestinationCreate), { additionalProperties: false });
export type EmployeeCreate = Static<typeof EmployeeCreate>;

/** Fields GET returns that no request sets; a PATCH may carry them unchanged (a GET body sent back). */
const readOnly = (what: string) => `read-only ${what}; accepted when equal to the stored value, and ignored`;
export const EMPLOYEE_READ_ONLY = {
  id: Type.Integer({ minimum: 1, description: readOnly('id') }),
  created_at: Type.String({ format: 'date-time', description: readOnly('creation time') }),
  updated_at: Type.String({ format: 'date-time', description: readOnly('time of the last change') }),
};

/**
 * Partial; a destinations list that is present replaces the stored one. What
 * GET /employees/{id} returns may be sent back unchanged: its read-only fields
 * are accepted when they match.
 */
export const EmployeeUpdate = Type.Partial(Type.Object({ ...employeeFields(DestinationUpdate), ...EMPLOYEE_READ_ONLY }), {
  additionalProperties: false,
  minProperties: 1,
});
export type EmployeeUpdate = Static<typeof EmployeeUpdate>;

const Destination = Type.Union(
  [
    Type.Object({ type: Type.Literal('phone'), number: E164 }),
    Type.Object({
      type: Type.Literal('sip_account'),
      sip_account_id: Type.Integer({ description: 'the ringpath SIP account; read-only' }),
      login: Type.String({ description: 'the SIP login the phone registers with' }),
    }),
    Type.Object({ type: Type.Literal('sip_uri'), uri: Type.String({ description: 'the external SIP URI rung, e.g. sip:olena@pbx.example.com' }) }),
  ],
  { description: DESTINATION_DOC },
);
export type Destination = Static<typeof Destination>;

export const Employee = Type.Object({
  id: Id,
  email: Type.String({ description: 'unique; in lower case' }),
  full_name: Type.String({ description: 'as shown in the console and in call logs' }),
  access_level: Type.Enum(ACCESS_LEVELS, { description: 'console access: admin, analyst or employee' }),
  sales_role: Type.Enum(SALES_ROLES, { description: 'sales_rep, head or quality_control (never rung)' }),
  extension: Type.Union([Type.String(), Type.Null()], { description: '3-digit internal extension; null for none' }),
  hubspot_owner_id: Type.Union([Type.String(), Type.Null()], { description: 'the HubSpot owner this employee is; null for none' }),
  receives_new_clients: Type.Boolean({ description: 'rung by new-client distribution steps' }),
  is_senior_manager: Type.Boolean({ description: 'the one employee senior-manager steps ring and the CRM sync falls back to' }),
  main_destinations: Type.Array(Destination, { description: 'rung, in this order, when a call is forwarded to the employee' }),
  additional_destinations: Type.Array(Destination, { description: 'never rung; recognise the employee on calls they answer or place' }),
  created_at: Type.String({ format: 'date-time', description: 'when the employee was added' }),
  updated_at: Type.String({ format: 'date-time', description: 'when the employee was last changed' }),
});
export type Employee = Static<typeof Employee>;

/** A PATCH's answer: the employee, and with ?force=true what the change left without them. */
export const EmployeeChanged = Type.Object({
  ...Employee.properties,
  warnings: Type.Optional(Warnings),
});

/** A forced delete's answer when it left something without the employee (otherwise 204). */
export const EmployeeDeleted = Type.Object({
  id: Type.Integer({ description: 'the deleted employee' }),
  deleted: Type.Literal(true, { description: 'always true' }),
  warnings: Warnings,
});
