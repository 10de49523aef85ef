// The 'call_export' job: one call to GA4 (once) and its Google Ads feed status.
// A GA4 request that fails throws, so the queue retries it (with graphile-worker's
// own backoff); the call shows `failed` with the reason once the retries run out.
import type { Pool } from '../db/pool.ts';
import type { Logger } from '../logger.ts';
import { adsDecision } from './ads-feed.ts';
import { adsCallOf, adsOf, exportStore, ga4CallOf, ga4Of, ruleOf } from './export-store.ts';
import { ga4Request } from './ga4.ts';
import { post, type PostOptions } from './http-post.ts';
import { qualify } from './qualify.ts';

export interface ExportDeps {
  readonly pool: Pool;
  readonly logger: Logger;
  readonly ga4BaseUrl: string;
  readonly http: PostOptions;
  readonly now?: () => Date;
}

export async function exportCall(deps: ExportDeps, callId: string, attempt: { attempts: number; maxAttempts: number }): Promise<void> {
  const now = (deps.now ?? (() => new Date()))();
  const call = await exportStore.call(deps.pool, callId);
  if (!call || call.direction !== 'inbound') return;
  const settings = call.site_id === null ? undefined : await exportStore.settings(deps.pool, call.site_id);
  const qualification = qualify(
    { disposition: call.disposition, talkDurationMs: call.talk_duration_ms, firstTimeCaller: call.first_time_caller },
    settings ? ruleOf(settings) : { minTalkS: 30, answered: true, firstTime: false },
  );

  if (settings?.ads_feed_user) {
    const ads = adsDecision(adsCallOf(call), qualification, now);
    await exportStore.setStatus(deps.pool, callId, 'google_ads', ads.include ? 'included' : 'excluded', ads.include ? 'in the Google Ads feed' : ads.reason);
  }

  const ga4 = settings ? ga4Of(settings) : undefined;
  if (!ga4) {
    // a call with no visit behind it cannot be tied to any site's GA4 property
    if (call.site_id === null) await exportStore.setStatus(deps.pool, callId, 'ga4', 'skipped', 'no GA client id: the call is not attributed to a visitor session');
    return;
  }
  if ((await exportStore.status(deps.pool, callId, 'ga4'))?.state === 'sent') return;
  const decision = ga4Request(ga4CallOf(call), ga4, qualification, now);
  if (!decision.send) {
    await exportStore.setStatus(deps.pool, callId, 'ga4', 'skipped', decision.reason);
    return;
  }
  const url = `${deps.ga4BaseUrl}/mp/collect?measurement_id=${encodeURIComponent(ga4.measurementId)}&api_secret=${encodeURIComponent(ga4.apiSecret)}`;
  const res = await post(url, JSON.stringify(decision.body), {}, deps.http);
  if (res.ok && res.status >= 200 && res.status < 300) {
    await exportStore.setStatus(deps.pool, callId, 'ga4', 'sent', `${decision.events.join(' and ')}; ${decision.note}`);
    return;
  }
  const why = res.ok ? `GA4 answered HTTP ${res.status}` : res.error;
  const last = attempt.attempts >= attempt.maxAttempts;
  await exportStore.setStatus(deps.pool, callId, 'ga4', last ? 'failed' : 'pending', last ? why : `attempt ${attempt.attempts} failed: ${why}; retrying`);
  deps.logger.warn({ callId, attempt: attempt.attempts, why }, 'sending the call to GA4 failed');
  if (!last) throw new Error(`GA4: ${why}`);
}
