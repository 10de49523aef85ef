// GET /exports/google-ads/{siteId}.csv: the site's offline-conversion feed for
// Google Ads' scheduled uploads, behind HTTP basic auth (the site's feed user and
// password). Each call considered gets its Google Ads status: in the feed, or why not.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { verifyPassword } from '../../auth/password.ts';
import { problem, sendProblem } from '../problem.ts';
import type { AppDeps } from '../app.ts';
import { adsDecision, CLICK_WINDOW_MS, feedCsv, type CallForAds } from '../../outbound/ads-feed.ts';
import { adsCallOf, adsOf, exportStore, ruleOf } from '../../outbound/export-store.ts';
import { qualify } from '../../outbound/qualify.ts';

/** user and password of a Basic Authorization header, or undefined. */
export function basicCredentials(header: string | undefined): { user: string; password: string } | undefined {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!m) return undefined;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

const refuse = (reply: FastifyReply) => {
  void reply.header('www-authenticate', 'Basic realm="ringpath Google Ads feed", charset="UTF-8"');
  return sendProblem(reply, problem(401, 'UNAUTHORIZED', 'the feed needs the site\'s feed user and password (HTTP basic auth)'));
};

export async function googleAdsFeedRoutes(app: FastifyInstance, opts: { deps: AppDeps; now?: () => Date }): Promise<void> {
  const { pool } = opts.deps;
  app.get<{ Params: { file: string } }>('/google-ads/:file', { schema: { hide: true } }, async (req, reply) => {
    const m = /^([1-9][0-9]{0,15})\.csv$/.exec(req.params.file);
    if (!m) return sendProblem(reply, problem(404, 'NOT_FOUND', 'the feed is /exports/google-ads/{site id}.csv'));
    const siteId = Number(m[1]);
    const settings = await exportStore.settings(pool, siteId);
    const creds = basicCredentials(req.headers.authorization);
    // the same answer for an unknown site and a wrong password
    if (!settings?.ads_feed_user || !settings.ads_feed_password_hash || !creds) return refuse(reply);
    const passwordOk = await verifyPassword(creds.password, settings.ads_feed_password_hash);
    if (!passwordOk || creds.user !== settings.ads_feed_user) return refuse(reply);

    const now = (opts.now ?? (() => new Date()))();
    // calls up to a day older than the click window, so an expired click shows its reason
    const calls = await exportStore.siteCalls(pool, siteId, new Date(now.getTime() - CLICK_WINDOW_MS - 86_400_000));
    const rule = ruleOf(settings);
    const included: CallForAds[] = [];
    for (const c of calls) {
      const q = qualify({ disposition: c.disposition, talkDurationMs: c.talk_duration_ms, firstTimeCaller: c.first_time_caller }, rule);
      const ads = adsCallOf(c);
      const d = adsDecision(ads, q, now);
      if (d.include) included.push(ads);
      await exportStore.setStatus(pool, c.id, 'google_ads', d.include ? 'included' : 'excluded', d.include ? 'in the Google Ads feed' : d.reason);
    }
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(feedCsv(included, adsOf(settings)));
  });
}
