import { isIP } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { AppError, type FieldProblem } from '../../../errors.ts';
import { loadSettings, settingsRepository, type Settings } from '../../../db/repositories/settings.ts';
import { sitesRepository } from '../../../db/repositories/sites.ts';
import { isSupportedCountry } from '../../../phone/index.ts';
import { isTimeZone } from '../../../routing/schedule.ts';
import type { AppDeps } from '../../app.ts';
import { optionalPhone, requirePhone } from '../../inputs.ts';
import { errorResponses, ProblemSchema } from '../../schemas/common.ts';
import { Type } from 'typebox';
import { createHubSpotGateway, HubSpotError, type HubSpotGateway } from '../../../crm/hubspot/client.ts';
import { checkFieldMapping, createMappedProperties, mappingTarget, targetProperties } from '../../../crm/field-mapping-check.ts';
import { sendProblem } from '../../problem.ts';
import { crmProblem } from './crm.ts';
import { Settings as SettingsSchema, SettingsPatch } from '../../schemas/settings.ts';

/** "203.0.113.7", "203.0.113.0/24", "2001:db8::/32". */
export function isAddressOrRange(text: string): boolean {
  const [address, prefix, ...rest] = text.split('/');
  const version = address === undefined || rest.length > 0 ? 0 : isIP(address);
  if (version === 0) return false;
  if (prefix === undefined) return true;
  return /^[0-9]{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128);
}

type Rules = Settings['crm_deal_pipeline_rules'];

/** Each entry of a list checked by `check` (the normalised value, or why it is refused); every bad entry named. */
function checkEach(list: readonly string[], field: string, check: (s: string) => string | { problem: string }): string[] {
  const out: string[] = [];
  const bad: FieldProblem[] = [];
  for (const [i, entry] of list.entries()) {
    const r = check(entry);
    if (typeof r === 'string') {
      if (!out.includes(r)) out.push(r);
    } else bad.push({ field: `${field}/${i}`, message: r.problem });
  }
  if (bad.length > 0) throw new AppError('VALIDATION_FAILED', bad.map((p) => `${p.field}: ${p.message}`).join('; '), bad);
  return out;
}

/** "gb" → "GB"; a code libphonenumber does not know is refused. */
function countryCode(text: string): string | { problem: string } {
  const code = text.trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(code)) return { problem: `${JSON.stringify(text)} is not an ISO 3166-1 alpha-2 country code (two letters, e.g. "GB")` };
  if (!isSupportedCountry(code)) return { problem: `${JSON.stringify(text)} is not a known ISO 3166-1 alpha-2 country code` };
  return code;
}

/** "+881" and the like: "+", then up to 15 digits, the first not 0. */
function numberPrefix(text: string): string | { problem: string } {
  return /^\+[1-9][0-9]{0,14}$/.test(text)
    ? text
    : { problem: `${JSON.stringify(text)} is not a number prefix: write "+" then the digits, with no spaces (e.g. "+881" or "+3809")` };
}

/** The patch as stored: phone numbers in E.164, addresses and referenced sites checked. */
async function normalise(patch: SettingsPatch, deps: AppDeps): Promise<Partial<Settings>> {
  const country = deps.config.defaultCountry;
  const { trunk_default_caller_id, trunk_allowed_sources, crm_deal_pipeline_rules, dial_plan_allowed_countries, dial_plan_blocked_prefixes, ...rest } =
    patch;
  const out: Partial<Settings> = { ...rest };
  if (rest.time_zone !== undefined && !isTimeZone(rest.time_zone)) {
    throw AppError.field('VALIDATION_FAILED', '/time_zone', `must be an IANA time zone name such as "Europe/Kyiv" (got ${JSON.stringify(rest.time_zone)})`);
  }
  if (trunk_default_caller_id !== undefined) {
    out.trunk_default_caller_id = optionalPhone(trunk_default_caller_id, '/trunk_default_caller_id', country, 'caller_id') ?? null;
  }
  if (trunk_allowed_sources !== undefined) {
    const bad: FieldProblem[] = trunk_allowed_sources.flatMap((s, i) =>
      isAddressOrRange(s) ? [] : [{ field: `/trunk_allowed_sources/${i}`, message: `${JSON.stringify(s)} is not an IP address or CIDR range` }],
    );
    if (bad.length > 0) throw new AppError('VALIDATION_FAILED', bad.map((p) => `${p.field}: ${p.message}`).join('; '), bad);
    out.trunk_allowed_sources = trunk_allowed_sources;
  }
  if (dial_plan_allowed_countries !== undefined) {
    out.dial_plan_allowed_countries =
      dial_plan_allowed_countries === null ? null : checkEach(dial_plan_allowed_countries, '/dial_plan_allowed_countries', countryCode);
  }
  if (dial_plan_blocked_prefixes !== undefined) {
    out.dial_plan_blocked_prefixes = checkEach(dial_plan_blocked_prefixes, '/dial_plan_blocked_prefixes', numberPrefix);
  }
  if (crm_deal_pipeline_rules !== undefined) {
    const rules: Rules = crm_deal_pipeline_rules.map((rule, i) => {
      const { tracking_number, ...match } = rule.match;
      const field = `/crm_deal_pipeline_rules/${i}/match/tracking_number`;
      return {
        ...rule,
        match: tracking_number === undefined ? match : { ...match, tracking_number: requirePhone(tracking_number, field, country, 'tracking') },
      };
    });
    const missing: FieldProblem[] = [];
    for (const [i, rule] of rules.entries()) {
      const siteId = rule.match.site_id;
      if (siteId !== undefined && !(await sitesRepository.get(deps.pool, siteId))) {
        missing.push({ field: `/crm_deal_pipeline_rules/${i}/match/site_id`, message: `site ${siteId} does not exist` });
      }
    }
    if (missing.length > 0) throw new AppError('REFERENCE_NOT_FOUND', missing.map((p) => `${p.field}: ${p.message}`).join('; '), missing);
    out.crm_deal_pipeline_rules = rules;
  }
  return out;
}

