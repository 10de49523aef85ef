// Turning what a client typed into domain values, with errors naming the field.
import { AppError } from '../errors.ts';
import { normalizePhone } from '../phone/index.ts';

export function requirePhone(input: string, field: string, defaultCountry: string): string {
  const r = normalizePhone(input, { defaultCountry });
  if (!r.ok) throw AppError.field('PHONE_INVALID', field, r.message);
  return r.e164;
}

export function optionalPhone(input: string | null | undefined, field: string, defaultCountry: string): string | null | undefined {
  return input === null || input === undefined ? input : requirePhone(input, field, defaultCountry);
}
