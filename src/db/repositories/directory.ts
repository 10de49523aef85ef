// What call handling reads: tracking numbers with their scheme, employees with
// their destinations, mapped into the routing engine's own types.
import type { Destination, Employee, Scheme, Step, WorkingHours } from '../../routing/types.ts';
import type { Queryable } from '../pool.ts';

export interface StaticSource {
  readonly name: string;
  readonly utmSource: string | null;
  readonly utmMedium: string | null;
  readonly utmCampaign: string | null;
  readonly utmContent: string | null;
  readonly utmTerm: string | null;
}

export interface ResolvedTrackingNumber {
  readonly id: number;
  readonly number: string;
  readonly kind: 'static' | 'pool';
  readonly poolId: number | null;
  readonly siteId: number | null;
  /** The number's own scheme, else its pool's; null when neither has one. */
  readonly schemeId: number | null;
  readonly staticSource: StaticSource | null;
  /**
   * The site whose fallback number this is (sites.fallback_number), or null. A call
   * to it is attributed as "unattributed (pool exhausted)" (SPEC §4). A fallback
   * number is routed like any tracking number, so it must be one (a static number
   * with its own scheme); one that is not gets 404 TRACKING_NUMBER_UNKNOWN.
   */
  readonly fallbackForSiteId?: number | null;
}

/** An employee as call handling sees them: the engine's view plus recognition data. */
export interface DirectoryEmployee extends Employee {
  readonly extension: string | null;
  readonly additionalDestinations: readonly Destination[];
  /** SIP account logins among the employee's destinations (main and additional). */
  readonly sipLogins: readonly string[];
}

export async function resolveTrackingNumber(db: Queryable, e164: string): Promise<ResolvedTrackingNumber | undefined> {
  const { rows } = await db.query<{
    id: number;
    number: string;
    kind: 'static' | 'pool';
    pool_id: number | null;
    site_id: number | null;
    scheme_id: number | null;
    source_name: string | null;
    utm_source: string | null;
    utm_medium: string | null;
    utm_campaign: string | null;
    utm_content: string | null;
    utm_term: string | null;
    fallback_for_site_id: number | null;
  }>(
    `SELECT t.id, t.number, t.kind, t.pool_id, p.site_id, coalesce(t.routing_scheme_id, p.routing_scheme_id) AS scheme_id,
            t.source_name, t.utm_source, t.utm_medium, t.utm_campaign, t.utm_content, t.utm_term,
            (SELECT min(s.id) FROM sites s WHERE s.fallback_number = t.number) AS fallback_for_site_id
       FROM tracking_numbers t LEFT JOIN pools p ON p.id = t.pool_id
      WHERE t.number = $1`,
    [e164],
  );
  const r = rows[0];
  if (!r) return undefined;
  return {
    id: r.id,
    number: r.number,
    kind: r.kind,
    poolId: r.pool_id,
    siteId: r.site_id,
    schemeId: r.scheme_id,
    staticSource:
      r.kind === 'static'
        ? {
            name: r.source_name ?? 'static number',
            utmSource: r.utm_source,
            utmMedium: r.utm_medium,
            utmCampaign: r.utm_campaign,
            utmContent: r.utm_content,
            utmTerm: r.utm_term,
          }
        : null,
    fallbackForSiteId: r.fallback_for_site_id === null ? null : Number(r.fallback_for_site_id),
  };
}

interface DestinationRow {
  employee_id: number;
  role: 'main' | 'additional';
  type: 'phone' | 'sip_account' | 'sip_uri';
  phone: string | null;
  login: string | null;
  sip_uri: string | null;
}

function toDestination(r: DestinationRow): Destination | undefined {
  if (r.type === 'phone' && r.phone) return { type: 'phone', number: r.phone };
  if (r.type === 'sip_account' && r.login) return { type: 'sip_account', login: r.login };
  if (r.type === 'sip_uri' && r.sip_uri) return { type: 'sip_uri', uri: r.sip_uri };
  return undefined;
}

