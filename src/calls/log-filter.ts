// The call log's filters (SPEC §8) as one SQL condition with its parameters.
// Pure: the call log's repository runs it. Every value is a parameter.

export interface CallLogFilter {
  readonly crmSyncState?: string;
  readonly direction?: string;
  readonly disposition?: string;
  /** started at or after / before */
  readonly from?: Date;
  readonly to?: Date;
  /** Part of the source label or the UTM source, any case. */
  readonly source?: string;
  /** Part of the UTM campaign, any case. */
  readonly campaign?: string;
  readonly answeredByEmployeeId?: number;
  /** The employee whose HubSpot owner owns the call's contact. */
  readonly recordOwnerEmployeeId?: number;
  /** Missed inbound calls nobody called back (an outbound call to the caller) within this many days. */
  readonly notCalledBackDays?: number;
  /** Only calls with clients this employee is responsible for (their role's scope). */
  readonly visibleToEmployeeId?: number;
  /** Test calls to the CRM are left out unless this is true. */
  readonly includeTest?: boolean;
}

/** "a%b_c" → "a\%b\_c": typed text matched literally inside ILIKE. */
export const likeLiteral = (text: string): string => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Calls of the employee's clients: theirs in the CRM, routed to them as the responsible manager, or answered or placed by them. */
const visibleTo = (p: string): string =>
  `(c.responsible_employee_id = ${p} OR c.answered_by_employee_id = ${p} OR c.placed_by_employee_id = ${p}
    OR EXISTS (SELECT 1 FROM crm_contacts cc JOIN employees e ON e.hubspot_owner_id = cc.owner_id
                WHERE cc.id = c.crm_contact_id AND e.id = ${p}))`;

/** `WHERE …` over `calls c` (empty when nothing filters), numbering parameters from `firstParam`. */
export function callLogWhere(filter: CallLogFilter, firstParam = 1): { where: string; params: unknown[] } {
  const conditions: string[] = [];
  const params: unknown[] = [];
  const p = (value: unknown): string => {
    params.push(value);
    return `$${firstParam + params.length - 1}`;
  };
  if (filter.crmSyncState !== undefined) conditions.push(`c.crm_sync_state = ${p(filter.crmSyncState)}::crm_sync_state`);
  if (filter.direction !== undefined) conditions.push(`c.direction = ${p(filter.direction)}::call_direction`);
  if (filter.disposition !== undefined) conditions.push(`c.disposition = ${p(filter.disposition)}::call_disposition`);
  if (filter.from !== undefined) conditions.push(`c.started_at >= ${p(filter.from)}`);
  if (filter.to !== undefined) conditions.push(`c.started_at < ${p(filter.to)}`);
  if (filter.source !== undefined) {
    const s = p(likeLiteral(filter.source));
    conditions.push(`(c.attribution ->> 'label' ILIKE ${s} OR c.attribution ->> 'source' ILIKE ${s})`);
  }
  if (filter.campaign !== undefined) conditions.push(`c.attribution ->> 'campaign' ILIKE ${p(likeLiteral(filter.campaign))}`);
  if (filter.answeredByEmployeeId !== undefined) conditions.push(`c.answered_by_employee_id = ${p(filter.answeredByEmployeeId)}`);
  if (filter.recordOwnerEmployeeId !== undefined) {
    conditions.push(
      `EXISTS (SELECT 1 FROM crm_contacts cc JOIN employees e ON e.hubspot_owner_id = cc.owner_id
                WHERE cc.id = c.crm_contact_id AND e.id = ${p(filter.recordOwnerEmployeeId)})`,
    );
  }
  if (filter.notCalledBackDays !== undefined) {
    const days = p(filter.notCalledBackDays);
    conditions.push(
      `(c.direction = 'inbound' AND c.disposition <> 'answered' AND c.caller IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM calls o WHERE o.direction = 'outbound' AND o.callee = c.caller
                         AND o.started_at > c.started_at AND o.started_at <= c.started_at + make_interval(days => ${days}::int)))`,
    );
  }
  if (filter.visibleToEmployeeId !== undefined) conditions.push(visibleTo(p(filter.visibleToEmployeeId)));
  if (filter.includeTest !== true) conditions.push('NOT c.is_test');
  return { where: conditions.length ? `WHERE ${conditions.join(' AND ')}` : '', params };
}
