// Inputs that must be rejected, with the reason code each must get.
import type { RejectCase } from './types.ts';

export const rejections: RejectCase[] = [
  ['', 'UA', 'EMPTY'],
  ['   \t ', 'UA', 'EMPTY'],

  // Withheld caller IDs (RFC 3323 and what carriers and PBXes actually send).
  ['anonymous', 'UA', 'ANONYMOUS'],
  ['Anonymous', 'US', 'ANONYMOUS'],
  ['sip:anonymous@anonymous.invalid', 'UA', 'ANONYMOUS'],
  ['"Anonymous" <sip:anonymous@localhost>', 'UA', 'ANONYMOUS'],
  ['"Anonymous" <sip:anonymous@anonymous.invalid>;tag=1928301774', 'US', 'ANONYMOUS'],
  ['<sip:anonymous.invalid>', 'US', 'ANONYMOUS'],
  ['Restricted', 'US', 'ANONYMOUS'],
  ['unavailable', 'US', 'ANONYMOUS'],
  ['private', 'GB', 'ANONYMOUS'],
  ['sip:restricted@10.0.0.1', 'RU', 'ANONYMOUS'],
  ['"Anonymous"', 'DE', 'ANONYMOUS'],
  ['Unknown Caller', 'US', 'ANONYMOUS'],

  // Not numbers.
  ['sip:alice@pbx.example', 'UA', 'NOT_A_NUMBER'],
  ['"Alice" <sip:alice@pbx.example>;tag=1', 'UA', 'NOT_A_NUMBER'],
  ['sip:pbx.example', 'UA', 'NOT_A_NUMBER'],
  ['sip:10.0.0.1', 'UA', 'NOT_A_NUMBER'],
  ['sip:@pbx.example', 'UA', 'NOT_A_NUMBER'],
  ['tel:', 'UA', 'NOT_A_NUMBER'],
  ['1-800-FLOWERS', 'US', 'NOT_A_NUMBER'],
  ['+', 'UA', 'NOT_A_NUMBER'],
  ['38+0501234567', 'UA', 'NOT_A_NUMBER'],
  ['+380501234567;ext=abc', 'UA', 'NOT_A_NUMBER'],

  // Broken syntax: must be a rejection, never an exception.
  ['sip:%2G380501234567@carrier.example', 'UA', 'MALFORMED'],
  ['sip:%2B38050123456%@carrier.example', 'UA', 'MALFORMED'],
  ['<sip:%E0%A4%A@carrier.example>', 'UA', 'MALFORMED'],
  ['"Alice <sip:+380501234567@carrier.example>', 'UA', 'MALFORMED'],
  ['<sip:+380501234567@carrier.example', 'UA', 'MALFORMED'],

  // Lengths. UA NSNs have 9 digits, NANP ones 10.
  ['12', 'UA', 'TOO_SHORT'],
  ['050 123 45', 'UA', 'TOO_SHORT'],
  ['+1 555 0100', 'US', 'TOO_SHORT'],
  ['+380 50 123 45 67 89 01', 'UA', 'TOO_LONG'],
  ['123456789012345678901234', 'UA', 'TOO_LONG'],
  ['9'.repeat(3000), 'UA', 'TOO_LONG'],

  // Right shape, no such number.
  ['+380 00 000 0000', 'UA', 'INVALID_NUMBER'],
  // NANP exchange codes cannot start with 0.
  ['+1 201 055 0123', 'US', 'INVALID_NUMBER'],
  // There is no Russian area code 000.
  ['8 (000) 123-45-67', 'RU', 'INVALID_NUMBER'],
  // 07700 900xxx is reserved by Ofcom for drama and never assigned to a network.
  ['+44 7700 900123', 'GB', 'INVALID_NUMBER'],
  // +999 is no country calling code.
  ['+999 123 4567', 'US', 'INVALID_NUMBER'],
  ['sip:+380000000000@carrier.example;user=phone', 'UA', 'INVALID_NUMBER'],

  // A US national number read in UA is no Ukrainian number; its 10 digits are not
  // taken for an international number either (+20 1555 0123 would be Egyptian).
  ['(201) 555-0123', 'UA', 'INVALID_NUMBER'],
  ['2015550123', 'UA', 'INVALID_NUMBER'],

  // Countries.
  ['0501234567', 'ZZ', 'INVALID_COUNTRY'],
  ['0501234567', 'Ukraine', 'INVALID_COUNTRY'],
  // A national number and nothing to read it in.
  ['0501234567', undefined, 'INVALID_COUNTRY'],
  ['2015550123', undefined, 'INVALID_COUNTRY'],
];
