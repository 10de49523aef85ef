// Which source a returning visitor's session keeps (SPEC §4): the touch stored
// from their earlier visits combined with this visit's, per the site's model. Pure.
import { isCampaign, isDirect } from './sources.ts';
import type { AttributionModel, Touch } from './types.ts';

export const ATTRIBUTION_MODELS: readonly AttributionModel[] = ['first_touch', 'last_touch', 'last_non_direct'];

/**
 * - `first_touch` (the default): the first source is kept, except that a paid visit
 *   (a UTM or a click id) replaces a stored unpaid one (organic, social, referral, direct).
 * - `last_touch`: this visit's source.
 * - `last_non_direct`: this visit's source, unless it is direct and a source is stored.
 * Without a stored touch (a new visitor) every model gives this visit's touch.
 */
export function combineTouches(model: AttributionModel, stored: Touch | null, visit: Touch): Touch {
  if (stored === null) return visit;
  switch (model) {
    case 'first_touch':
      return isCampaign(visit) && !isCampaign(stored) ? visit : stored;
    case 'last_touch':
      return visit;
    case 'last_non_direct':
      return isDirect(visit) ? stored : visit;
  }
}
