// The shapes the Sites page reads from /api/v1, and a helper for list fields.
import type { ApiError } from '../../api.ts';

export type AttributionModel = 'first_touch' | 'last_touch' | 'last_non_direct';
export interface Site {
  id: number;
  name: string;
  domain: string;
  snippet: string;
  fallback_number: string;
  hold_time_s: number;
  swap_selectors: string[];
  swap_phone_texts: string[];
  allowed_origins: string[];
  attribution_model: AttributionModel;
}
export interface TrackingNumber {
  id: number;
  number: string;
  kind: 'static' | 'pool';
  pool_id: number | null;
  source_name: string | null;
  routing_scheme_id: number | null;
}
export interface PoolSummary {
  id: number;
  site_id: number;
  name: string;
  routing_scheme_id: number | null;
  size: number;
}
export interface Warning {
  code: string;
  message: string;
}
export type Option = { value: string; label: string };

/** The messages for a field and the entries under it (/allowed_origins and /allowed_origins/2), joined. */
export function fieldErrors(err: ApiError | null, pointer: string): string | undefined {
  const found = err?.errors.filter((e) => e.field === pointer || e.field.startsWith(`${pointer}/`)).map((e) => e.message) ?? [];
  return found.length ? found.join('; ') : undefined;
}
