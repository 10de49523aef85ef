// Why a call or request was refused or ended unanswered: stable codes, sent as
// SIP's X-Reason header, used as the metric label, and shared with the HTTP
// API where the two speak of the same thing (TRACKING_NUMBER_UNKNOWN,
// PHONE_INVALID). A code never changes once shipped; the human detail that
// goes with it is logged.
export const SIP_REASONS = {
  MALFORMED_REQUEST: 'the request cannot be parsed (e.g. extra spaces in the request line)',
  MISSING_HEADER: 'a required header (Call-ID, From, To, CSeq) is absent or empty',
  REQUEST_URI_TOO_LONG: 'the Request-URI is longer than ringpath reads',
  URI_SCHEME_UNSUPPORTED: 'the Request-URI is not a sip:, sips: or tel: URI',
  TOO_MANY_HOPS: 'Max-Forwards reached 0 (a routing loop)',
  SDP_OFFER_REQUIRED: 'the INVITE carries no usable SDP offer',
  SCANNER: 'the request comes from a known SIP scanner',
  SOURCE_NOT_ALLOWED: 'the source address is not an allowed trunk and did not authenticate',
  AUTHENTICATION_REQUIRED: 'digest authentication is required (a challenge follows)',
  AUTHENTICATION_FAILED: 'the digest credentials are wrong',
  LOCKED_OUT: 'too many failed authentications from this address',
  PHONE_INVALID: 'the dialled number cannot be read as a phone number',
  TRACKING_NUMBER_UNKNOWN: 'the dialled number is not a tracking number',
  QUALITY_CONTROL_CANNOT_CALL: 'quality-control employees cannot place calls',
  EXTENSION_UNKNOWN: 'no employee has the dialled extension',
  OWN_EXTENSION: 'an employee dialled their own extension',
  NO_TRUNK: 'no carrier trunk is configured for outbound calls (TRUNK_URI)',
  NO_REACHABLE_DESTINATION: 'nobody the call is for can be rung',
  DIAL_PLAN_BLOCKED: 'the outbound dial plan refuses the destination or the call rate',
  NOBODY_ANSWERED: 'every step rang out or found nobody',
  ALL_DESTINATIONS_BUSY: 'every destination rung was busy',
  REGISTER_RATE_LIMITED: 'too many REGISTER requests from this address',
  NOT_OWN_ACCOUNT: 'a phone may only register its own account',
  BAD_REGISTRATION: 'the REGISTER asks for bindings ringpath cannot keep',
  METHOD_NOT_ALLOWED: 'ringpath does not handle this method outside a dialog',
  INTERNAL_ERROR: 'ringpath failed while handling the request (logged with its Call-ID)',
} as const;

export type SipReasonCode = keyof typeof SIP_REASONS;
