// Classifying a visit from its landing page and referrer, table-driven.
import t from 'tap';
import { classifyReferrer, isCampaign, isDirect, parsePage, readTouch } from '../../../src/dni/sources.ts';

const PAGE = 'https://shop.example.com/catalog';

t.test('the referrer alone: search engines, social networks, other sites, none', async (t) => {
  // [referrer, source, medium]
  const rows: Array<[string, string, string]> = [
    ['https://www.google.com/', 'google', 'organic'],
    ['https://www.google.com.ua/', 'google', 'organic'],
    ['https://www.google.co.uk/search?q=x', 'google', 'organic'],
    ['https://google.de/', 'google', 'organic'],
    ['https://www.bing.com/search?q=phones', 'bing', 'organic'],
    ['https://cn.bing.com/', 'bing', 'organic'],
    ['https://search.yahoo.com/', 'yahoo', 'organic'],
    ['https://uk.search.yahoo.com/', 'yahoo', 'organic'],
    ['https://r.search.yahoo.com/_ylt=abc', 'yahoo', 'organic'],
    ['https://duckduckgo.com/', 'duckduckgo', 'organic'],
    ['https://html.duckduckgo.com/html', 'duckduckgo', 'organic'],
    ['https://yandex.ru/search/?text=x', 'yandex', 'organic'],
    ['https://yandex.com.tr/', 'yandex', 'organic'],
    ['https://ya.ru/', 'yandex', 'organic'],
    ['https://www.baidu.com/link?url=x', 'baidu', 'organic'],
    ['https://www.ecosia.org/search?q=x', 'ecosia', 'organic'],
    ['https://search.naver.com/', 'naver', 'organic'],
    ['https://www.seznam.cz/', 'seznam', 'organic'],
    ['https://www.qwant.com/', 'qwant', 'organic'],
    ['https://www.startpage.com/', 'startpage', 'organic'],
    ['https://search.brave.com/search?q=x', 'brave', 'organic'],
    ['https://search.aol.com/', 'aol', 'organic'],
    ['android-app://com.google.android.googlequicksearchbox/', 'google', 'organic'],
    ['https://www.facebook.com/', 'facebook.com', 'social'],
    ['https://m.facebook.com/story.php', 'facebook.com', 'social'],
    ['https://l.facebook.com/l.php?u=x', 'facebook.com', 'social'],
    ['https://lm.facebook.com/', 'facebook.com', 'social'],
    ['https://l.instagram.com/', 'instagram.com', 'social'],
    ['https://www.instagram.com/', 'instagram.com', 'social'],
    ['https://t.co/AbCdE', 'x.com', 'social'],
    ['https://twitter.com/someone', 'x.com', 'social'],
    ['https://x.com/someone', 'x.com', 'social'],
    ['https://www.linkedin.com/feed/', 'linkedin.com', 'social'],
    ['https://lnkd.in/abc', 'linkedin.com', 'social'],
    ['https://www.youtube.com/watch?v=1', 'youtube.com', 'social'],
    ['https://youtu.be/1', 'youtube.com', 'social'],
    ['https://www.tiktok.com/@x', 'tiktok.com', 'social'],
    ['https://www.reddit.com/r/x', 'reddit.com', 'social'],
    ['https://old.reddit.com/', 'reddit.com', 'social'],
    ['https://www.pinterest.com/pin/1', 'pinterest.com', 'social'],
    ['https://uk.pinterest.com/', 'pinterest.com', 'social'],
    ['https://pin.it/x', 'pinterest.com', 'social'],
    ['https://vk.com/wall', 'vk.com', 'social'],
    ['https://t.me/channel', 't.me', 'social'],
    ['https://www.threads.net/', 'threads.net', 'social'],
    ['https://blog.partner.org/post/1', 'blog.partner.org', 'referral'],
    ['https://www.partner.org/', 'partner.org', 'referral'],
    ['http://WWW.Partner.ORG/x', 'partner.org', 'referral'],
    ['https://mail.google.com/', 'mail.google.com', 'referral'],
    ['https://googleblog.example/', 'googleblog.example', 'referral'],
    ['https://notfacebook.com/', 'notfacebook.com', 'referral'],
    ['https://facebook.com.evil.example/', 'facebook.com.evil.example', 'referral'],
    ['', '(direct)', '(none)'],
    ['not a url', '(direct)', '(none)'],
    ['https://shop.example.com/other', '(direct)', '(none)'],
    ['https://www.shop.example.com/', '(direct)', '(none)'],
    ['https://blog.example.com/', '(direct)', '(none)'],
    ['https://example.com/', '(direct)', '(none)'],
    ['about:blank', '(direct)', '(none)'],
  ];
  for (const [referrer, source, medium] of rows) {
    const r = readTouch({ page: PAGE, referrer, siteDomain: 'example.com' });
    t.ok(r.ok, `${referrer}: read`);
    if (!r.ok) continue;
    t.same([r.touch.source, r.touch.medium], [source, medium], `${referrer || '(empty)'} → ${source} / ${medium}`);
  }
});

