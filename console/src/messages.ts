// Every text of the console, in one catalogue: English and Ukrainian
// (messages/en.ts, messages/uk.ts). A new language is one more file typed
// Shape<Messages>, which makes it carry every key.
import { en } from './messages/en.ts';
import { uk } from './messages/uk.ts';

export type { Messages } from './messages/en.ts';
export const catalogue = { en, uk } as const;
export type Language = keyof typeof catalogue;
