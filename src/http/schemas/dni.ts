// The public DNI API's contract (README "Dynamic number insertion"). Public:
// these paths and field names are what every installed snippet sends and reads.
import { Type, type Static } from 'typebox';
import { ProblemSchema } from './common.ts';

/** What /dni/v1 answers with a visitor id: opaque, URL-safe. */
export const VisitorId = Type.String({
  pattern: '^[A-Za-z0-9_-]{8,64}$',
  'x-message': 'must be the visitor id ringpath handed out: 8–64 of A–Z a–z 0–9 _ -',
  description: 'the visitor id from an earlier response',
});

export const SessionCreate = Type.Object(
  {
    site: Type.String({ minLength: 1, maxLength: 100, description: "the site's public key" }),
    page: Type.String({ minLength: 1, maxLength: 4096, description: 'the full URL of the page, with its query' }),
    referrer: Type.Optional(Type.Union([Type.String({ maxLength: 4096 }), Type.Null()], { description: 'document.referrer, or empty' })),
    visitor: Type.Optional(Type.Union([VisitorId, Type.Null()])),
    ga: Type.Optional(
      Type.Union([
        Type.Object(
          {
            client_id: Type.Optional(Type.Union([Type.String({ maxLength: 100 }), Type.Null()], { description: 'the client id of the _ga cookie' })),
            session_id: Type.Optional(Type.Union([Type.String({ maxLength: 100 }), Type.Null()], { description: 'the GA4 session id' })),
          },
          { additionalProperties: false },
        ),
        Type.Null(),
      ], { description: 'Google Analytics ids read from the cookies, to join calls to GA sessions' }),
    ),
    webdriver: Type.Optional(Type.Boolean({ description: 'navigator.webdriver' })),
  },
  { additionalProperties: false },
);
export type SessionCreate = Static<typeof SessionCreate>;

export const Session = Type.Object({
  session: Type.String({ description: 'the session id to send heartbeats for' }),
  visitor: Type.String({ description: 'keep it and send it with the next session request' }),
  number: Type.String({ description: 'E.164, for tel: links' }),
  display: Type.String({ description: 'the number in the national format of its country' }),
  kind: Type.Union([Type.Literal('pool'), Type.Literal('static'), Type.Literal('fallback')], {
    description: "pool: a number of the site's pool, held for this visitor; static: a source rule's number; fallback: the site's fallback number",
  }),
  held_until: Type.String({ format: 'date-time', description: 'the number is held for the visitor until then, unless a heartbeat extends it' }),
  heartbeat_s: Type.Integer({ description: 'seconds between heartbeats while the page is visible' }),
  swap: Type.Object(
    {
      numbers: Type.Array(Type.Object({ number: Type.String({ description: 'E.164' }), display: Type.String({ description: 'its national format' }) }), {
        description: "the site's phone texts: the numbers the snippet replaces wherever they appear",
      }),
      selectors: Type.Array(Type.String(), { description: 'CSS selectors of elements whose number the snippet replaces' }),
    },
    { description: 'what the snippet swaps on the page' },
  ),
});
export type Session = Static<typeof Session>;

export const SessionParams = Type.Object({ session: Type.String({ maxLength: 100, description: 'the session id from POST /sessions' }) });

export const Heartbeat = Type.Object({ held_until: Type.String({ format: 'date-time', description: 'the number is now held until then' }) });

export const AmpQuery = Type.Object({
  site: Type.String({ minLength: 1, maxLength: 100, description: "the site's public key" }),
  __amp_source_origin: Type.Optional(Type.String({ maxLength: 300, description: 'added by the AMP runtime: the origin of the page' })),
  visitor: Type.Optional(VisitorId),
});
export type AmpQuery = Static<typeof AmpQuery>;

export const AmpNumber = Type.Object({
  phoneNumber: Type.String({ description: 'E.164, for the tel: link' }),
  formattedPhoneNumber: Type.String({ description: 'the number in the national format of its country' }),
});

export const dniErrors = {
  400: ProblemSchema,
  403: ProblemSchema,
  404: ProblemSchema,
  413: ProblemSchema,
  415: ProblemSchema,
  429: ProblemSchema,
};