t.test('same site is judged by the page host when no site domain is given', async (t) => {
  const sameSite = (h: string) => h === 'shop.example.com';
  t.same(classifyReferrer(new URL('https://shop.example.com/a'), sameSite), { source: '(direct)', medium: '(none)' });
  t.same(classifyReferrer(null, sameSite), { source: '(direct)', medium: '(none)' });
  const r = readTouch({ page: 'https://www.shop.example.com/', referrer: 'https://shop.example.com/prev' });
  t.ok(r.ok && r.touch.source === '(direct)', 'www. and bare host are the same site');
  const other = readTouch({ page: 'https://shop.example.com/', referrer: 'https://blog.example.com/' });
  t.ok(other.ok && other.touch.source === 'blog.example.com', 'a sibling subdomain is a referral without the site domain');
});

t.test('UTMs and click ids from the landing page', async (t) => {
  // [query, referrer, source, medium, click ids kept]
  const rows: Array<[string, string, string, string, Record<string, string>]> = [
    ['utm_source=newsletter&utm_medium=email', '', 'newsletter', 'email', {}],
    ['utm_source=newsletter&utm_medium=email', 'https://www.google.com/', 'newsletter', 'email', {}],
    ['gclid=abc', '', 'google', 'cpc', { gclid: 'abc' }],
    ['gclid=abc', 'https://www.facebook.com/', 'google', 'cpc', { gclid: 'abc' }],
    ['gbraid=g1', '', 'google', 'cpc', { gbraid: 'g1' }],
    ['wbraid=w1', '', 'google', 'cpc', { wbraid: 'w1' }],
    ['msclkid=m1', 'https://www.bing.com/', 'bing', 'cpc', { msclkid: 'm1' }],
    ['fbclid=f1', 'https://l.facebook.com/', 'facebook', 'paid', { fbclid: 'f1' }],
    ['gclid=abc&fbclid=f1', '', 'google', 'cpc', { gclid: 'abc', fbclid: 'f1' }],
    ['msclkid=m1&fbclid=f1', '', 'bing', 'cpc', { msclkid: 'm1', fbclid: 'f1' }],
    ['utm_source=google&utm_medium=paid-search&gclid=abc', '', 'google', 'paid-search', { gclid: 'abc' }],
    ['utm_source=partner&gclid=abc', '', 'partner', 'cpc', { gclid: 'abc' }],
    ['utm_medium=banner&fbclid=f1', '', 'facebook', 'banner', { fbclid: 'f1' }],
    ['utm_source=partner', '', 'partner', '(not set)', {}],
    ['utm_medium=email', 'https://www.google.com/', '(not set)', 'email', {}],
    ['utm_source=%20&utm_medium=', 'https://www.google.com/', 'google', 'organic', {}],
    ['utm_campaign=spring', 'https://www.google.com/', 'google', 'organic', {}],
    ['UTM_SOURCE=upper', '', '(direct)', '(none)', {}],
    ['utm_source=Newsletter&utm_medium=Email', '', 'Newsletter', 'Email', {}],
    ['utm_source=a&utm_source=b&utm_medium=m', '', 'a', 'm', {}],
  ];
  for (const [query, referrer, source, medium, ids] of rows) {
    const r = readTouch({ page: `${PAGE}?${query}`, referrer });
    t.ok(r.ok, `${query}: read`);
    if (!r.ok) continue;
    t.same([r.touch.source, r.touch.medium], [source, medium], `${query} (referrer ${referrer || 'none'}) → ${source} / ${medium}`);
    for (const id of ['gclid', 'gbraid', 'wbraid', 'msclkid', 'fbclid'] as const) {
      t.equal(r.touch[id], ids[id] ?? null, `${query}: ${id} ${ids[id] ? 'kept' : 'absent'}`);
    }
  }
});

