// The snippet's pure core (src/dni/snippet/numbers.ts): matching a page's number
// by its digits, and writing the tracking number in the format the page used.
// Table-driven.
import t from 'tap';
import { digitsOf, gaIds, matchForm, rewrite, swapTel, swapText, telNumber, type Form } from '../../../src/dni/snippet/numbers.ts';
import { swapConfig } from '../../../src/dni/swap.ts';

// the site's number, and the tracking number the visit was given
const SITE = digitsOf('+380441234567', '044 123 4567');
const TRACKING = { digits: digitsOf('+380447654321', '044 765 4321'), display: '044 765 4321' };
const US_SITE = digitsOf('+12015550123', '(201) 555-0123');
const US_TRACKING = { digits: digitsOf('+12125550199', '(212) 555-0199'), display: '(212) 555-0199' };

t.test('a run of text is the site number when its digits are the international, 00 or national digits', async (t) => {
  const rows: Array<[string, Form | null]> = [
    ['+380 44 123 4567', 'intl'],
    ['+380441234567', 'intl'],
    ['+38 (044) 123-45-67', 'intl'],
    ['380 44 123 45 67', 'intl'],
    ['00380 44 123 4567', 'idd'],
    ['044 123 4567', 'national'],
    ['(044) 123-45-67', 'national'],
    ['044.123.45.67', 'national'],
    ['044-123-45-67', 'national'],
    ['0441234567', 'national'],
    ['044\u00a0123\u00a04567', 'national'],
    ['044 123 4568', null],
    ['44 123 4567', null],
    ['+380 44 123 456', null],
    ['123 4567', null],
    ['', null],
  ];
  for (const [run, form] of rows) t.equal(matchForm(run, SITE), form, JSON.stringify(run));
});

t.test('the tracking number is written in the format of the number it replaces', async (t) => {
  const rows: Array<[string, Form, string]> = [
    ['(044) 123-45-67', 'national', '(044) 765-43-21'],
    ['044 123 4567', 'national', '044 765 4321'],
    ['044.123.45.67', 'national', '044.765.43.21'],
    ['0441234567', 'national', '0447654321'],
    ['+380 44 123 4567', 'intl', '+380 44 765 4321'],
    ['+38 (044) 123-45-67', 'intl', '+38 (044) 765-43-21'],
    ['+380441234567', 'intl', '+380447654321'],
    ['00380 44 123 4567', 'idd', '00380 44 765 4321'],
    ['044\u00a0123\u00a04567', 'national', '044\u00a0765\u00a04321'],
  ];
  for (const [run, form, out] of rows) t.equal(rewrite(run, form, TRACKING.digits, TRACKING.display), out, run);
});

t.test('a tracking number with another digit count is written in its own national or international format', async (t) => {
  const short = digitsOf('+37060012345', '8 600 12345'); // Lithuania: 11 digits, national 9
  t.equal(rewrite('(044) 123-45-67', 'national', short, '8 600 12345'), '8 600 12345');
  t.equal(rewrite('+380 44 123 4567', 'intl', short, '8 600 12345'), '+37060012345');
  t.equal(rewrite('00380 44 123 4567', 'idd', short, '8 600 12345'), '0037060012345');
});

t.test('text with the site number gets the tracking number and keeps everything else', async (t) => {
  const rows: Array<[string, string]> = [
    ['Call us: (044) 123-45-67', 'Call us: (044) 765-43-21'],
    ['Call +380 44 123 4567 today', 'Call +380 44 765 4321 today'],
    ['Tel. 044.123.45.67, fax 044.123.45.68', 'Tel. 044.765.43.21, fax 044.123.45.68'],
    ['044 123 4567 or +380 44 123 4567', '044 765 4321 or +380 44 765 4321'],
    ['044 123 4567 2nd floor', '044 765 4321 2nd floor'],
    ['Office 12, 044 123 4567', 'Office 12, 044 765 4321'],
    ['044 123 4567 044 999 8877', '044 765 4321 044 999 8877'],
    ['Open 9-18, ZIP 01001', 'Open 9-18, ZIP 01001'],
    ['Order 2024-01-15 total 1 234 567', 'Order 2024-01-15 total 1 234 567'],
    ['no number here', 'no number here'],
  ];
  for (const [text, out] of rows) t.equal(swapText(text, [SITE], TRACKING), out, text);
});

