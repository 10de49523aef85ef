// United Kingdom, Germany, France, Spain, Italy, Poland, Netherlands.
import type { ValidCase } from './types.ts';

// GB, +44, trunk prefix 0. 20 7946 0xxx = London (Ofcom's range for drama, a valid
// fixed-line range), 121 496 0xxx = Birmingham (likewise), 7400 = mobile.
export const unitedKingdom: ValidCase[] = [
  ['020 7946 0018', 'GB', '+442079460018'],
  // "(0)": the trunk prefix shown in an international number, not dialled.
  ['+44 (0)20 7946 0018', 'GB', '+442079460018'],
  ['07400 123456', 'GB', '+447400123456'],
  ['0121 496 0123', 'GB', '+441214960123'],
  ['00 44 7400 123456', 'FR', '+447400123456'],
  // Country code 44 without "+", default US: 12 digits are no US number.
  ['442079460018', 'US', '+442079460018'],
  ['sip:+442079460018@sbc.example.co.uk;user=phone', 'GB', '+442079460018'],
  ['020-7946-0018 x 22', 'GB', '+442079460018', '22'],
  // Only the first identity of a multi-value P-Asserted-Identity is read.
  ['P-Asserted-Identity: <sip:+447400123456@ims.example;user=phone>, <tel:+447400123456>', 'GB', '+447400123456'],
];

// DE, +49, trunk prefix 0, variable length. 30 = Berlin (8-digit subscriber),
// 89 = Munich (7-digit subscriber), 151 = Telekom mobile (8-digit subscriber).
export const germany: ValidCase[] = [
  ['0151 23456789', 'DE', '+4915123456789'],
  ['030 12345678', 'DE', '+493012345678'],
  ['030/12345678', 'DE', '+493012345678'],
  ['(089) 1234567', 'DE', '+49891234567'],
  ['+49 (0)30 12345678', 'DE', '+493012345678'],
  // 00 international prefix, dialled from Austria.
  ['0049 151 23456789', 'AT', '+4915123456789'],
  ['<tel:+49-30-12345678>', 'DE', '+493012345678'],
  ['4915123456789', 'US', '+4915123456789'],
  // Ambiguity: with default DE, these digits are a valid German national number
  // (03361 = Fürstenwalde, subscriber 2345678), which wins over +33 6 12 34 56 78.
  ['33612345678', 'DE', '+4933612345678'],
  ['0151-234 567 89', 'DE', '+4915123456789'],
];

// FR, +33, 9-digit NSN, trunk prefix 0. 6 = mobile, 1 = Paris region.
export const france: ValidCase[] = [
  ['06 12 34 56 78', 'FR', '+33612345678'],
  ['06.12.34.56.78', 'FR', '+33612345678'],
  ['01 23 45 67 89', 'FR', '+33123456789'],
  ['+33 (0)6 12 34 56 78', 'DE', '+33612345678'],
  ['0033 6 12 34 56 78', 'ES', '+33612345678'],
  // The same digits as the German ambiguity case above; with default US it can only be French.
  ['33612345678', 'US', '+33612345678'],
  ['"Marie" <sip:0612345678@ipbx.example.fr>;tag=abc', 'FR', '+33612345678'],
];

// ES, +34, 9-digit NSN, no trunk prefix. 6xx = mobile, 91 = Madrid.
export const spain: ValidCase[] = [
  ['00 34 612 345 678', 'UA', '+34612345678'],
  ['612 34 56 78', 'ES', '+34612345678'],
  ['91 123 45 67', 'ES', '+34911234567'],
  ['+34 912 345 678', 'ES', '+34912345678'],
  // 11 digits are no GB national number; they are a Spanish mobile with its country code.
  ['34612345678', 'GB', '+34612345678'],
  ['011 34 612 345 678', 'US', '+34612345678'],
  ['sip:612345678@pbx.example.es', 'ES', '+34612345678'],
];

// IT, +39, no trunk prefix: the leading 0 of fixed numbers is part of the number.
// 06 = Rome, 02 = Milan, 3xx = mobile.
export const italy: ValidCase[] = [
  ['06 1234 5678', 'IT', '+390612345678'],
  ['02 1234 5678', 'IT', '+390212345678'],
  ['312 345 6789', 'IT', '+393123456789'],
  ['+39 06 1234 5678', 'FR', '+390612345678'],
  ['0039 312 345 6789', 'DE', '+393123456789'],
  ['tel:+39-06-1234-5678', 'IT', '+390612345678'],
  ['390612345678', 'US', '+390612345678'],
];

// PL, +48, 9-digit NSN, no trunk prefix. 22 = Warsaw, 5xx = mobile.
export const poland: ValidCase[] = [
  ['22 123 45 67', 'PL', '+48221234567'],
  ['(22) 123-45-67', 'PL', '+48221234567'],
  ['512 345 678', 'PL', '+48512345678'],
  ['512-345-678', 'PL', '+48512345678'],
  ['+48 512 345 678', 'UA', '+48512345678'],
  ['0048 512 345 678', 'DE', '+48512345678'],
  // 11 digits are no Ukrainian number (9-digit NSN); they are a Polish mobile.
  ['48512345678', 'UA', '+48512345678'],
];

// NL, +31, 9-digit NSN, trunk prefix 0. 6 = mobile, 20 = Amsterdam.
export const netherlands: ValidCase[] = [
  ['06 12345678', 'NL', '+31612345678'],
  ['020 123 4567', 'NL', '+31201234567'],
  ['+31 (0)20 123 4567', 'GB', '+31201234567'],
];