const PatchQuery = Type.Object({
  create_missing_crm_properties: Type.Boolean({
    default: false,
    description: 'create the properties crm_field_mapping names that HubSpot does not have (single-line text), instead of refusing the mapping',
  }),
});

/**
 * A new field mapping checked against HubSpot's properties (when CRM sync is on): an
 * unknown property is refused with its name, or created on request; a read-only one
 * is refused.
 */
async function checkMapping(out: Partial<Settings>, deps: AppDeps, create: boolean, gateway: () => HubSpotGateway): Promise<void> {
  if (out.crm_field_mapping === undefined || !deps.config.crm.hubspotToken) return;
  const mapping = Object.fromEntries(Object.entries(out.crm_field_mapping).filter(([, v]) => typeof v === 'string' && v !== ''));
  if (Object.keys(mapping).length === 0) return;
  const target = mappingTarget(out.crm_create_entities ?? (await loadSettings(deps.pool)).crm_create_entities);
  const problems = checkFieldMapping(mapping, target, await targetProperties(gateway(), target));
  const fixable = create && problems.every((p) => p.problem === 'unknown');
  if (problems.length > 0 && !fixable) {
    const errors: FieldProblem[] = problems.map((p) => ({ field: `/crm_field_mapping/${p.field}`, message: p.message }));
    const hint = problems.some((p) => p.problem === 'unknown') ? '; create the property in HubSpot, or save again with ?create_missing_crm_properties=true' : '';
    throw new AppError('REFERENCE_NOT_FOUND', `${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}${hint}`, errors);
  }
  if (problems.length > 0) await createMappedProperties(gateway(), target, [...new Set(problems.map((p) => p.property))]);
}

export async function settingsRoutes(fastify: FastifyInstance, opts: { deps: AppDeps }): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { deps } = opts;
  const tags = ['settings'];
  let hubspot: HubSpotGateway | undefined;
  const gateway = () => (hubspot ??= createHubSpotGateway(deps.config.crm, deps.pool, deps.logger));

  app.get('/', { schema: { tags, summary: 'Get the settings', description: 'Every setting with its current value (defaults included): CRM sync, dial plan, trunk, time zone and the rest.', response: { 200: SettingsSchema, ...errorResponses } } }, async () => loadSettings(deps.pool));

  app.patch(
    '/',
    {
      schema: {
        tags,
        summary: 'Change settings',
        description:
          'Sets the settings given; a list replaces the stored one. Phone numbers and CRM ids are checked and named when wrong. A CRM field mapping is checked against HubSpot\'s properties: an unknown or read-only property is refused by name, unless ?create_missing_crm_properties=true creates the unknown ones.',
        body: SettingsPatch, querystring: PatchQuery, response: { 200: SettingsSchema, ...errorResponses, 502: ProblemSchema, 503: ProblemSchema },
      },
    },
    async (req, reply) => {
      const out = await normalise(req.body, deps);
      try {
        await checkMapping(out, deps, req.query.create_missing_crm_properties, gateway);
      } catch (err) {
        if (err instanceof HubSpotError) return sendProblem(reply, crmProblem(err));
        throw err;
      }
      await settingsRepository.save(deps.pool, out);
      return loadSettings(deps.pool);
    },
  );
}
