// Combining a returning visitor's stored touch with this visit's, per model, table-driven.
import t from 'tap';
import { combineTouches } from '../../../src/dni/model.ts';
import { readTouch } from '../../../src/dni/sources.ts';
import type { AttributionModel, Touch } from '../../../src/dni/types.ts';

function touch(query: string, referrer = ''): Touch {
  const r = readTouch({ page: `https://shop.example.com/?${query}`, referrer });
  if (!r.ok) throw new Error(r.message);
  return r.touch;
}

const direct = touch('');
const organic = touch('', 'https://www.google.com/');
const social = touch('', 'https://www.facebook.com/');
const referral = touch('', 'https://partner.org/');
const adwords = touch('gclid=abc');
const email = touch('utm_source=newsletter&utm_medium=email');
const fb = touch('fbclid=f1');
const campaignOnly = touch('utm_campaign=spring', 'https://www.google.com/');

const name = (x: Touch | null): string => (x === null ? 'none' : `${x.source}/${x.medium}`);

t.test('each model keeps the source the SPEC says', async (t) => {
  // [model, stored, visit, kept]
  const rows: Array<[AttributionModel, Touch | null, Touch, Touch]> = [
    // a new visitor: this visit, whatever the model
    ['first_touch', null, direct, direct],
    ['first_touch', null, organic, organic],
    ['last_touch', null, adwords, adwords],
    ['last_non_direct', null, direct, direct],
    // first touch keeps the first…
    ['first_touch', organic, direct, organic],
    ['first_touch', organic, social, organic],
    ['first_touch', referral, organic, referral],
    ['first_touch', direct, organic, direct],
    ['first_touch', adwords, email, adwords],
    ['first_touch', email, adwords, email],
    ['first_touch', adwords, direct, adwords],
    ['first_touch', fb, organic, fb],
    // …except that a paid visit replaces a stored unpaid source
    ['first_touch', organic, adwords, adwords],
    ['first_touch', direct, adwords, adwords],
    ['first_touch', referral, email, email],
    ['first_touch', social, fb, fb],
    ['first_touch', direct, campaignOnly, campaignOnly],
    // last touch: always this visit
    ['last_touch', adwords, direct, direct],
    ['last_touch', organic, referral, referral],
    ['last_touch', direct, organic, organic],
    ['last_touch', email, adwords, adwords],
    // last non-direct: this visit unless it is direct
    ['last_non_direct', adwords, direct, adwords],
    ['last_non_direct', organic, direct, organic],
    ['last_non_direct', direct, direct, direct],
    ['last_non_direct', adwords, organic, organic],
    ['last_non_direct', organic, email, email],
    ['last_non_direct', email, referral, referral],
    ['last_non_direct', referral, social, social],
  ];
  for (const [model, stored, visit, kept] of rows) {
    t.equal(combineTouches(model, stored, visit), kept, `${model}: stored ${name(stored)}, visit ${name(visit)} → ${name(kept)}`);
  }
});
