// The DNI snippet, served as /dni.js (README "The snippet"). A site adds
//   <script async src="https://RINGPATH/dni.js" data-site="PUBLIC_KEY"></script>
// and the snippet asks ringpath for the visit's number, writes it over the site's
// numbers (visible text in the format the page used, tel: links, marked elements),
// keeps it across the visit's pages, and heartbeats while the page is visible.
// Whatever goes wrong, the page keeps its own number and stays usable.
import { digitsOf, gaIds, swapTel, swapText, type Digits, type Target } from './numbers.ts';

/** What POST /dni/v1/sessions answers (the fields the snippet reads). */
interface SessionReply {
  session: string;
  visitor: string;
  number: string;
  display: string;
  kind: string;
  held_until: string;
  heartbeat_s: number;
  swap?: { numbers?: Array<{ number: string; display: string }>; selectors?: string[] };
}

/** What the snippet keeps for the visit (localStorage, else a first-party cookie). */
interface Visit {
  visitor: string;
  session?: string;
  number?: string;
  display?: string;
  /** held_until, in ms since the epoch. */
  held?: number;
  heartbeat_s?: number;
  swap?: { numbers: Array<{ number: string; display: string }>; selectors: string[] };
}

const TIMEOUT_MS = 3000;
const GUARD_MS = 1000;
const SKIP = /^(SCRIPT|STYLE|NOSCRIPT|TEXTAREA|TEMPLATE|INPUT|SELECT|OPTION)$/;
const MARK = '[data-ringpath]';
const TEL = 'a[href^="tel:" i]';

