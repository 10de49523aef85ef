// Text for people: what the commands print on stdout.
import type { ApiKeyListing } from '../auth/api-keys.ts';
import type { MirrorStatus } from '../crm/mirror/status.ts';

/** Rows as columns padded to their widest cell, two spaces apart; no trailing spaces. */
export function table(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd());
}

/** "2026-06-15 09:30 UTC" (minutes are enough for a person). */
export function when(d: Date | null, none = '-'): string {
  return d ? `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC` : none;
}

export function apiKeyTable(keys: readonly ApiKeyListing[]): string[] {
  if (keys.length === 0) return ['no API keys yet: create one with `ringpath api-key create NAME`'];
  return table([
    ['ID', 'NAME', 'KEY', 'CREATED', 'LAST USED', 'REVOKED'],
    ...keys.map((k) => [String(k.id), k.name, `rp_${k.prefix}_…`, when(k.createdAt), when(k.lastUsedAt, 'never'), when(k.revokedAt)]),
  ]);
}

const n = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

/** `ringpath crm status`: the state of the mirror, a few lines. */
export function mirrorStatusLines(s: MirrorStatus): string[] {
  const f = s.full_sync;
  const full =
    f.status === 'running' || f.active
      ? `running${f.active ? '' : ' (no process is working on it)'}: ${f.phase ?? 'starting'} ${f.processed}/${f.total ?? '?'}`
      : f.status === 'done'
        ? `done${f.finished_at ? ` ${f.finished_at}` : ''}`
        : f.status === 'failed'
          ? `failed${f.error ? `: ${f.error}` : ''}`
          : 'never run';
  const inc = (name: string, st: MirrorStatus['incremental_sync']['contacts']) =>
    `${name} ${st.status}${st.updated_at ? ` (${st.updated_at})` : ''}${st.error ? `: ${st.error}` : ''}`;
  const c = s.counts;
  return [
    `mirror:           ${s.filled ? 'filled: routing reads it' : 'not filled yet: run `ringpath crm sync`'}`,
    `full sync:        ${full}`,
    `incremental sync: ${s.incremental_sync.active ? 'running; ' : ''}${inc('contacts', s.incremental_sync.contacts)}, ${inc('deals', s.incremental_sync.deals)}`,
    `webhooks pending: ${s.webhooks.pending}`,
    `stored:           ${n(c.contacts, 'contact')}, ${n(c.deals, 'deal')} (${c.open_deals} open), ${n(c.owners, 'owner')}, ${n(c.pipelines, 'pipeline')}, ${n(c.stages, 'stage')}, ${n(c.phones, 'phone number')} (${c.unreadable_phones} unreadable)`,
    // properties the sync leaves out of its writes: each one a line, so none goes unseen
    ...s.property_problems.map((p) => `not written:      ${p.object_type}.${p.property}: ${p.reason}`),
  ];
}
