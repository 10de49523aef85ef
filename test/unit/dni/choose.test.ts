// Which source a session's number comes from, and who is a bot, table-driven.
import t from 'tap';
import { chooseNumberSource, isBotVisit } from '../../../src/dni/allocation.ts';
import type { DniSourceRule } from '../../../src/db/repositories/dni-sessions.ts';
import { readTouch } from '../../../src/dni/sources.ts';
import type { Touch } from '../../../src/dni/types.ts';

const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';

function touch(query: string): Touch {
  const r = readTouch({ page: `https://shop.example.com/?${query}` });
  if (!r.ok) throw new Error(r.message);
  return r.touch;
}

t.test('rules first, then bots, then the pool (or its absence)', async (t) => {
  const rule: DniSourceRule = { position: 0, field: 'utm_source', value: 'newsletter', tracking_number_id: 7, number: '+380443000001' };
  // [case, rules, pool, query, bot, source]
  const rows: Array<[string, DniSourceRule[], number | null, string, boolean, string]> = [
    ['a rule matches', [rule], 1, 'utm_source=newsletter', false, 'static'],
    ['a rule matches a bot', [rule], 1, 'utm_source=newsletter', true, 'static'],
    ['a rule matches, no pool', [rule], null, 'utm_source=newsletter', false, 'static'],
    ['no rule matches, a bot', [rule], 1, 'utm_source=other', true, 'bot'],
    ['a bot, no pool', [], null, '', true, 'bot'],
    ['a visitor, no pool', [], null, '', false, 'no_pool'],
    ['a visitor, a pool', [rule], 1, 'gclid=1', false, 'pool'],
  ];
  for (const [name, rules, pool, query, bot, want] of rows) {
    const got = chooseNumberSource({ rules, pool_id: pool }, touch(query), bot);
    t.equal(got.kind, want, `${name}: ${want}`);
    if (got.kind === 'static') t.equal(got.rule, rule, `${name}: the rule's number`);
    if (got.kind === 'pool') t.equal(got.poolId, pool, `${name}: the site's pool`);
  }
});

t.test('bots: isbot on the User-Agent, no User-Agent, or navigator.webdriver', async (t) => {
  // [case, user agent, webdriver, bot]
  const rows: Array<[string, string | null, boolean, boolean]> = [
    ['Chrome', CHROME, false, false],
    ['Firefox', 'Mozilla/5.0 (X11; Linux x86_64; rv:126.0) Gecko/20100101 Firefox/126.0', false, false],
    ['Safari on iPhone', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1', false, false],
    ['Chrome under webdriver', CHROME, true, true],
    ['Googlebot', 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', false, true],
    ['AdsBot-Google', 'AdsBot-Google (+http://www.google.com/adsbot.html)', false, true],
    ['bingbot', 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)', false, true],
    ['YandexBot', 'Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)', false, true],
    ['HeadlessChrome', 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/124.0.0.0 Safari/537.36', false, true],
    ['PhantomJS', 'Mozilla/5.0 (Unknown; Linux x86_64) AppleWebKit/538.1 (KHTML, like Gecko) PhantomJS/2.1.1 Safari/538.1', false, true],
    ['curl', 'curl/8.5.0', false, true],
    ['wget', 'Wget/1.21.4', false, true],
    ['python-requests', 'python-requests/2.31.0', false, true],
    ['no User-Agent', null, false, true],
    ['an empty User-Agent', '  ', false, true],
  ];
  for (const [name, ua, webdriver, bot] of rows) t.equal(isBotVisit(ua, webdriver), bot, `${name}: ${bot ? 'a bot' : 'a browser'}`);
});