function findScript(): HTMLScriptElement | null {
  const current = document.currentScript;
  if (current instanceof HTMLScriptElement && current.dataset.site) return current;
  const scripts = document.getElementsByTagName('script');
  for (let i = 0; i < scripts.length; i++) {
    const s = scripts[i]!;
    if (s.src && /\/dni\.js$/.test(s.src.split(/[?#]/)[0]!) && s.dataset.site) return s;
  }
  return null;
}

/** Saves and reads the visit: localStorage when the page may use it, else a cookie. */
function visitStore(key: string) {
  let local: Storage | null = null;
  try {
    local = window.localStorage;
    local.setItem(key, local.getItem(key) ?? '');
  } catch {
    local = null;
  }
  const cookie = key.replace(/[^A-Za-z0-9_-]/g, '_');
  return {
    load(): Visit | null {
      try {
        const raw = local ? local.getItem(key) : decodeURIComponent(new RegExp(`(?:^|;\\s*)${cookie}=([^;]*)`).exec(document.cookie)?.[1] ?? '');
        const v = raw ? (JSON.parse(raw) as Visit) : null;
        return v && typeof v.visitor === 'string' ? v : null;
      } catch {
        return null;
      }
    },
    save(v: Visit): void {
      const raw = JSON.stringify(v);
      try {
        if (local) local.setItem(key, raw);
        else document.cookie = `${cookie}=${encodeURIComponent(raw)}; path=/; max-age=31536000; SameSite=Lax${location.protocol === 'https:' ? '; Secure' : ''}`;
      } catch {
        // storage full or refused: the visit lasts this page
      }
    },
  };
}

/** POST JSON as text/plain (a simple CORS request: no preflight); null when ringpath cannot be reached in time. */
async function post(url: string, body?: unknown): Promise<{ status: number; json: unknown } | null> {
  const abort = typeof AbortController === 'function' ? new AbortController() : null;
  const timer = setTimeout(() => abort?.abort(), TIMEOUT_MS);
  try {
    const r = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: body === undefined ? '' : JSON.stringify(body),
      credentials: 'omit',
      cache: 'no-store',
      signal: abort?.signal ?? null,
    });
    return { status: r.status, json: r.ok ? await r.json() : null };
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
  }
}

function run(): void {
  const script = findScript();
  if (!script || !window.fetch) return;
  const site = script.dataset.site!;
  const base = script.src.split(/[?#]/)[0]!.replace(/\/dni\.js$/, '');
  const store = visitStore(`ringpath:${site}`);
  const root = document.documentElement;
  let visit = store.load();
  let selectors: string[] = visit?.swap?.selectors ?? [];
  /** The numbers to find: the site's, and the ones this page has shown. */
  let from: Digits[] = [];
  let to: Target | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let beating = false;
  const state = (s: string) => root.setAttribute('data-ringpath-state', s);
  state('loading');

  // the flicker guard: marked elements, tel: links and the selectors known from an
  // earlier page stay hidden until the number is written, for GUARD_MS at most
  const guard = document.createElement('style');
  guard.textContent = [MARK, TEL, ...selectors].map((s) => `${s}{visibility:hidden!important}`).join('');
  (document.head ?? root).appendChild(guard);
  const reveal = () => guard.remove();
  setTimeout(reveal, GUARD_MS);

  const marked = (el: Element): boolean => {
    if (el.matches(MARK)) return true;
    for (const s of selectors) {
      try {
        if (el.closest(s)) return true;
      } catch {
        // a selector this browser cannot read
      }
    }
    return !!el.closest(MARK);
  };

  const swapNode = (node: Node): void => {
    if (!to) return;
    if (node.nodeType === 3) {
      const parent = node.parentElement;
      if (!parent || SKIP.test(parent.tagName)) return;
      const text = node.nodeValue ?? '';
      const next = swapText(text, from, to, marked(parent));
      if (next !== text) node.nodeValue = next;
      return;
    }
    if (node.nodeType !== 1) return;
    const el = node as Element;
    if (SKIP.test(el.tagName)) return;
    if (el.tagName === 'A') swapLink(el as HTMLAnchorElement);
    el.querySelectorAll('a[href]').forEach((a) => swapLink(a as HTMLAnchorElement));
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    const texts: Node[] = [];
    for (let t = walker.nextNode(); t; t = walker.nextNode()) texts.push(t);
    texts.forEach(swapNode);
    // a marked element with no number yet gets one
    const empty = (m: Element) => !m.children.length && !(m.textContent ?? '').trim() && (m.textContent = to!.display);
    if (el.matches(MARK)) empty(el);
    el.querySelectorAll(MARK).forEach(empty);
  };

  const swapLink = (a: HTMLAnchorElement): void => {
    const href = a.getAttribute('href');
    const next = href && to ? swapTel(href, from, to.digits, marked(a)) : null;
    if (next) a.setAttribute('href', next);
  };

  const swapAll = () => {
    swapNode(root);
    reveal();
    state('swapped');
  };

  const use = (r: SessionReply, visitor: string) => {
    const swap = { numbers: r.swap?.numbers ?? [], selectors: r.swap?.selectors ?? [] };
    visit = { visitor, session: r.session, number: r.number, display: r.display, held: Date.parse(r.held_until), heartbeat_s: r.heartbeat_s, swap };
    store.save(visit);
    apply();
  };

  /** The visit's number over the page, finding the site's numbers and any this page showed before. */
  const apply = () => {
    if (!visit?.number || !visit.display) return;
    const shown = to ? [to.digits] : [];
    selectors = visit.swap?.selectors ?? [];
    to = { digits: digitsOf(visit.number, visit.display), display: visit.display };
    from = [...(visit.swap?.numbers ?? []).map((n) => digitsOf(n.number, n.display)), ...shown];
    swapAll();
  };

  const fail = () => {
    reveal();
    if (!to) state('failed');
  };

  /** A new session for this page, for the same visitor when there is one. */
  const open = async (): Promise<boolean> => {
    const r = await post(`${base}/dni/v1/sessions`, {
      site,
      page: location.href.slice(0, 4096),
      referrer: document.referrer.slice(0, 4096),
      visitor: visit?.visitor ?? null,
      ga: gaIds(document.cookie),
      webdriver: navigator.webdriver === true,
    });
    const reply = r?.json as SessionReply | null | undefined;
    if (!reply?.session || !reply.number) return false;
    use(reply, reply.visitor);
    return true;
  };

  /** One heartbeat: true while the session holds its number; a 404 opens a new session. */
  const beat = async (): Promise<boolean> => {
    if (!visit?.session) return open();
    const r = await post(`${base}/dni/v1/sessions/${encodeURIComponent(visit.session)}/heartbeat`);
    if (r?.status === 404) return open();
    const held = (r?.json as { held_until?: string } | null)?.held_until;
    if (!held) return false;
    visit.held = Date.parse(held);
    store.save(visit);
    return true;
  };

  const hidden = () => document.visibilityState === 'hidden';
  const schedule = () => {
    clearTimeout(timer);
    if (!hidden() && visit?.heartbeat_s) timer = setTimeout(tick, visit.heartbeat_s * 1000);
  };
  const tick = async () => {
    if (beating) return;
    beating = true;
    try {
      await beat().catch(() => false);
    } finally {
      beating = false;
      schedule();
    }
  };

  const start = async () => {
    // a later page of the visit keeps its session while the hold lasts
    const live = visit?.session && visit.number && (visit.held ?? 0) > Date.now();
    const ok = live ? await beat() : await open();
    if (!ok) return fail();
    if (live) apply();
    // content added later, and single-page navigation, get the number too
    new MutationObserver((records) => {
      for (const rec of records) {
        if (rec.type === 'childList') rec.addedNodes.forEach(swapNode);
        else swapNode(rec.target);
      }
    }).observe(root, { childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ['href'] });
    const again = () => swapNode(root);
    for (const m of ['pushState', 'replaceState'] as const) {
      const orig = history[m];
      history[m] = function (this: History, ...args: Parameters<History['pushState']>) {
        const r = orig.apply(this, args);
        setTimeout(again, 0);
        return r;
      };
    }
    addEventListener('popstate', () => setTimeout(again, 0));
    document.addEventListener('visibilitychange', () => {
      if (hidden()) clearTimeout(timer);
      else void tick();
    });
    schedule();
  };
  start().catch(fail);
}

try {
  run();
} catch {
  // never break the page
}
