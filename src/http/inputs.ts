// Turning what a client typed into domain values, with errors naming the field.
import { AppError } from '../errors.ts';
import { normalizePhone, type PhoneResult } from '../phone/index.ts';

/**
 * What a number given to the API is for. Neither use can carry an extension
 * ("ext. 12", "x12", ";ext=12", "доб. 12"): ringpath dials no digits after an
 * answer, and callers cannot dial one into a tracking number. So a number with an
 * extension is refused, saying why, rather than stored without it.
 */
export type PhoneUse = 'tracking' | 'caller_id' | 'ringing';

/** The E.164 number, or why it cannot be used. Pure. */
export function phoneFor(r: PhoneResult, use: PhoneUse): { ok: true; e164: string } | { ok: false; message: string } {
  if (!r.ok) return { ok: false, message: r.message };
  if (r.extension === undefined) return { ok: true, e164: r.e164 };
  const message =
    use === 'tracking'
      ? `has an extension (${r.extension}): a tracking number is dialled as it is and cannot have one; give ${r.e164} without it`
      : use === 'caller_id'
        ? `has an extension (${r.extension}): a caller id is shown as a plain number and cannot carry one; give ${r.e164} without it`
        : `has an extension (${r.extension}), which ringpath cannot dial after the call is answered; give a number that rings the person directly` +
        ' (or, for an employee on a PBX, a sip_uri destination such as 12@pbx.example.com)';
  return { ok: false, message };
}

export function requirePhone(input: string, field: string, defaultCountry: string, use: PhoneUse): string {
  const r = phoneFor(normalizePhone(input, { defaultCountry }), use);
  if (!r.ok) throw AppError.field('PHONE_INVALID', field, r.message);
  return r.e164;
}

export function optionalPhone(input: string | null | undefined, field: string, defaultCountry: string, use: PhoneUse): string | null | undefined {
  return input === null || input === undefined ? input : requirePhone(input, field, defaultCountry, use);
}