export async function loadEmployees(db: Queryable): Promise<DirectoryEmployee[]> {
  const [employees, destinations] = await Promise.all([
    db.query<{
      id: number;
      full_name: string;
      sales_role: Employee['salesRole'];
      receives_new_clients: boolean;
      is_senior_manager: boolean;
      hubspot_owner_id: string | null;
      extension: string | null;
    }>(
      `SELECT id, full_name, sales_role, receives_new_clients, is_senior_manager, hubspot_owner_id, extension
         FROM employees ORDER BY id`,
    ),
    db.query<DestinationRow>(
      `SELECT d.employee_id, d.role, d.type, d.phone, a.login, d.sip_uri
         FROM employee_destinations d LEFT JOIN sip_accounts a ON a.id = d.sip_account_id
        ORDER BY d.employee_id, d.role, d.position`,
    ),
  ]);
  const byEmployee = new Map<number, DestinationRow[]>();
  for (const d of destinations.rows) {
    const list = byEmployee.get(d.employee_id) ?? [];
    list.push(d);
    byEmployee.set(d.employee_id, list);
  }
  return employees.rows.map((e) => {
    const rows = byEmployee.get(e.id) ?? [];
    const pick = (role: 'main' | 'additional') =>
      rows.filter((r) => r.role === role).flatMap((r) => toDestination(r) ?? []);
    return {
      id: e.id,
      fullName: e.full_name,
      salesRole: e.sales_role,
      receivesNewClients: e.receives_new_clients,
      isSeniorManager: e.is_senior_manager,
      hubspotOwnerId: e.hubspot_owner_id,
      extension: e.extension,
      mainDestinations: pick('main'),
      additionalDestinations: pick('additional'),
      sipLogins: rows.flatMap((r) => (r.type === 'sip_account' && r.login ? [r.login] : [])),
    };
  });
}

interface StepRow {
  id: number;
  position: number;
  type: Step['type'];
  ring_timeout_s: number;
  lookup_order: Array<'contact_owner' | 'deal_owner'> | null;
  ring_strategy: 'simultaneous' | 'sequential' | null;
  distribution_mode: 'ring_all' | 'round_robin' | null;
  external_number: string | null;
  schedule: { time_zone: string; intervals: Array<{ days: number[]; from: string; to: string }> } | null;
  employee_ids: number[] | null;
}

function toWorkingHours(s: StepRow['schedule']): WorkingHours | undefined {
  return s ? { timeZone: s.time_zone, intervals: s.intervals.map((i) => ({ days: i.days, from: i.from, to: i.to })) } : undefined;
}

function toStep(r: StepRow): Step {
  const base = { ringTimeoutS: r.ring_timeout_s, ...(r.schedule ? { schedule: toWorkingHours(r.schedule)! } : {}) };
  switch (r.type) {
    case 'responsible_manager':
      return { ...base, type: r.type, lookupOrder: r.lookup_order ?? ['contact_owner', 'deal_owner'] };
    case 'employees':
      return { ...base, type: r.type, employeeIds: r.employee_ids ?? [], ringStrategy: r.ring_strategy ?? 'simultaneous' };
    case 'new_client_distribution':
      return { ...base, type: r.type, mode: r.distribution_mode ?? 'ring_all' };
    case 'senior_manager':
      return { ...base, type: r.type };
    case 'external_number':
      return { ...base, type: r.type, number: r.external_number ?? '' };
  }
}

/** A scheme's steps in order, plus each step's row id (round-robin state is kept per step row). */
export async function loadScheme(db: Queryable, schemeId: number): Promise<{ scheme: Scheme; stepIds: number[] } | undefined> {
  const { rows } = await db.query<StepRow>(
    `SELECT s.id, s.position, s.type, s.ring_timeout_s, s.lookup_order, s.ring_strategy, s.distribution_mode,
            s.external_number, s.schedule,
            (SELECT array_agg(e.employee_id ORDER BY e.position) FROM routing_step_employees e WHERE e.step_id = s.id) AS employee_ids
       FROM routing_steps s WHERE s.scheme_id = $1 ORDER BY s.position`,
    [schemeId],
  );
  if (rows.length === 0) {
    const exists = await db.query('SELECT 1 FROM routing_schemes WHERE id = $1', [schemeId]);
    if (exists.rows.length === 0) return undefined;
  }
  return { scheme: { id: schemeId, steps: rows.map(toStep) }, stepIds: rows.map((r) => r.id) };
}
