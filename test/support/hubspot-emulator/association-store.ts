// HubSpot-defined association types between the emulated objects, and the
// association edges themselves. Associations are stored in both directions:
// associating a contact to a deal (type 4) also associates the deal to the
// contact (type 3), as HubSpot does.
import type { ObjectTypeName } from './schema.ts';

export type AssociationCategory = 'HUBSPOT_DEFINED' | 'USER_DEFINED' | 'INTEGRATOR_DEFINED';

export interface AssociationType {
  readonly from: ObjectTypeName;
  readonly to: ObjectTypeName;
  readonly typeId: number;
  readonly inverseTypeId: number;
  /** null for the unlabeled (default) type. */
  readonly label: string | null;
  /** v3-style name used in `associations` of object reads, e.g. contact_to_deal. */
  readonly name: string;
}

// [from, to, typeId, inverseTypeId, label]
const PAIRS: ReadonlyArray<readonly [ObjectTypeName, ObjectTypeName, number, number, string | null]> = [
  ['contacts', 'companies', 279, 280, null],
  ['contacts', 'companies', 1, 2, 'Primary'],
  ['deals', 'contacts', 3, 4, null],
  ['deals', 'companies', 341, 342, null],
  ['deals', 'companies', 5, 6, 'Primary'],
  ['calls', 'contacts', 194, 193, null],
  ['calls', 'companies', 182, 181, null],
  ['calls', 'deals', 206, 205, null],
  ['tasks', 'contacts', 204, 203, null],
  ['tasks', 'companies', 192, 191, null],
  ['tasks', 'deals', 216, 215, null],
];

const SINGULAR: Record<ObjectTypeName, string> = {
  contacts: 'contact',
  companies: 'company',
  deals: 'deal',
  calls: 'call',
  tasks: 'task',
};

function expand(): AssociationType[] {
  const out: AssociationType[] = [];
  for (const [from, to, typeId, inverseTypeId, label] of PAIRS) {
    const name = (a: ObjectTypeName, b: ObjectTypeName) =>
      `${SINGULAR[a]}_to_${SINGULAR[b]}${label ? `_${label.toLowerCase()}` : ''}`;
    out.push({ from, to, typeId, inverseTypeId, label, name: name(from, to) });
    out.push({ from: to, to: from, typeId: inverseTypeId, inverseTypeId: typeId, label, name: name(to, from) });
  }
  return out;
}

export const ASSOCIATION_TYPES: readonly AssociationType[] = expand();

export function associationType(typeId: number): AssociationType | undefined {
  return ASSOCIATION_TYPES.find((t) => t.typeId === typeId);
}

/** The unlabeled type between two object types, used by the `default` endpoints. */
export function defaultAssociationType(from: ObjectTypeName, to: ObjectTypeName): AssociationType | undefined {
  return ASSOCIATION_TYPES.find((t) => t.from === from && t.to === to && t.label === null);
}

export interface AssociationEdge {
  readonly toType: ObjectTypeName;
  readonly toId: string;
  readonly typeIds: readonly number[];
}

const key = (type: ObjectTypeName, id: string) => `${type}:${id}`;

export class AssociationStore {
  /** from "type:id" → to "type:id" → type ids */
  private readonly edges = new Map<string, Map<string, Set<number>>>();

  clear(): void {
    this.edges.clear();
  }

  /** Adds the type (and the unlabeled type, which labeled associations always carry) both ways. */
  add(fromType: ObjectTypeName, fromId: string, toType: ObjectTypeName, toId: string, type: AssociationType): void {
    const types = [type];
    const unlabeled = defaultAssociationType(fromType, toType);
    if (type.label !== null && unlabeled) types.push(unlabeled);
    for (const t of types) {
      this.set(key(fromType, fromId), key(toType, toId), t.typeId);
      this.set(key(toType, toId), key(fromType, fromId), t.inverseTypeId);
    }
  }

  /** Removes every association between the two records, both ways. */
  remove(fromType: ObjectTypeName, fromId: string, toType: ObjectTypeName, toId: string): void {
    this.edges.get(key(fromType, fromId))?.delete(key(toType, toId));
    this.edges.get(key(toType, toId))?.delete(key(fromType, fromId));
  }

  /** Removes some types (and their inverses); drops the edge when none remain. */
  removeTypes(fromType: ObjectTypeName, fromId: string, toType: ObjectTypeName, toId: string, typeIds: readonly number[]): void {
    for (const typeId of typeIds) {
      const t = associationType(typeId);
      this.unset(key(fromType, fromId), key(toType, toId), typeId);
      if (t) this.unset(key(toType, toId), key(fromType, fromId), t.inverseTypeId);
    }
  }

  /** Associations of one record, optionally to one object type, in target-id order. */
  list(fromType: ObjectTypeName, fromId: string, toType?: ObjectTypeName): AssociationEdge[] {
    const out: AssociationEdge[] = [];
    for (const [target, typeIds] of this.edges.get(key(fromType, fromId)) ?? []) {
      const [type, id] = target.split(':') as [ObjectTypeName, string];
      if (toType && type !== toType) continue;
      out.push({ toType: type, toId: id, typeIds: [...typeIds].sort((a, b) => a - b) });
    }
    return out.sort((a, b) => Number(a.toId) - Number(b.toId));
  }

  private set(from: string, to: string, typeId: number): void {
    let targets = this.edges.get(from);
    if (!targets) this.edges.set(from, (targets = new Map()));
    let types = targets.get(to);
    if (!types) targets.set(to, (types = new Set()));
    types.add(typeId);
  }

  private unset(from: string, to: string, typeId: number): void {
    const targets = this.edges.get(from);
    const types = targets?.get(to);
    if (!targets || !types) return;
    types.delete(typeId);
    if (types.size === 0) targets.delete(to);
  }
}
