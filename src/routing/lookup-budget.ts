// Bounds the responsible-manager lookup (a CRM-mirror query) by a time budget, so it
// never delays a call: whatever happens, the result is a ResponsibleLookup value
// within about `budgetMs`. A rejection becomes `failed`, running late becomes
// `timeout` (and the lookup's signal is aborted so it can cancel its query).
// This is the only asynchronous piece under src/routing/; it takes the lookup as a
// function and does no I/O itself.
import type { ResponsibleLookup } from './types.ts';

export type ResponsibleLookupFn = (signal: AbortSignal) => Promise<ResponsibleLookup>;

export const DEFAULT_LOOKUP_BUDGET_MS = 50;

export function lookupWithinBudget(lookup: ResponsibleLookupFn, budgetMs: number = DEFAULT_LOOKUP_BUDGET_MS): Promise<ResponsibleLookup> {
  const controller = new AbortController();
  return new Promise<ResponsibleLookup>((resolve) => {
    let settled = false;
    const settle = (r: ResponsibleLookup): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    const timer = setTimeout(() => {
      settle({ status: 'timeout' });
      controller.abort(new Error(`responsible-manager lookup exceeded ${budgetMs} ms`));
    }, Math.max(0, budgetMs));
    let pending: Promise<ResponsibleLookup>;
    try {
      pending = lookup(controller.signal);
    } catch (err) {
      settle({ status: 'failed', error: errorText(err) });
      return;
    }
    pending.then(settle, (err: unknown) => settle({ status: 'failed', error: errorText(err) }));
  });
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
