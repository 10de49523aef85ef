// What brought a visit (SPEC §4 "Sources"): the landing page's UTMs and click ids,
// else the referrer classified as a search engine (organic), a social network
// (social), another site (referral) or nothing / the same site (direct). Pure.
import type { Touch } from './types.ts';

/** Longest value kept for one parameter; longer ones are cut (a URL can carry anything). */
export const MAX_PARAM_LENGTH = 500;

export type TouchResult = { readonly ok: true; readonly touch: Touch } | { readonly ok: false; readonly message: string };

export interface Visit {
  /** The landing page's full URL, with its query. */
  readonly page: string;
  /** document.referrer; empty or absent when there is none. */
  readonly referrer?: string | null | undefined;
  /** The site's domain: referrers from it or its subdomains are the same site (direct). */
  readonly siteDomain?: string | undefined;
}

interface Classified {
  readonly source: string;
  readonly medium: string;
}

const DIRECT: Classified = { source: '(direct)', medium: '(none)' };
export const NOT_SET = '(not set)';

/** Search engines: the source is the engine's name; the host patterns are what their result pages send as referrer. */
const SEARCH_ENGINES: ReadonlyArray<readonly [name: string, host: RegExp]> = [
  ['google', /^(www\.|m\.)?google\.(com?\.)?[a-z]{2,3}$/],
  ['bing', /^(www\.|cn\.|m\.)?bing\.com$/],
  ['yahoo', /^([a-z]{2}\.)?(search|r\.search)\.yahoo\.(com?\.)?[a-z]{2,3}$/],
  ['duckduckgo', /^(www\.|html\.|lite\.)?duckduckgo\.com$/],
  ['yandex', /^(www\.)?(yandex\.(ru|com|ua|by|kz|uz|com\.tr|com\.am|com\.ge|az|fr)|ya\.ru)$/],
  ['baidu', /^(www\.|m\.)?baidu\.com$/],
  ['ecosia', /^(www\.)?ecosia\.org$/],
  ['naver', /^(m\.)?search\.naver\.com$/],
  ['seznam', /^(www\.|search\.)?seznam\.cz$/],
  ['qwant', /^(www\.|lite\.)?qwant\.com$/],
  ['startpage', /^(www\.)?startpage\.com$/],
  ['brave', /^search\.brave\.com$/],
  ['aol', /^search\.aol\.(com?\.)?[a-z]{2,3}$/],
  ['ask', /^(www\.)?ask\.com$/],
  ['sogou', /^(www\.|m\.)?sogou\.com$/],
  ['so.com', /^(www\.|m\.)?so\.com$/],
];

/** Social networks: the source is the network's main domain, whichever of its hosts or link shorteners sent the visit. */
const SOCIAL_NETWORKS: ReadonlyArray<readonly [domain: string, host: RegExp]> = [
  ['facebook.com', /^((www|m|l|lm|web|mobile|mbasic|touch)\.)?facebook\.com$|^fb\.(com|me)$/],
  ['instagram.com', /^((www|l|m)\.)?instagram\.com$/],
  ['x.com', /^t\.co$|^((www|mobile|m)\.)?(twitter|x)\.com$/],
  ['linkedin.com', /^((www|[a-z]{2})\.)?linkedin\.com$|^lnkd\.in$/],
  ['youtube.com', /^((www|m|music)\.)?youtube\.com$|^youtu\.be$/],
  ['tiktok.com', /^((www|m|vm|vt)\.)?tiktok\.com$/],
  ['reddit.com', /^((www|old|new|out|np|m)\.)?reddit\.com$/],
  ['pinterest.com', /^(([a-z]{2})\.|www\.)?pinterest\.(com?\.)?[a-z]{2,3}$|^pin\.it$/],
  ['vk.com', /^((www|m)\.)?vk\.com$/],
  ['ok.ru', /^((www|m)\.)?ok\.ru$/],
  ['t.me', /^t\.me$|^(web\.)?telegram\.org$/],
  ['threads.net', /^(www\.)?threads\.(net|com)$/],
  ['snapchat.com', /^(www\.)?snapchat\.com$/],
  ['quora.com', /^(www\.|[a-z]{2}\.)?quora\.com$/],
  ['tumblr.com', /^([a-z0-9-]+\.)?tumblr\.com$/],
  ['whatsapp.com', /^((web|api|www)\.)?whatsapp\.com$|^wa\.me$/],
];

/** Click ids and what they mean when no UTM says otherwise, in the order one wins over another. */
const CLICK_IDS: ReadonlyArray<readonly [param: 'gclid' | 'gbraid' | 'wbraid' | 'msclkid' | 'fbclid', Classified]> = [
  ['gclid', { source: 'google', medium: 'cpc' }],
  ['gbraid', { source: 'google', medium: 'cpc' }],
  ['wbraid', { source: 'google', medium: 'cpc' }],
  ['msclkid', { source: 'bing', medium: 'cpc' }],
  ['fbclid', { source: 'facebook', medium: 'paid' }],
];

/** A host without the "www." people add or leave out, lower case, without a trailing dot. */
export function bareHost(host: string): string {
  return host.toLowerCase().replace(/\.$/, '').replace(/^www\./, '');
}

function param(q: URLSearchParams, name: string): string | null {
  const v = q.get(name)?.trim();
  return v ? v.slice(0, MAX_PARAM_LENGTH) : null;
}

