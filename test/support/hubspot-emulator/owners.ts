// Owners.
//   GET /crm/v3/owners/?email=&after=&limit=(≤ 500)&archived=
//   GET /crm/v3/owners/{ownerId}?idProperty=id|userId&archived=
import type { CollectionResponsePublicOwnerForwardPaging } from '@hubspot/api-client/lib/codegen/crm/owners/index.js';
import type { Router } from './router.ts';
import { boolParam, intParam } from './serialize.ts';
import type { OwnerRecord, Store } from './store.ts';
import { iso, notFoundError, type Wire } from './wire.ts';

export interface OwnerSeed {
  id?: string;
  email: string;
  firstName?: string;
  lastName?: string;
  userId?: number;
  archived?: boolean;
  teams?: Array<{ id: string; name: string; primary?: boolean }>;
}

export function addOwner(store: Store, seed: OwnerSeed): OwnerRecord {
  const id = seed.id ?? store.newId();
  store.reserveId(id);
  const at = iso(Date.now());
  const userId = seed.userId ?? 7_000_000 + store.owners.length + 1;
  const owner: OwnerRecord = {
    id,
    email: seed.email,
    firstName: seed.firstName ?? '',
    lastName: seed.lastName ?? '',
    userId,
    userIdIncludingInactive: userId,
    type: 'PERSON',
    createdAt: at,
    updatedAt: at,
    archived: seed.archived ?? false,
    teams: (seed.teams ?? []).map((t) => ({ id: t.id, name: t.name, primary: t.primary ?? false })),
  };
  store.owners = [...store.owners.filter((o) => o.id !== id), owner];
  return owner;
}

export function ownerRoutes(router: Router, store: Store): void {
  router.add('GET', '/crm/v3/owners', (ctx) => {
    const limit = intParam(ctx, 'limit', 100, 500);
    const email = ctx.query.get('email')?.toLowerCase();
    const archived = boolParam(ctx, 'archived');
    const after = Number(ctx.query.get('after') ?? 0) || 0;
    const all = store.owners
      .filter((o) => o.archived === archived && (!email || o.email?.toLowerCase() === email))
      .sort((a, b) => Number(a.id) - Number(b.id));
    const body: Wire<CollectionResponsePublicOwnerForwardPaging> = { results: all.slice(after, after + limit) };
    if (after + limit < all.length) body.paging = { next: { after: String(after + limit), link: `?after=${after + limit}` } };
    return { status: 200, body };
  });

  router.add('GET', '/crm/v3/owners/{ownerId}', (ctx) => {
    const id = ctx.params.ownerId ?? '';
    const byUser = ctx.query.get('idProperty') === 'userId';
    const archived = boolParam(ctx, 'archived');
    const owner = store.owners.find((o) => (byUser ? String(o.userId) === id : o.id === id) && o.archived === archived);
    if (!owner) throw notFoundError(`Owner with ${byUser ? 'userId' : 'id'} ${id} not found`, { context: { id: [id] } });
    return { status: 200, body: owner };
  });
}
