// A site's exports: GA4 Measurement Protocol, the qualified-call rule and the
// Google Ads feed credentials (/api/v1/sites/{id}/exports). Secrets are write-only.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { hashPassword } from '../../../auth/password.ts';
import { sitesRepository } from '../../../db/repositories/sites.ts';
import { AppError, notFound, type FieldProblem } from '../../../errors.ts';
import { isTimeZone } from '../../../outbound/ads-feed.ts';
import { exportStore, type SiteExportsPatch, type SiteExportsRow } from '../../../outbound/export-store.ts';
import { eventNameProblem, MEASUREMENT_ID } from '../../../outbound/ga4.ts';
import type { AppDeps } from '../../app.ts';
import { IdParams, errorResponses } from '../../schemas/common.ts';
import { SiteExports, SiteExportsPut } from '../../schemas/outbound.ts';

export function toSiteExports(r: SiteExportsRow | undefined, siteId: number, publicUrl: string): SiteExports {
  return {
    site_id: siteId,
    ga4: r?.ga4_measurement_id
      ? { measurement_id: r.ga4_measurement_id, api_secret_set: r.ga4_api_secret !== null, event_name: r.ga4_event_name, conversion_event: r.ga4_conversion_event }
      : null,
    qualified_call: { min_talk_s: r?.qualify_min_talk_s ?? 30, answered: r?.qualify_answered ?? true, first_time_caller: r?.qualify_first_time ?? false },
    google_ads: r?.ads_feed_user
      ? {
          feed_url: `${publicUrl}/exports/google-ads/${siteId}.csv`,
          feed_user: r.ads_feed_user,
          conversion_name: r.ads_conversion_name,
          conversion_value: Number(r.ads_conversion_value),
          currency: r.ads_currency,
          time_zone: r.ads_time_zone,
        }
      : null,
  };
}

/** Every problem of the body at once, each naming its field; nothing is stored when there is one. */
async function patchOf(body: SiteExportsPut, current: SiteExportsRow | undefined): Promise<SiteExportsPatch> {
  const problems: FieldProblem[] = [];
  const patch: SiteExportsPatch = {};
  if (body.ga4 === null) Object.assign(patch, { ga4MeasurementId: null, ga4ApiSecret: null });
  else if (body.ga4) {
    if (!MEASUREMENT_ID.test(body.ga4.measurement_id)) problems.push({ field: '/ga4/measurement_id', message: 'must be a GA4 measurement id like G-ABC123XYZ' });
    patch.ga4MeasurementId = body.ga4.measurement_id;
    if (body.ga4.api_secret !== undefined) patch.ga4ApiSecret = body.ga4.api_secret;
    else if (!current?.ga4_api_secret) problems.push({ field: '/ga4/api_secret', message: 'is required the first time GA4 is set up' });
    for (const [key, field] of [['event_name', 'ga4EventName'], ['conversion_event', 'ga4ConversionEvent']] as const) {
      const name = body.ga4[key];
      if (name === undefined) continue;
      const why = eventNameProblem(name);
      if (why) problems.push({ field: `/ga4/${key}`, message: why });
      patch[field] = name;
    }
  }
  if (body.qualified_call) {
    if (body.qualified_call.min_talk_s !== undefined) patch.minTalkS = body.qualified_call.min_talk_s;
    if (body.qualified_call.answered !== undefined) patch.answered = body.qualified_call.answered;
    if (body.qualified_call.first_time_caller !== undefined) patch.firstTime = body.qualified_call.first_time_caller;
  }
  if (body.google_ads === null) Object.assign(patch, { adsFeedUser: null, adsFeedPasswordHash: null });
  else if (body.google_ads) {
    const g = body.google_ads;
    patch.adsFeedUser = g.feed_user;
    if (g.feed_password !== undefined) patch.adsFeedPasswordHash = await hashPassword(g.feed_password);
    else if (!current?.ads_feed_password_hash) problems.push({ field: '/google_ads/feed_password', message: 'is required the first time the feed is set up' });
    if (g.time_zone !== undefined) {
      if (!isTimeZone(g.time_zone)) problems.push({ field: '/google_ads/time_zone', message: `is not an IANA time zone (got ${g.time_zone})` });
      patch.adsTimeZone = g.time_zone;
    }
    if (g.conversion_name !== undefined) patch.adsConversionName = g.conversion_name;
    if (g.conversion_value !== undefined) patch.adsConversionValue = g.conversion_value;
    if (g.currency !== undefined) patch.adsCurrency = g.currency;
  }
  if (problems.length) {
    throw new AppError('VALIDATION_FAILED', `invalid request: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`, problems);
  }
  return patch;
}

export async function siteExportRoutes(fastify: FastifyInstance, opts: { deps: AppDeps }): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { pool, config } = opts.deps;
  const tags = ['sites'];

  app.get('/:id/exports', { schema: { tags, summary: "Read a site's exports", description: "The site's GA4 property, qualified-call rule and Google Ads feed. Secrets are never shown: `api_secret_set` says whether one is stored.", params: IdParams, response: { 200: SiteExports, ...errorResponses } } }, async (req) => {
    if (!(await sitesRepository.get(pool, req.params.id))) throw notFound('site', req.params.id);
    return toSiteExports(await exportStore.settings(pool, req.params.id), req.params.id, config.publicUrl);
  });

  app.put(
    '/:id/exports',
    {
      schema: {
        tags,
        summary: "Set a site's exports",
        description: "Set the site's GA4 property, qualified-call rule and Google Ads feed. Only the sections sent change; null turns one off. The GA4 API secret and the feed password are write-only and kept when left out.",
        params: IdParams,
        body: SiteExportsPut,
        response: { 200: SiteExports, ...errorResponses },
      },
    },
    async (req) => {
      if (!(await sitesRepository.get(pool, req.params.id))) throw notFound('site', req.params.id);
      const patch = await patchOf(req.body, await exportStore.settings(pool, req.params.id));
      return toSiteExports(await exportStore.save(pool, req.params.id, patch), req.params.id, config.publicUrl);
    },
  );
}
