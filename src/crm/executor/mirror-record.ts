// Records ringpath creates go into the local mirror at once (SPEC §6), so that the
// next call from the number is routed to its owner and synced as an existing client
// without waiting for the mirror's sync. Runs in the ledger's transaction.
import type { Queryable } from '../../db/pool.ts';
import { writeContacts, writeDeals } from '../mirror/store.ts';
import type { MirrorContact as MirrorContactRecord, MirrorDeal as MirrorDealRecord } from '../mirror/types.ts';
import { DEFAULT_PROPERTIES, type CrmProperties } from '../types.ts';

export interface CreatedContact {
  readonly id: string;
  readonly ownerId: string | null;
  readonly phoneE164: string;
  readonly properties: CrmProperties;
}

export interface CreatedDeal {
  readonly id: string;
  readonly ownerId: string | null;
  readonly pipelineId: string | null;
  readonly stageId: string | null;
  readonly properties: CrmProperties;
  readonly contactId: string | null;
}

export interface MirrorRecorder {
  contactCreated(db: Queryable, contact: CreatedContact): Promise<void>;
  dealCreated(db: Queryable, deal: CreatedDeal): Promise<void>;
  ownerChanged(db: Queryable, type: 'contact' | 'deal', id: string, ownerId: string | null): Promise<void>;
}

/** Partial records (complete: false in the mirror's terms): fields not given keep their stored values. */
export const mirrorRecorder: MirrorRecorder = {
  async contactCreated(db, c) {
    // No lastmodifieddate: the mirror's sync brings HubSpot's own, which must not look older than ours.
    await writeContacts(db, [
      { ...UNKNOWN_CONTACT, id: c.id, ownerId: c.ownerId, phones: [{ property: PHONE, raw: c.phoneE164, e164: c.phoneE164, problem: null }], phoneScope: [PHONE] },
    ]);
  },
  async dealCreated(db, d) {
    await writeDeals(db, [
      {
        ...UNKNOWN_DEAL,
        id: d.id,
        name: d.properties[DEFAULT_PROPERTIES.dealName] ?? undefined,
        ownerId: d.ownerId,
        pipelineId: d.pipelineId ?? undefined,
        stageId: d.stageId ?? undefined,
        closedInCrm: false,
        contactIds: d.contactId === null ? undefined : [d.contactId],
      },
    ]);
  },
  async ownerChanged(db, type, id, ownerId) {
    if (type === 'contact') await writeContacts(db, [{ ...UNKNOWN_CONTACT, id, ownerId }]);
    else await writeDeals(db, [{ ...UNKNOWN_DEAL, id, ownerId }]);
  },
};

const PHONE = DEFAULT_PROPERTIES.phone;
const UNKNOWN_CONTACT: Omit<MirrorContactRecord, 'id'> = {
  lastModifiedAt: null,
  ownerId: undefined,
  firstName: undefined,
  lastName: undefined,
  email: undefined,
  phones: [],
  phoneScope: [],
};
const UNKNOWN_DEAL: Omit<MirrorDealRecord, 'id'> = {
  lastModifiedAt: null,
  name: undefined,
  ownerId: undefined,
  pipelineId: undefined,
  stageId: undefined,
  closedInCrm: undefined,
  contactIds: undefined,
};
