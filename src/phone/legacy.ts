// National forms people still write from the Soviet-era dialling plan: 8 as the
// long-distance prefix and 8~10 as the international one, in countries whose plan
// has since changed (Ukraine moved to 0 and 00 in 2009–2010). Tried only when the
// number does not read as a current national number; the result must be valid.
// Countries that still use 8 and 8 10 (RU, KZ, BY, TM, …) need no entry:
// libphonenumber reads those forms from its metadata.

export interface LegacyPrefix {
  /** ISO 3166-1 alpha-2 default country the form is read in */
  readonly country: string;
  /** the digits the written number starts with */
  readonly written: string;
  /** national: what follows is a national number; international: a country code and number */
  readonly means: 'national' | 'international';
  /** national only: the digits that replace `written` (today's trunk prefix, or none) */
  readonly replacement: string;
  readonly example: string;
}

const international = (country: string, example: string): LegacyPrefix => ({ country, written: '810', means: 'international', replacement: '', example });

export const LEGACY_PREFIXES: readonly LegacyPrefix[] = [
  // "8 050 123 45 67": the long-distance 8 before today's trunk 0
  { country: 'UA', written: '80', means: 'national', replacement: '0', example: '8 050 123 45 67' },
  international('UA', '8 10 48 22 123 45 67'),
  // Kyrgyzstan: trunk 8 became 0 ("8 312 …" → "0 312 …")
  { country: 'KG', written: '8', means: 'national', replacement: '0', example: '8 312 123 456' },
  international('KG', '8 10 7 495 123 45 67'),
  // Uzbekistan: numbers are dialled without a trunk prefix today ("8 90 …" → "90 …")
  { country: 'UZ', written: '8', means: 'national', replacement: '', example: '8 90 123 45 67' },
  international('UZ', '8 10 7 495 123 45 67'),
  // Tajikistan: "8 93 …" → "93 …"
  { country: 'TJ', written: '8', means: 'national', replacement: '', example: '8 93 123 4567' },
  // 8 10 abroad from countries that now dial 00
  international('MD', '8 10 40 21 123 4567'),
  international('AZ', '8 10 7 495 123 45 67'),
  international('AM', '8 10 7 495 123 45 67'),
  international('GE', '8 10 7 495 123 45 67'),
  international('LT', '8 10 44 20 7946 0958'),
];

export interface LegacyReading {
  /** what to parse: "+…" for an international reading, national digits otherwise */
  readonly candidate: string;
  /** the country to read a national candidate in */
  readonly country: string | undefined;
  readonly prefix: LegacyPrefix;
}

/** The readings of `digits` (no "+") that the legacy forms of `country` allow, longest prefix first. Pure. */
export function legacyReadings(digits: string, country: string | undefined, table: readonly LegacyPrefix[] = LEGACY_PREFIXES): LegacyReading[] {
  if (country === undefined || digits.startsWith('+')) return [];
  return table
    .filter((p) => p.country === country && digits.startsWith(p.written) && digits.length > p.written.length)
    .sort((a, b) => b.written.length - a.written.length)
    .map((p) => {
      const rest = digits.slice(p.written.length);
      return p.means === 'international'
        ? { candidate: `+${rest}`, country: undefined, prefix: p }
        : { candidate: `${p.replacement}${rest}`, country, prefix: p };
    });
}
