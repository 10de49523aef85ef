// The console home page's first-run checklist (SPEC §8): each step of setting
// ringpath up, whether it is done, and the console page that does it. Pure.

export interface SetupFacts {
  readonly trunkConfigured: boolean;
  readonly sipSideOn: boolean;
  readonly trackingNumbers: number;
  /** Employees with at least one destination to ring. */
  readonly ringableEmployees: number;
  readonly hubspotConnected: boolean;
  readonly crmOwners: number;
  /** Employees mapped to a HubSpot owner. */
  readonly mappedEmployees: number;
  readonly routingSchemes: number;
  /** Visitor sessions ever opened by the snippet. */
  readonly snippetSessions: number;
}

export type ChecklistItemId = 'trunk' | 'tracking_numbers' | 'employees' | 'hubspot' | 'routing_scheme' | 'snippet';

export interface ChecklistItem {
  readonly id: ChecklistItemId;
  readonly done: boolean;
  /** Why it is not done yet (a catalogue key the console translates), or null. */
  readonly missing: string | null;
  /** The console page that completes it; null for what is set in the environment (the trunk). */
  readonly page: string | null;
}

export function checklist(f: SetupFacts): ChecklistItem[] {
  const item = (id: ChecklistItemId, page: string | null, missing: string | null): ChecklistItem => ({ id, done: missing === null, missing, page });
  return [
    item('trunk', null, !f.sipSideOn ? 'sip_side_off' : !f.trunkConfigured ? 'no_trunk_uri' : null),
    item('tracking_numbers', '/sites', f.trackingNumbers === 0 ? 'no_tracking_numbers' : null),
    item('employees', '/employees', f.ringableEmployees === 0 ? 'no_ringable_employees' : null),
    item(
      'hubspot',
      '/crm',
      !f.hubspotConnected ? 'hubspot_not_connected' : f.crmOwners === 0 ? 'no_crm_owners' : f.mappedEmployees === 0 ? 'no_mapped_owners' : null,
    ),
    item('routing_scheme', '/routing', f.routingSchemes === 0 ? 'no_routing_scheme' : null),
    item('snippet', '/sites', f.snippetSessions === 0 ? 'snippet_not_seen' : null),
  ];
}