t.test('North American numbers: (201) 555-0123, 201-555-0123, 1-201-555-0123, +1 201 555 0123', async (t) => {
  const rows: Array<[string, string]> = [
    ['(201) 555-0123', '(212) 555-0199'],
    ['201-555-0123', '212-555-0199'],
    ['201.555.0123', '212.555.0199'],
    ['1-201-555-0123', '1-212-555-0199'],
    ['+1 201 555 0123', '+1 212 555 0199'],
    ['+1 (201) 555-0123', '+1 (212) 555-0199'],
  ];
  for (const [text, out] of rows) t.equal(swapText(text, [US_SITE], US_TRACKING), out, text);
});

t.test('in an element marked for swapping, any phone-length number is replaced, in its own format', async (t) => {
  const rows: Array<[string, string]> = [
    ['(050) 111-22-33', '(044) 765-43-21'],
    ['+380 50 111 2233', '+380 44 765 4321'],
    ['Call 044 123 4567', 'Call 044 765 4321'],
    ['Open 9-18', 'Open 9-18'],
  ];
  for (const [text, out] of rows) t.equal(swapText(text, [SITE], TRACKING, true), out, text);
});

t.test('swapping is idempotent: text already showing the tracking number is left as it is', async (t) => {
  for (const text of ['(044) 765-43-21', 'Call +380 44 765 4321']) {
    t.equal(swapText(text, [SITE], TRACKING), text, text);
    t.equal(swapText(text, [SITE, TRACKING.digits], TRACKING, true), text, `${text} (marked)`);
  }
});

t.test('a page showing an earlier tracking number gets the new one when that number is among those looked for', async (t) => {
  const next = { digits: digitsOf('+380449990000', '044 999 0000'), display: '044 999 0000' };
  t.equal(swapText('Call (044) 765-43-21', [SITE, TRACKING.digits], next), 'Call (044) 999-00-00');
});

t.test('tel: links to the site number get the tracking number as E.164', async (t) => {
  const rows: Array<[string, string | null]> = [
    ['tel:+380441234567', 'tel:+380447654321'],
    ['tel:0441234567', 'tel:+380447654321'],
    ['tel:044-123-45-67', 'tel:+380447654321'],
    ['TEL:+38%20044%20123%2045%2067', 'tel:+380447654321'],
    ['tel:+380441234567;ext=12', 'tel:+380447654321'],
    ['tel:+380501112233', null],
    ['tel:+380447654321', null],
    ['mailto:shop@example.com', null],
    ['https://example.com/0441234567', null],
  ];
  for (const [href, out] of rows) t.equal(swapTel(href, [SITE], TRACKING.digits), out, href);
  t.equal(swapTel('tel:+380501112233', [SITE], TRACKING.digits, true), 'tel:+380447654321', 'a marked link: any number');
  t.equal(telNumber('tel:+380%2044'), '+380 44');
  t.equal(telNumber('tel:%E0%A4%A'), '%E0%A4%A', 'a broken escape is read as it is');
});

t.test('Google Analytics client and session ids from the _ga cookies', async (t) => {
  const rows: Array<[string, string | null, string | null]> = [
    ['_ga=GA1.1.1234567890.1700000000; _ga_ABC123=GS1.1.1700000100.3.1.1700000200.0.0.0', '1234567890.1700000000', '1700000100'],
    ['x=1; _ga=GA1.2.55.66; _ga_Z9=GS2.1.s1700000300$o4$g1$t1700000400$j0$l0$h0', '55.66', '1700000300'],
    ['_ga=GA1.1.1234567890.1700000000', '1234567890.1700000000', null],
    ['_gat=1; _ga=broken', null, null],
    ['', null, null],
  ];
  for (const [cookie, client, session] of rows) t.same(gaIds(cookie), { client_id: client, session_id: session }, cookie);
});

t.test("a site's phone texts become E.164 with their national format, read in the fallback number's country", async (t) => {
  const c = swapConfig(
    {
      swap_phone_texts: ['(044) 123-45-67', '+380 44 123 4567', '050 111 22 33', 'not a phone'],
      swap_selectors: ['.phone', '#footer-tel'],
      fallback_number: '+380441999999',
    },
    'US',
  );
  t.same(c, {
    numbers: [
      { number: '+380441234567', display: '044 123 4567' },
      { number: '+380501112233', display: '050 111 2233' },
    ],
    selectors: ['.phone', '#footer-tel'],
  });
});