/** The landing page as a URL, or why it cannot be one. */
export function parsePage(page: string): { ok: true; url: URL } | { ok: false; message: string } {
  let url: URL;
  try {
    url = new URL(page);
  } catch {
    return { ok: false, message: 'is not an absolute URL (expected the full address of the page, e.g. https://shop.example.com/?utm_source=x)' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, message: `must be an http or https URL (got ${url.protocol})` };
  if (!url.hostname) return { ok: false, message: 'has no host' };
  return { ok: true, url };
}

function parseReferrer(referrer: string | null | undefined): URL | null {
  if (!referrer) return null;
  try {
    return new URL(referrer);
  } catch {
    return null;
  }
}

/** Google's search app on Android sends android-app://com.google.android.googlequicksearchbox/ as its referrer. */
const ANDROID_APPS: Readonly<Record<string, Classified>> = {
  'com.google.android.googlequicksearchbox': { source: 'google', medium: 'organic' },
  'com.google.android.gm': { source: 'mail.google.com', medium: 'referral' },
};

/**
 * The source and medium a referrer alone gives: `<engine> / organic`, `<network> / social`,
 * `<domain> / referral`, or `(direct) / (none)` for none, an unreadable one, or the site itself.
 */
export function classifyReferrer(referrer: URL | null, sameSite: (host: string) => boolean): Classified {
  if (!referrer) return DIRECT;
  if (referrer.protocol === 'android-app:') return ANDROID_APPS[referrer.hostname.toLowerCase()] ?? { source: referrer.hostname.toLowerCase(), medium: 'referral' };
  if (referrer.protocol !== 'http:' && referrer.protocol !== 'https:') return DIRECT;
  const host = referrer.hostname.toLowerCase().replace(/\.$/, '');
  if (!host) return DIRECT;
  if (sameSite(host)) return DIRECT;
  for (const [name, re] of SEARCH_ENGINES) if (re.test(host)) return { source: name, medium: 'organic' };
  for (const [domain, re] of SOCIAL_NETWORKS) if (re.test(host)) return { source: domain, medium: 'social' };
  return { source: bareHost(host), medium: 'referral' };
}

function sameSiteAs(page: URL, siteDomain: string | undefined): (host: string) => boolean {
  const pageHost = bareHost(page.hostname);
  const domain = siteDomain ? bareHost(siteDomain) : undefined;
  return (host) => {
    const h = bareHost(host);
    return h === pageHost || (domain !== undefined && (h === domain || h.endsWith(`.${domain}`)));
  };
}

/**
 * Read a visit: UTMs and click ids from the landing page, else the referrer's class.
 * Explicit UTMs win over a click id's default source and medium; the click ids are
 * always kept. A UTM source without a medium (or the reverse) is completed from the
 * click id, else "(not set)". Fails only when `page` is not an http(s) URL.
 */
export function readTouch(visit: Visit): TouchResult {
  const parsed = parsePage(visit.page);
  if (!parsed.ok) return parsed;
  const url = parsed.url;
  const q = url.searchParams;
  const ids = {
    gclid: param(q, 'gclid'),
    gbraid: param(q, 'gbraid'),
    wbraid: param(q, 'wbraid'),
    msclkid: param(q, 'msclkid'),
    fbclid: param(q, 'fbclid'),
  };
  const utmSource = param(q, 'utm_source');
  const utmMedium = param(q, 'utm_medium');
  const click = CLICK_IDS.find(([name]) => ids[name] !== null)?.[1];
  const referrer = parseReferrer(visit.referrer);
  let source: string;
  let medium: string;
  if (utmSource !== null || utmMedium !== null) {
    source = utmSource ?? click?.source ?? NOT_SET;
    medium = utmMedium ?? click?.medium ?? NOT_SET;
  } else if (click) {
    ({ source, medium } = click);
  } else {
    ({ source, medium } = classifyReferrer(referrer, sameSiteAs(url, visit.siteDomain)));
  }
  const rawReferrer = visit.referrer?.trim();
  return {
    ok: true,
    touch: {
      source,
      medium,
      campaign: param(q, 'utm_campaign'),
      content: param(q, 'utm_content'),
      term: param(q, 'utm_term'),
      ...ids,
      referrer: rawReferrer ? rawReferrer : null,
      landingPage: visit.page,
    },
  };
}

/** True when the touch came from the campaign's own markers: a UTM or a click id (a paid visit). */
export function isCampaign(touch: Touch): boolean {
  if (touch.gclid || touch.gbraid || touch.wbraid || touch.msclkid || touch.fbclid) return true;
  if (touch.campaign || touch.content || touch.term) return true;
  try {
    const q = new URL(touch.landingPage).searchParams;
    return Boolean(q.get('utm_source')?.trim() || q.get('utm_medium')?.trim());
  } catch {
    return false;
  }
}

/** True for a visit nothing brought: no campaign markers and no other site's referrer. */
export function isDirect(touch: Touch): boolean {
  return touch.source === DIRECT.source && touch.medium === DIRECT.medium && !isCampaign(touch);
}

/** The referrer's host without "www.", or null when there is no readable http(s) referrer. */
export function referrerDomain(touch: Touch): string | null {
  const url = parseReferrer(touch.referrer);
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) return null;
  return bareHost(url.hostname);
}
