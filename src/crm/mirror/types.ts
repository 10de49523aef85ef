// The CRM mirror's ports: what it reads from the CRM (MirrorSource, implemented
// for HubSpot in src/crm/hubspot/mirror-source.ts) and the records it stores.
import type { Pool } from '../../db/pool.ts';
import type { Logger } from '../../logger.ts';

export type MirrorObjectType = 'contacts' | 'deals';

/** A CRM record as HubSpot returns it (SimplePublicObject and its relatives). */
export interface HubSpotRecord {
  readonly id: string;
  readonly properties: Readonly<Record<string, string | null | undefined>>;
  readonly updatedAt?: Date | string | undefined;
  /** Deals: the associated contact ids, when they were read; undefined = not read. */
  readonly contactIds?: readonly string[] | undefined;
}

export interface SourcePage {
  readonly records: readonly HubSpotRecord[];
  /** Where the next page starts; undefined on the last page. */
  readonly after: string | undefined;
}

export interface SearchPage extends SourcePage {
  readonly total: number;
}

export interface OwnerRecord {
  readonly id: string;
  readonly email: string | null;
  readonly firstName: string | null;
  readonly lastName: string | null;
  readonly archived: boolean;
}

export interface StageRecord {
  readonly id: string;
  readonly label: string;
  readonly position: number;
  readonly isClosed: boolean;
  /** True for closed won, false for closed lost, null while open. */
  readonly isWon: boolean | null;
}

export interface PipelineRecord {
  readonly id: string;
  readonly label: string;
  readonly position: number;
  readonly stages: readonly StageRecord[];
}

/** The CRM reads the mirror needs. Every call goes through the shared rate limits. */
export interface MirrorSource {
  /** One page of live records in id order (deals with their contact ids). */
  listPage(type: MirrorObjectType, after: string | undefined, properties: readonly string[]): Promise<SourcePage>;
  /** How many live records there are (for progress). */
  count(type: MirrorObjectType): Promise<number>;
  /** Records modified at or after `sinceMs`, oldest first; `after` is an offset capped by `maxResults`. */
  searchModified(type: MirrorObjectType, sinceMs: number, after: string | undefined, properties: readonly string[], limit: number): Promise<SearchPage>;
  /** The named records as they are now; missing ones (deleted, merged away) are left out. */
  batchRead(type: MirrorObjectType, ids: readonly string[], properties: readonly string[]): Promise<HubSpotRecord[]>;
  /** Contact ids associated with each deal (every deal asked about has an entry). */
  dealContacts(dealIds: readonly string[]): Promise<Map<string, string[]>>;
  owners(): Promise<OwnerRecord[]>;
  dealPipelines(): Promise<PipelineRecord[]>;
  /** Contact properties the CRM itself types as phone numbers. */
  phoneProperties(): Promise<string[]>;
}

/** One phone property value of a contact, as stored. */
export interface PhoneValue {
  readonly property: string;
  readonly raw: string;
  /** null when the value could not be read as a phone number. */
  readonly e164: string | null;
  /** Why not, for the log and the sync status. */
  readonly problem: string | null;
}

/** Fields set to undefined are not known from this record and keep their stored value. */
export interface MirrorContact {
  readonly id: string;
  readonly lastModifiedAt: Date | null;
  readonly ownerId: string | null | undefined;
  readonly firstName: string | null | undefined;
  readonly lastName: string | null | undefined;
  readonly email: string | null | undefined;
  /** Phone properties with a value. */
  readonly phones: readonly PhoneValue[];
  /** The phone properties this record speaks for (others keep their stored values); null = all of them. */
  readonly phoneScope: readonly string[] | null;
}

export interface MirrorDeal {
  readonly id: string;
  readonly lastModifiedAt: Date | null;
  readonly name: string | null | undefined;
  readonly ownerId: string | null | undefined;
  readonly pipelineId: string | null | undefined;
  readonly stageId: string | null | undefined;
  /** HubSpot's own hs_is_closed, used when the stage is not in crm_stages yet. */
  readonly closedInCrm: boolean | null | undefined;
  readonly contactIds: readonly string[] | undefined;
}

/** What every sync step works with. */
export interface MirrorContext {
  readonly pool: Pool;
  readonly source: MirrorSource;
  readonly logger: Logger;
  /** Country national phone numbers are read in (DEFAULT_COUNTRY). */
  readonly defaultCountry: string;
  /** Aborts a long sync between pages (process shutdown). */
  readonly signal?: AbortSignal | undefined;
}
