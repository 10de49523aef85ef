// What the snippet swaps on a site's pages, sent with every session: the site's
// phone texts as E.164 with their national format (the snippet matches a page's
// numbers by digits, in either form), and its CSS selectors.
import { countryOfE164, formatNational, normalizePhone } from '../phone/index.ts';

export interface SwapConfig {
  readonly numbers: Array<{ number: string; display: string }>;
  readonly selectors: string[];
}

export interface SwapSettings {
  readonly swap_phone_texts: readonly string[];
  readonly swap_selectors: readonly string[];
  readonly fallback_number: string;
}

/**
 * The site's phone texts read in the country of its fallback number (else
 * `defaultCountry`); a text that is not a phone number is left out, each number once.
 */
export function swapConfig(site: SwapSettings, defaultCountry: string): SwapConfig {
  const country = countryOfE164(site.fallback_number) ?? defaultCountry;
  const numbers = new Map<string, string>();
  for (const text of site.swap_phone_texts) {
    const r = normalizePhone(text, { defaultCountry: country });
    if (r.ok && !numbers.has(r.e164)) numbers.set(r.e164, formatNational(r.e164));
  }
  return { numbers: [...numbers].map(([number, display]) => ({ number, display })), selectors: [...site.swap_selectors] };
}

/** swapConfig, worked out once per site object (the DNI site cache keeps one for a few seconds). */
export function swapConfigCache(defaultCountry: string): (site: SwapSettings) => SwapConfig {
  const memo = new WeakMap<SwapSettings, SwapConfig>();
  return (site) => {
    let c = memo.get(site);
    if (!c) memo.set(site, (c = swapConfig(site, defaultCountry)));
    return c;
  };
}