t.test('the touch keeps campaign, content, term, the referrer and the page as given', async (t) => {
  const page = `${PAGE}?utm_source=g&utm_medium=cpc&utm_campaign=Spring%20Sale&utm_content=ad1&utm_term=red+phones#top`;
  const r = readTouch({ page, referrer: ' https://www.google.com/ ' });
  t.ok(r.ok);
  if (!r.ok) return;
  t.same(r.touch, {
    source: 'g',
    medium: 'cpc',
    campaign: 'Spring Sale',
    content: 'ad1',
    term: 'red phones',
    gclid: null,
    gbraid: null,
    wbraid: null,
    fbclid: null,
    msclkid: null,
    referrer: 'https://www.google.com/',
    landingPage: page,
  });
  const long = readTouch({ page: `${PAGE}?utm_source=${'x'.repeat(2000)}` });
  t.ok(long.ok && long.touch.source.length === 500, 'a very long value is cut to 500 characters');
  const none = readTouch({ page: PAGE, referrer: '' });
  t.ok(none.ok && none.touch.referrer === null && none.touch.campaign === null, 'empty referrer and absent UTMs are null');
});

t.test('a page that is not an http(s) URL is refused with the reason', async (t) => {
  // [page, message fragment]
  const rows: Array<[string, RegExp]> = [
    ['', /absolute URL/],
    ['/catalog?utm_source=x', /absolute URL/],
    ['shop.example.com/catalog', /absolute URL/],
    ['javascript:alert(1)', /http or https/],
    ['ftp://shop.example.com/', /http or https/],
    ['file:///etc/passwd', /http or https/],
    ['data:text/html,hi', /http or https/],
    ['http://', /absolute URL/],
  ];
  for (const [page, message] of rows) {
    const r = readTouch({ page, referrer: '' });
    t.notOk(r.ok, `${JSON.stringify(page)} refused`);
    if (!r.ok) t.match(r.message, message, `${JSON.stringify(page)}: ${r.message}`);
  }
  t.ok(parsePage('https://shop.example.com:8443/x?y=1').ok, 'a port and a query are fine');
});

t.test('campaign and direct visits', async (t) => {
  // [query, referrer, isCampaign, isDirect]
  const rows: Array<[string, string, boolean, boolean]> = [
    ['', '', false, true],
    ['', 'https://www.google.com/', false, false],
    ['', 'https://www.facebook.com/', false, false],
    ['', 'https://partner.org/', false, false],
    ['gclid=1', '', true, false],
    ['fbclid=1', '', true, false],
    ['msclkid=1', '', true, false],
    ['utm_source=x', '', true, false],
    ['utm_medium=x', '', true, false],
    ['utm_campaign=x', '', true, false],
    ['utm_term=x', '', true, false],
    ['utm_content=x', '', true, false],
    ['utm_source=(direct)&utm_medium=(none)', '', true, false],
    ['other=1', '', false, true],
  ];
  for (const [query, referrer, campaign, direct] of rows) {
    const r = readTouch({ page: `${PAGE}?${query}`, referrer });
    if (!r.ok) {
      t.fail(query);
      continue;
    }
    t.equal(isCampaign(r.touch), campaign, `${query || 'no query'} ${referrer || 'no referrer'}: campaign ${campaign}`);
    t.equal(isDirect(r.touch), direct, `${query || 'no query'} ${referrer || 'no referrer'}: direct ${direct}`);
  }
});
