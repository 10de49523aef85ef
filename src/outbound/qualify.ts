// Which calls count as leads: the qualified-call rule behind the GA4 conversion
// event and the Google Ads feed. Pure and table-tested.

export interface QualifyRule {
  /** Talk time the call needs, in seconds (0: any). */
  readonly minTalkS: number;
  /** Only answered calls qualify. */
  readonly answered: boolean;
  /** Only a caller's first call qualifies. */
  readonly firstTime: boolean;
}

export interface CallToQualify {
  readonly disposition: string;
  readonly talkDurationMs: number;
  readonly firstTimeCaller: boolean;
}

export type Qualification = { readonly qualified: true } | { readonly qualified: false; readonly reason: string };

export function qualify(call: CallToQualify, rule: QualifyRule): Qualification {
  if (rule.answered && call.disposition !== 'answered') return { qualified: false, reason: `not answered (${call.disposition})` };
  const talkS = Math.floor(call.talkDurationMs / 1000);
  if (talkS < rule.minTalkS) return { qualified: false, reason: `talk time ${talkS} s is under ${rule.minTalkS} s` };
  if (rule.firstTime && !call.firstTimeCaller) return { qualified: false, reason: 'not a first-time caller' };
  return { qualified: true };
}
