// Source rules: which static number a visit gets, table-driven.
import t from 'tap';
import { matchSourceRule, ruleMatches, type SourceRuleField } from '../../../src/dni/rules.ts';
import { readTouch } from '../../../src/dni/sources.ts';
import type { Touch } from '../../../src/dni/types.ts';

function touch(page: string, referrer = ''): Touch {
  const r = readTouch({ page, referrer });
  if (!r.ok) throw new Error(r.message);
  return r.touch;
}

t.test('one rule against one visit', async (t) => {
  // [field, value, page, referrer, matches]
  const rows: Array<[SourceRuleField, string, string, string, boolean]> = [
    ['utm_source', 'newsletter', 'https://s.example/?utm_source=newsletter', '', true],
    ['utm_source', 'NewsLetter', 'https://s.example/?utm_source=newsletter', '', true],
    ['utm_source', 'newsletter', 'https://s.example/?utm_source=newsletter2', '', false],
    ['utm_source', 'google', 'https://s.example/', 'https://www.google.com/', true],
    ['utm_source', 'google', 'https://s.example/?gclid=1', '', true],
    ['utm_source', 'facebook.com', 'https://s.example/', 'https://m.facebook.com/', true],
    ['utm_source', '(direct)', 'https://s.example/', '', true],
    ['utm_source', 'google', 'https://s.example/', '', false],
    ['utm_medium', 'cpc', 'https://s.example/?gclid=1', '', true],
    ['utm_medium', 'organic', 'https://s.example/', 'https://www.bing.com/', true],
    ['utm_medium', 'Email', 'https://s.example/?utm_source=n&utm_medium=email', '', true],
    ['utm_medium', 'email', 'https://s.example/?utm_source=n&utm_medium=emails', '', false],
    ['utm_campaign', 'spring', 'https://s.example/?utm_campaign=Spring', '', true],
    ['utm_campaign', 'spring', 'https://s.example/?utm_campaign=spring-2', '', false],
    ['utm_campaign', 'spring', 'https://s.example/', '', false],
    ['referrer_domain', 'partner.org', 'https://s.example/', 'https://partner.org/x', true],
    ['referrer_domain', 'partner.org', 'https://s.example/', 'https://www.partner.org/x', true],
    ['referrer_domain', 'www.partner.org', 'https://s.example/', 'https://partner.org/x', true],
    ['referrer_domain', 'partner.org', 'https://s.example/', 'https://blog.partner.org/x', true],
    ['referrer_domain', 'PARTNER.ORG', 'https://s.example/', 'https://Partner.org/', true],
    ['referrer_domain', 'partner.org', 'https://s.example/', 'https://notpartner.org/', false],
    ['referrer_domain', 'partner.org', 'https://s.example/', 'https://partner.org.evil.example/', false],
    ['referrer_domain', 'partner.org', 'https://s.example/', '', false],
    ['referrer_domain', 'partner.org', 'https://s.example/', 'garbage', false],
    ['landing_path', '/promo', 'https://s.example/promo', '', true],
    ['landing_path', '/promo', 'https://s.example/promo/summer?x=1', '', true],
    ['landing_path', '/PROMO', 'https://s.example/promo', '', true],
    ['landing_path', '/promo', 'https://s.example/Promo', '', true],
    ['landing_path', '/promo', 'https://s.example/pro', '', false],
    ['landing_path', '/promo', 'https://s.example/other/promo', '', false],
    ['landing_path', '/', 'https://s.example/anything', '', true],
    ['landing_path', '/promo', 'https://s.example/?path=/promo', '', false],
  ];
  for (const [field, value, page, referrer, matches] of rows) {
    t.equal(ruleMatches({ field, value }, touch(page, referrer)), matches, `${field}=${value} vs ${page} ${referrer}: ${matches}`);
  }
});

t.test('the first matching rule by position wins', async (t) => {
  const rules = [
    { position: 3, field: 'landing_path' as const, value: '/', number: 'catch-all' },
    { position: 1, field: 'utm_source' as const, value: 'newsletter', number: 'newsletter' },
    { position: 2, field: 'utm_medium' as const, value: 'email', number: 'email' },
    { position: 0, field: 'referrer_domain' as const, value: 'partner.org', number: 'partner' },
  ];
  // [page, referrer, number | undefined]
  const rows: Array<[string, string, string | undefined]> = [
    ['https://s.example/?utm_source=newsletter&utm_medium=email', '', 'newsletter'],
    ['https://s.example/?utm_source=other&utm_medium=email', '', 'email'],
    ['https://s.example/?utm_source=newsletter&utm_medium=email', 'https://partner.org/', 'partner'],
    ['https://s.example/x', '', 'catch-all'],
  ];
  for (const [page, referrer, want] of rows) {
    t.equal(matchSourceRule(rules, touch(page, referrer))?.number, want, `${page} ${referrer} → ${want}`);
  }
  t.equal(matchSourceRule(rules.slice(1, 3), touch('https://s.example/x')), undefined, 'no rule matches: undefined');
  t.equal(matchSourceRule([], touch('https://s.example/x')), undefined, 'no rules: undefined');
});
