// Source rules (site_source_rules): a visit whose source matches a rule is shown
// that rule's static tracking number instead of a pool number. Pure.
import { bareHost, referrerDomain } from './sources.ts';
import type { Touch } from './types.ts';

export type SourceRuleField = 'utm_source' | 'utm_medium' | 'utm_campaign' | 'referrer_domain' | 'landing_path';

export const SOURCE_RULE_FIELDS: readonly SourceRuleField[] = ['utm_source', 'utm_medium', 'utm_campaign', 'referrer_domain', 'landing_path'];

export interface SourceRuleLike {
  readonly position: number;
  readonly field: SourceRuleField;
  readonly value: string;
}

function landingPath(touch: Touch): string | null {
  try {
    return new URL(touch.landingPage).pathname;
  } catch {
    return null;
  }
}

const same = (a: string | null, b: string): boolean => a !== null && a.toLowerCase() === b.toLowerCase();

/**
 * Does the rule match the touch? Values compare case-insensitively:
 * - utm_source / utm_medium: the touch's source / medium (the UTM, else the classified
 *   one: "google" / "organic", "facebook.com" / "social", "(direct)" / "(none)");
 * - utm_campaign: utm_campaign;
 * - referrer_domain: the referrer's host without "www.", or any subdomain of the value;
 * - landing_path: a prefix of the landing page's path.
 */
export function ruleMatches(rule: Pick<SourceRuleLike, 'field' | 'value'>, touch: Touch): boolean {
  switch (rule.field) {
    case 'utm_source':
      return same(touch.source, rule.value);
    case 'utm_medium':
      return same(touch.medium, rule.value);
    case 'utm_campaign':
      return same(touch.campaign, rule.value);
    case 'referrer_domain': {
      const host = referrerDomain(touch);
      const want = bareHost(rule.value.trim());
      return host !== null && want !== '' && (host === want || host.endsWith(`.${want}`));
    }
    case 'landing_path': {
      const path = landingPath(touch);
      return path !== null && path.toLowerCase().startsWith(rule.value.toLowerCase());
    }
  }
}

/** The first rule, by position, that matches the touch; undefined when none does. */
export function matchSourceRule<R extends SourceRuleLike>(rules: readonly R[], touch: Touch): R | undefined {
  return [...rules].sort((a, b) => a.position - b.position).find((r) => ruleMatches(r, touch));
}
