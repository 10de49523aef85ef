// Legacy national forms (Soviet-era 8 and 8 10) read as today's numbers.
import t from 'tap';
import { normalizePhone } from '../../../src/phone/index.ts';
import { LEGACY_PREFIXES, legacyReadings } from '../../../src/phone/legacy.ts';

t.test('the readings the legacy prefixes allow', async (t) => {
  const cases: Array<[string, string, string | undefined, Array<[string, string | undefined]>]> = [
    ['UA long distance 8 before the trunk 0', '80501234567', 'UA', [['0501234567', 'UA']]],
    ['UA 8 10 abroad', '81048221234567', 'UA', [['+48221234567', undefined]]],
    ['KG 8 becomes 0', '8312123456', 'KG', [['0312123456', 'KG']]],
    ['KG 8 10 before 8 alone', '8107495', 'KG', [['+7495', undefined], ['0107495', 'KG']]],
    ['UZ 8 is dropped', '8901234567', 'UZ', [['901234567', 'UZ']]],
    ['no entry for RU: libphonenumber reads its 8 itself', '89161234567', 'RU', []],
    ['no default country, no legacy reading', '80501234567', undefined, []],
    ['a UA number not starting with 80', '0501234567', 'UA', []],
    ['the prefix alone is no number', '80', 'UA', []],
  ];
  for (const [name, digits, country, readings] of cases) {
    t.same(legacyReadings(digits, country).map((r) => [r.candidate, r.country]), readings, name);
  }
});

t.test('legacy forms normalise to today\'s E.164 with the right country', async (t) => {
  const cases: Array<[string, string, string, string]> = [
    ['8 050 123 45 67', 'UA', '+380501234567', 'UA'],
    ['8 (050) 123-45-67', 'UA', '+380501234567', 'UA'],
    ['80501234567', 'UA', '+380501234567', 'UA'],
    ['8-044-123-45-67', 'UA', '+380441234567', 'UA'],
    ['8 0 44 123 45 67', 'UA', '+380441234567', 'UA'],
    ['8 10 48 22 123 45 67', 'UA', '+48221234567', 'PL'],
    ['8 312 123 456', 'KG', '+996312123456', 'KG'],
    ['8 90 123 45 67', 'UZ', '+998901234567', 'UZ'],
    ['8 93 123 4567', 'TJ', '+992931234567', 'TJ'],
    ['8 10 40 21 123 4567', 'MD', '+40211234567', 'RO'],
    // where 8 and 8 10 are still current, libphonenumber reads them as before
    ['8 916 123 45 67', 'RU', '+79161234567', 'RU'],
    ['8 701 123 45 67', 'KZ', '+77011234567', 'KZ'],
    ['8 029 123 45 67', 'BY', '+375291234567', 'BY'],
    ['8 10 44 20 7946 0958', 'BY', '+442079460958', 'GB'],
    ['8 65 12 34 56', 'TM', '+99365123456', 'TM'],
    // today's forms are unchanged
    ['050 123 45 67', 'UA', '+380501234567', 'UA'],
    ['0800 123 456', 'UA', '+380800123456', 'UA'],
  ];
  for (const [input, country, e164, numberCountry] of cases) {
    t.match(normalizePhone(input, { defaultCountry: country }), { ok: true, e164, country: numberCountry }, `${input} in ${country}`);
  }
  for (const p of LEGACY_PREFIXES) {
    t.match(normalizePhone(p.example, { defaultCountry: p.country }), { ok: true }, `the table's example ${p.example} reads in ${p.country}`);
  }
});

t.test('a legacy prefix does not make a wrong number right', async (t) => {
  const cases: Array<[string, string, string]> = [
    ['8 050 123 45 6', 'UA', 'a digit short'],
    ['8 050 123 45 678', 'UA', 'a digit too many'],
    ['8 050 123 45 67', 'RU', 'the Ukrainian form in Russia'],
    ['8 10 380 50 123', 'UA', 'a number too short after 8 10'],
  ];
  for (const [input, country, name] of cases) t.match(normalizePhone(input, { defaultCountry: country }), { ok: false }, name);
});
