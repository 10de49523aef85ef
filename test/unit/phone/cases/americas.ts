// United States, Canada, Mexico, Brazil.
import type { ValidCase } from './types.ts';

// US/CA share +1 (NANP): 10 digits NXX-NXX-XXXX, trunk prefix 1, international
// prefix 011. 555-01XX lines are reserved for fiction but valid in the plan.
// 201 = New Jersey, 202 = Washington DC, 212 = New York, 416 = Toronto (CA).
export const unitedStates: ValidCase[] = [
  ['tel:+1-201-555-0123;ext=12', 'US', '+12015550123', '12'],
  ['(201) 555-0123', 'US', '+12015550123'],
  ['201.555.0123', 'US', '+12015550123'],
  ['201/555-0123', 'US', '+12015550123'],
  ['1 (201) 555-0123', 'US', '+12015550123'],
  ['+1 201 555 0123 x123', 'UA', '+12015550123', '123'],
  ['201-555-0123 ext. 45', 'US', '+12015550123', '45'],
  ['(212) 555-0142 extension 9', 'US', '+12125550142', '9'],
  ['+1 (212) 555-0142;ext=300', 'US', '+12125550142', '300'],
  ['011 44 20 7946 0018', 'US', '+442079460018'],
  ['011 380 50 123 4567', 'US', '+380501234567'],
  // 11 digits starting 1 are no GB number (NSN at most 10 digits); they are +1 202 555 0173.
  ['12025550173', 'GB', '+12025550173'],
  ['"Front Desk" <sip:+12125550199@trunk.example;user=phone>;tag=z9hG4bK776', 'US', '+12125550199'],
  ['sip:2015550123@pbx.example', 'US', '+12015550123'],
  // An extension as a tel-style parameter of the SIP user part.
  ['sip:+1-201-555-0123;ext=77@gw.example;user=phone', 'US', '+12015550123', '77'],
  // RFC 3966 local number with a global phone-context.
  ['tel:555-0123;phone-context=+1-201', 'UA', '+12015550123'],
];

export const canada: ValidCase[] = [
  ['(416) 555-0123', 'CA', '+14165550123'],
  ['1-416-555-0123', 'US', '+14165550123'],
];

// MX, +52, 10-digit NSN since 2019 (no trunk prefix). 55 = Mexico City, 222 = Puebla.
export const mexico: ValidCase[] = [
  ['55 1234 5678', 'MX', '+525512345678'],
  ['(55) 1234-5678', 'MX', '+525512345678'],
  ['222 123 4567', 'MX', '+522221234567'],
  ['00 52 55 1234 5678', 'ES', '+525512345678'],
  ['011 52 55 1234 5678', 'US', '+525512345678'],
  ['sip:+525512345678@carrier.example;user=phone', 'MX', '+525512345678'],
];

// BR, +55, 2-digit area code + 8-digit fixed (first digit 2-5) or 9-digit mobile
// (starting 9). Trunk prefix 0, optionally followed by a 2-digit carrier code.
// 11 = São Paulo, 21 = Rio de Janeiro.
export const brazil: ValidCase[] = [
  ['(11) 98765-4321', 'BR', '+5511987654321'],
  // Trunk 0 + carrier selection code 15 + area code 11.
  ['0 15 11 98765 4321', 'BR', '+5511987654321'],
  ['(21) 2345-6789', 'BR', '+552123456789'],
  ['021 2345 6789', 'BR', '+552123456789'],
  ['+55 11 98765-4321', 'US', '+5511987654321'],
  ['00 55 21 2345 6789', 'PT', '+552123456789'],
  ['5511987654321', 'US', '+5511987654321'],
];
