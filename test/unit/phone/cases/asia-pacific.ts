// India, Japan, Australia.
import type { ValidCase } from './types.ts';

// IN, +91, 10-digit NSN, trunk prefix 0, international prefix 00.
// 9xxxx = mobile, 11 = Delhi and 22 = Mumbai (8-digit subscribers starting 2).
export const india: ValidCase[] = [
  ['098765 43210', 'IN', '+919876543210'],
  ['98765 43210', 'IN', '+919876543210'],
  ['+91-98765-43210', 'US', '+919876543210'],
  // "011" here is trunk 0 + Delhi's 11, not the North American international prefix.
  ['011 2345 6789', 'IN', '+911123456789'],
  ['022 2345 6789', 'IN', '+912223456789'],
  // 12 digits are no GB number; they are an Indian mobile with its country code.
  ['919876543210', 'GB', '+919876543210'],
];

// JP, +81, trunk prefix 0. 90 = mobile (8-digit subscriber), 3 = Tokyo (8-digit subscriber).
export const japan: ValidCase[] = [
  ['090-1234-5678', 'JP', '+819012345678'],
  ['03-1234-5678', 'JP', '+81312345678'],
  // Full-width digits and separators, as typed with a Japanese input method.
  ['０９０－１２３４－５６７８', 'JP', '+819012345678'],
  ['（０３）１２３４ー５６７８', 'JP', '+81312345678'],
];

// AU, +61, 9-digit NSN, trunk prefix 0. 4 = mobile, 2 = New South Wales / ACT.
export const australia: ValidCase[] = [
  ['0412 345 678', 'AU', '+61412345678'],
  ['(02) 1234 5678', 'AU', '+61212345678'],
  ['+61 4 1234 5678', 'NZ', '+61412345678'],
];
