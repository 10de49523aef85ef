// Archiving what a test call created in HubSpot, through the official client's
// archive calls (DELETE /crm/v3/objects/{type}/{id}). A record already gone
// (404) counts as archived; anything else stops the deletion, so nothing is
// forgotten locally that HubSpot still holds.
import { HubSpotError, type HubSpotGateway } from '../hubspot/client.ts';
import type { CrmObjectType } from '../port.ts';
import type { WrittenRecord } from './store.ts';

const API_TYPE: Readonly<Record<CrmObjectType, string>> = { contact: 'contacts', deal: 'deals', call: 'calls', task: 'tasks' };

export async function archiveRecords(gateway: HubSpotGateway, records: readonly WrittenRecord[]): Promise<void> {
  for (const r of records) {
    try {
      await gateway.call('standard', `archive ${r.type} ${r.id}`, (c) => c.crm.objects.basicApi.archive(API_TYPE[r.type], r.id));
    } catch (err) {
      if (err instanceof HubSpotError && err.status === 404) continue;
      throw err;
    }
  }
}
