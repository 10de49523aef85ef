// The one phone-number module of ringpath (SPEC §7). It is the only importer of
// libphonenumber-js: every number stored or compared anywhere goes through here.
export { normalizePhone, isSupportedCountry, isE164, countryOfE164, formatNational, type PhoneResult, type PhoneRejection } from './normalize.ts';
