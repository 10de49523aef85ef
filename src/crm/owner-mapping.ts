// Employees mapped to CRM owners (SPEC §6): an owner id must be one the mirror knows
// (when CRM sync is on), and one owner belongs to one employee. checkOwnerMapping is
// pure; ownerMapping.check reads what it needs inside the caller's transaction, which
// an advisory lock serialises against other mappings.
import type { Queryable } from '../db/pool.ts';
import { AppError } from '../errors.ts';

export interface MirrorOwner {
  readonly id: string;
  readonly archived: boolean;
}

export interface OwnerMappingFacts {
  /** The owner id being saved; null clears the mapping. */
  readonly ownerId: string | null;
  /** The employee being saved; null for a new one. */
  readonly employeeId: number | null;
  /** The owner as the mirror has it; undefined when the mirror does not know it. */
  readonly owner: MirrorOwner | undefined;
  /** How many owners the mirror holds (0: never refreshed). */
  readonly ownersInMirror: number;
  /** Whether CRM sync is on (HUBSPOT_TOKEN): without it there is no mirror to check against. */
  readonly crmOn: boolean;
  /** Another employee already mapped to this owner. */
  readonly takenBy: { readonly id: number; readonly name: string } | undefined;
}

export type OwnerMappingProblem = { readonly code: 'REFERENCE_NOT_FOUND' | 'CRM_OWNER_TAKEN'; readonly message: string };

/** Why this mapping may not be saved, or null. Pure. */
export function checkOwnerMapping(f: OwnerMappingFacts): OwnerMappingProblem | null {
  if (f.ownerId === null) return null;
  if (f.takenBy !== undefined && f.takenBy.id !== f.employeeId) {
    return { code: 'CRM_OWNER_TAKEN', message: `CRM owner ${f.ownerId} is already mapped to employee ${f.takenBy.id} (${f.takenBy.name}); one owner belongs to one employee` };
  }
  if (!f.crmOn) return null;
  if (f.ownersInMirror === 0) {
    return { code: 'REFERENCE_NOT_FOUND', message: `CRM owner ${f.ownerId} cannot be checked: the CRM mirror has no owners yet; run "Refresh CRM data" (POST /api/v1/crm/refresh) first` };
  }
  if (f.owner === undefined) return { code: 'REFERENCE_NOT_FOUND', message: `CRM owner ${f.ownerId} is not one of HubSpot's owners (GET /api/v1/crm/owners lists them)` };
  if (f.owner.archived) return { code: 'REFERENCE_NOT_FOUND', message: `CRM owner ${f.ownerId} is deactivated in HubSpot` };
  return null;
}

const LOCK_KEY = 0x72706f77; // 'rpow': one owner mapping change at a time

export const ownerMapping = {
  /** Throws an AppError naming the problem; call inside the transaction that saves the employee. */
  async check(tx: Queryable, ownerId: string | null | undefined, employeeId: number | null, crmOn: boolean): Promise<void> {
    if (ownerId === undefined || ownerId === null) return;
    await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
    const { rows } = await tx.query<{ owners: number; archived: boolean | null; taken_id: number | null; taken_name: string | null }>(
      `SELECT (SELECT count(*)::int FROM crm_owners) AS owners,
              (SELECT archived FROM crm_owners WHERE id = $1) AS archived,
              e.id AS taken_id, e.full_name AS taken_name
         FROM (SELECT 1) one
         LEFT JOIN LATERAL (SELECT id, full_name FROM employees WHERE hubspot_owner_id = $1 AND id IS DISTINCT FROM $2 ORDER BY id LIMIT 1) e ON true`,
      [ownerId, employeeId],
    );
    const r = rows[0]!;
    const problem = checkOwnerMapping({
      ownerId,
      employeeId,
      owner: r.archived === null ? undefined : { id: ownerId, archived: r.archived },
      ownersInMirror: r.owners,
      crmOn,
      takenBy: r.taken_id === null ? undefined : { id: r.taken_id, name: r.taken_name ?? '' },
    });
    if (problem) throw AppError.field(problem.code, '/hubspot_owner_id', problem.message);
  },
};
