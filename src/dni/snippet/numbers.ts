// The snippet's pure core: finding a phone number in a run of page text by its
// digits, and writing another number in the shape the page used. No DOM, no
// dependencies: bundled into /dni.js, and imported by the unit tests in Node.

/** A number as the snippet looks for it and writes it. */
export interface Digits {
  /** E.164 without "+": "380441234567". */
  readonly intl: string;
  /** The national format's digits, trunk prefix included: "0441234567". */
  readonly national: string;
}

/** How a run of text wrote a number: +380…, 00380…, or 0… (national). */
export type Form = 'intl' | 'idd' | 'national';

/** Digits of an E.164 number and of its national format ("+380441234567", "044 123 4567"). */
export function digitsOf(e164: string, display: string): Digits {
  return { intl: onlyDigits(e164), national: onlyDigits(display) };
}

export function onlyDigits(s: string): string {
  return s.replace(/\D/g, '');
}

/**
 * Runs of text that may be a phone number: an optional "+" or "(", then digits
 * with the separators people write between them (spaces, non-breaking spaces,
 * dashes, dots, brackets). A run never ends with a separator.
 */
export const PHONE_RUN = /\+?\(?\d[\d\s().\-\u2010-\u2015]*\d/g;
/** Fewest and most digits a run needs to be read as a phone number. */
const MIN_DIGITS = 7;
const MAX_DIGITS = 17;

/** How `run` writes `n`, or null when its digits are not n's. */
export function matchForm(run: string, n: Digits): Form | null {
  const d = onlyDigits(run);
  if (d.length < MIN_DIGITS) return null;
  if (d === n.intl) return 'intl';
  if (d === `00${n.intl}`) return 'idd';
  if (n.national && d === n.national) return 'national';
  return null;
}

/** The form of a run whose number is not known (inside an element marked for swapping). */
export function guessForm(run: string): Form {
  const t = run.trim();
  if (t.startsWith('+')) return 'intl';
  if (t.startsWith('00')) return 'idd';
  return 'national';
}

/** The digits `to` is written with in a given form. */
function digitsIn(form: Form, to: Digits): string {
  return form === 'intl' ? to.intl : form === 'idd' ? `00${to.intl}` : to.national;
}

/**
 * `to` written like `run`: when they have as many digits in that form, each of
 * run's digits is replaced in place, so grouping, separators, brackets and the
 * "+" stay as they were ("(044) 123-45-67" → "(044) 765-43-21"). Otherwise the
 * number's national format (`display`), or +E.164 for an international run.
 */
export function rewrite(run: string, form: Form, to: Digits, display: string): string {
  const digits = digitsIn(form, to);
  if (onlyDigits(run).length === digits.length) {
    let i = 0;
    return run.replace(/\d/g, () => digits[i++]!);
  }
  return form === 'national' ? display : form === 'idd' ? digits : `+${digits}`;
}

/** One number the snippet swaps to: its digits and its national format. */
export interface Target {
  readonly digits: Digits;
  readonly display: string;
}

/**
 * Text with every run that is one of `from` written as `to`, in that run's form.
 * With `any`, every run of phone length is swapped (an element marked for swapping).
 * Returns the text unchanged (the same string) when nothing matched.
 */
export function swapText(text: string, from: readonly Digits[], to: Target, any = false): string {
  return text.replace(PHONE_RUN, (run) => {
    const count = onlyDigits(run).length;
    if (any && count >= MIN_DIGITS && count <= MAX_DIGITS) {
      const form = from.map((n) => matchForm(run, n)).find((f) => f !== null);
      return rewrite(run, form ?? guessForm(run), to.digits, to.display);
    }
    return swapInRun(run, from, to);
  });
}

/**
 * A run holding one of `from`, maybe with other digits around it ("044 123 4567 2"
 * or two numbers in a row): the number is looked for in every stretch of the run's
 * space-separated pieces, the longest first.
 */
function swapInRun(run: string, from: readonly Digits[], to: Target): string {
  const pieces = [...run.matchAll(/\S+/g)].map((m) => ({ start: m.index!, end: m.index! + m[0].length }));
  for (let len = pieces.length; len > 0; len--) {
    for (let i = 0; i + len <= pieces.length; i++) {
      const start = pieces[i]!.start;
      const end = pieces[i + len - 1]!.end;
      const part = run.slice(start, end);
      for (const n of from) {
        const form = matchForm(part, n);
        if (form) {
          const swapped = rewrite(part, form, to.digits, to.display);
          return run.slice(0, start) + swapped + swapInRun(run.slice(end), from, to);
        }
      }
    }
  }
  return run;
}

/** The number in a tel: href ("tel:+380…", "tel:044-123-45-67;ext=1"), or null for another kind of link. */
export function telNumber(href: string): string | null {
  const m = /^\s*tel:([^;?#]*)/i.exec(href);
  if (!m) return null;
  try {
    return decodeURIComponent(m[1]!);
  } catch {
    return m[1]!;
  }
}

/**
 * The href for a tel: link: the E.164 of `to` when the link is one of `from`
 * (or `any`), else null (leave it).
 */
export function swapTel(href: string, from: readonly Digits[], to: Digits, any = false): string | null {
  const n = telNumber(href);
  if (n === null) return null;
  const next = `tel:+${to.intl}`;
  if (href === next) return null;
  if (any || from.some((f) => matchForm(n, f) !== null)) return next;
  return null;
}

/**
 * Google Analytics ids from document.cookie: the client id from _ga
 * ("GA1.1.1234567890.1700000000" → "1234567890.1700000000") and the session id
 * from the first _ga_<container> ("GS1.1.1700000000.3.1…" or "GS2.1.s1700000000$o3…").
 */
export function gaIds(cookie: string): { client_id: string | null; session_id: string | null } {
  const ga = /(?:^|;\s*)_ga=([^;]*)/.exec(cookie)?.[1];
  const parts = ga?.split('.') ?? [];
  const client = parts.length >= 4 ? parts.slice(-2).join('.') : null;
  const container = /(?:^|;\s*)_ga_[A-Za-z0-9]+=([^;]*)/.exec(cookie)?.[1];
  let session: string | null = null;
  if (container?.startsWith('GS2.')) session = /[.$]s(\d+)/.exec(container)?.[1] ?? null;
  else if (container) session = /^GS1\.\d+\.(\d+)/.exec(container)?.[1] ?? null;
  return { client_id: client, session_id: session };
}
