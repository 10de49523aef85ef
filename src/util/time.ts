// Instants as people and API clients type them.

/** An ISO 8601 date and time with a zone (Z or ±hh:mm); seconds and fractions optional. */
const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/i;

/** The instant of an ISO 8601 time with a zone, or undefined when it is not one (or no such day, like February 30). */
export function parseAt(text: string): Date | undefined {
  const m = ISO_TIME.exec(text.trim());
  if (!m) return undefined;
  const [year, month, day, hour, minute] = m.slice(1, 6).map(Number) as [number, number, number, number, number];
  // Date would roll 2026-02-30 over into March; refuse it instead
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59) return undefined;
  const at = new Date(text.trim());
  return Number.isNaN(at.getTime()) ? undefined : at;
}

export const AT_FORMAT = 'an ISO 8601 time with a zone, e.g. 2026-06-15T09:30:00+03:00';
