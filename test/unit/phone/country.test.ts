// The country of an E.164 number, from its number range (the dial plan's input).
import t from 'tap';
import { countryOfE164 } from '../../../src/phone/index.ts';

t.test('countryOfE164: shared calling codes told apart by range; no country for non-geographic or unknown numbers', async (t) => {
  const rows: Array<[string, string, string | undefined]> = [
    ['Kyiv', '+380441234567', 'UA'],
    ['Washington', '+12025550123', 'US'],
    ['Toronto on +1', '+14165550123', 'CA'],
    ['Jamaica on +1', '+18765551234', 'JM'],
    ['Kazakhstan on +7', '+77012345678', 'KZ'],
    ['Moscow on +7', '+74951234567', 'RU'],
    ['Jersey on +44', '+441534123456', 'JE'],
    ['Iridium (+881)', '+881631234567', undefined],
    ['international premium rate (+979)', '+979123456789', undefined],
    ['international freephone (+800)', '+80012345678', undefined],
    ['an unassigned NANP area code', '+12005550123', undefined],
    ['a UA number in no known range', '+380900123456', undefined],
    ['a calling code nobody has', '+9911234567', undefined],
    ['not E.164: national', '0441234567', undefined],
    ['not E.164: separators', '+380 44 123 4567', undefined],
    ['not E.164: empty', '', undefined],
  ];
  for (const [name, e164, country] of rows) t.equal(countryOfE164(e164), country, `${name}: ${country ?? 'none'}`);
});
