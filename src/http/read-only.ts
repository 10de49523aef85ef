// Read-only fields sent back in a PATCH (a GET body returned unchanged): accepted
// when they equal the stored value, and ignored; otherwise a 400 naming the field.
import type { FieldProblem } from '../errors.ts';

export interface ReadOnlyValue {
  /** JSON pointer of the field in the body */
  readonly field: string;
  /** what the request sent; undefined when it left the field out */
  readonly sent: unknown;
  /** what is stored; undefined when nothing is stored there */
  readonly stored: string | number | Date | undefined;
}

const same = (sent: unknown, stored: ReadOnlyValue['stored']): boolean => {
  if (stored instanceof Date) return typeof sent === 'string' && Date.parse(sent) === stored.getTime();
  return sent === stored;
};

const shown = (v: ReadOnlyValue['stored']) => (v instanceof Date ? v.toISOString() : JSON.stringify(v));

/** One problem per read-only field that was sent with a value other than the stored one. Pure. */
export function readOnlyProblems(values: readonly ReadOnlyValue[]): FieldProblem[] {
  return values.flatMap(({ field, sent, stored }): FieldProblem[] => {
    if (sent === undefined || same(sent, stored)) return [];
    const message =
      stored === undefined
        ? 'is read-only and there is no stored value to match; leave it out'
        : `is read-only and differs from the stored value ${shown(stored)}; send it unchanged or leave it out`;
    return [{ field, message }];
  });
}
