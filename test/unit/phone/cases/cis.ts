// Ukraine, Russia, Kazakhstan.
import type { ValidCase } from './types.ts';

// UA, +380, 9-digit national significant number (NSN), trunk prefix 0.
// 50 = Vodafone mobile, 67 = Kyivstar mobile, 63 = lifecell mobile,
// 44 = Kyiv (7-digit subscriber), 32 = Lviv (7-digit subscriber starting 2).
export const ukraine: ValidCase[] = [
  ['(050) 123-45-67', 'UA', '+380501234567'],
  ['0501234567', 'UA', '+380501234567'],
  ['050 123 45 67', 'UA', '+380501234567'],
  ['050.123.45.67', 'UA', '+380501234567'],
  // The usual Ukrainian way of writing it: "+38" followed by the 10-digit national form.
  ['+38 (050) 123-45-67', 'UA', '+380501234567'],
  // Country code 380 written without "+": national reading with the own country code.
  ['380501234567', 'UA', '+380501234567'],
  // A common slip: the trunk 0 kept after +380; the 0 is dropped.
  ['+380 (050) 123-45-67', 'UA', '+380501234567'],
  ['sip:+380501234567@carrier.example;user=phone', 'UA', '+380501234567'],
  // "+" makes the default country irrelevant.
  ['sips:+380501234567@carrier.example;user=phone', 'US', '+380501234567'],
  ['"Іван Петренко" <sip:+380671234567@sbc.example;user=phone>;tag=abc', 'UA', '+380671234567'],
  ['<sip:0441234567@pbx.example>;tag=9f8e7d', 'UA', '+380441234567'],
  ['tel:+380-44-123-45-67', 'US', '+380441234567'],
  // URL-encoded "+" in the user part.
  ['sip:%2B380631234567@carrier.example;user=phone', 'UA', '+380631234567'],
  ['(032) 297-12-34', 'UA', '+380322971234'],
  // "доб." = extension, in Ukrainian and Russian.
  ['044 123 4567 доб. 205', 'UA', '+380441234567', '205'],
  // 00 international prefix, dialled from Poland.
  ['00 380 50 123 45 67', 'PL', '+380501234567'],
  // Country code without "+", default US: not a valid US number (12 digits), a valid Ukrainian one.
  ['380671234567', 'US', '+380671234567'],
  ['From: "Оператор" <sip:+380631234567@carrier.example;user=phone>;tag=1', 'UA', '+380631234567'],
  // A SIP URI cut short to its number (no "@host"): the number is still read.
  ['sip:0501234567;user=phone', 'UA', '+380501234567'],
];

// RU, +7, 10-digit NSN, trunk prefix 8, international prefix 810.
// 495 = Moscow, 812 = St Petersburg, 9xx = mobile, 800 = freephone.
export const russia: ValidCase[] = [
  ['8 (495) 123-45-67', 'RU', '+74951234567'],
  ['+7 495 123-45-67', 'RU', '+74951234567'],
  // Country code 7 without "+".
  ['7 (495) 123-45-67', 'RU', '+74951234567'],
  ['8-912-345-67-89', 'RU', '+79123456789'],
  ['89161234567', 'RU', '+79161234567'],
  ['8 (812) 123-45-67', 'RU', '+78121234567'],
  ['8 (800) 123-45-67', 'RU', '+78001234567'],
  ['sip:+79123456789@sip.carrier.example;user=phone', 'RU', '+79123456789'],
  // Trunk prefix inside a SIP user part.
  ['"Иван" <sip:84951234567@pbx.local>;tag=1', 'RU', '+74951234567'],
  // 810 = Russian international prefix; 34 612 345 678 is a Spanish mobile.
  ['8 10 34 612 345 678', 'RU', '+34612345678'],
  ['00 7 495 123 45 67', 'UA', '+74951234567'],
  ['+7 (916) 123-45-67 доб. 3', 'RU', '+79161234567', '3'],
];

// KZ shares +7 with RU: 10-digit NSN, trunk prefix 8. 701/705 = mobile,
// 727 = Almaty (7-digit subscriber starting 2), 7172 = Astana (6-digit subscriber).
export const kazakhstan: ValidCase[] = [
  ['8 (701) 123 45 67', 'KZ', '+77011234567'],
  // Default RU, but 701 is a Kazakh range of +7: still one valid +7 number.
  ['8 701 123 4567', 'RU', '+77011234567'],
  ['+7 7172 12 34 56', 'KZ', '+77172123456'],
  ['8 (727) 258-12-34', 'KZ', '+77272581234'],
  ['sip:+77051234567@kz.carrier.example', 'US', '+77051234567'],
  ['77011234567', 'KZ', '+77011234567'],
];
