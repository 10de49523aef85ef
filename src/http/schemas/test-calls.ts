import { Type, type Static } from 'typebox';
import { TEST_CALL_ROWS } from '../../crm/test-calls/plan.ts';

export const TestCallCreate = Type.Object(
  {
    row: Type.Enum([...TEST_CALL_ROWS], {
      description:
        'the row of the post-call table to exercise: inbound_answered_new, inbound_missed_new, inbound_answered_responsible (an existing client answered by their manager), inbound_missed_existing, outbound_new, outbound_existing',
    }),
    caller: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 64,
        description:
          "the client's number. New-client rows: a number HubSpot does not know (default: a fresh +38099… number). Existing-client rows: a contact's number in the CRM mirror (default: the contact the latest test call created)",
      }),
    ),
  },
  { additionalProperties: false },
);
export type TestCallCreate = Static<typeof TestCallCreate>;

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T, description: string) => Type.Union([t, Type.Null()], { description });

export const TestCallRecord = Type.Object({
  key: Type.String({ description: "the sync's write key: contact, deal, call, task, …" }),
  type: Type.Enum(['contact', 'deal', 'call', 'task'], { description: 'the HubSpot object type' }),
  id: Type.String({ description: "the HubSpot record's id" }),
  reused: Type.Boolean({ description: 'an existing record the call was written onto: deleting the test call leaves it in HubSpot' }),
  url: Nullable(Type.String(), "the record's page in HubSpot; null while the portal id is unknown"),
});

export const TestCall = Type.Object({
  id: Type.String({ format: 'uuid', description: "the test call's id (a call marked as a test)" }),
  direction: Type.Enum(['inbound', 'outbound'], { description: 'inbound or outbound' }),
  client: Nullable(Type.String(), "the client's number"),
  disposition: Type.String({ description: 'answered or missed' }),
  crm_sync_state: Type.String({ description: 'pending until the CRM sync worker ran it, then synced or failed' }),
  crm_sync_error: Nullable(Type.String(), 'why the sync failed'),
  matrix_rows: Type.Array(Type.String(), { description: 'the rows of the post-call table the sync applied' }),
  warnings: Type.Array(Type.Object({ code: Type.String({ description: 'stable code' }), message: Type.String({ description: 'what to fix' }) }), {
    description: "the sync's warnings (an owner not in the mirror, …)",
  }),
  portal_id: Type.Union([Type.Integer(), Type.Null()], { description: "the HubSpot account's portal id, for the links; null when HubSpot did not say" }),
  records: Type.Array(TestCallRecord, { description: 'what the sync wrote in HubSpot' }),
});
export type TestCall = Static<typeof TestCall>;
