// Shapes of the table-driven phone cases. The files next to this one hold the tables.
import type { PhoneRejection } from '../../../../src/phone/index.ts';

/**
 * `input` read with `defaultCountry` must give exactly `e164` (and `extension`, or
 * no extension when it is left out). Every `e164` was checked by hand against the
 * country's numbering plan, not copied from the code's output.
 */
export type ValidCase = readonly [input: string, defaultCountry: string, e164: string, extension?: string];

/** `input` read with `defaultCountry` (undefined: none) must be rejected with `reason`. */
export type RejectCase = readonly [input: string, defaultCountry: string | undefined, reason: PhoneRejection];
