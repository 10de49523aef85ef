// The call log (SPEC §8): filters, the recording player, the routing trace and
// the CRM record, and a CSV export of what the filters show.
import { Alert, Badge, Button, Checkbox, Code, Drawer, Group, NumberInput, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, get, type Me, type Page } from '../api.ts';

interface CallRow {
  id: string;
  direction: string;
  disposition: string;
  caller: string | null;
  tracking_number: string | null;
  source: string;
  answered_by_employee_id: number | null;
  started_at: string;
  talk_duration_ms: number;
  has_recording: boolean;
  is_test: boolean;
}
interface CallDetail extends CallRow {
  routing_trace: unknown[];
  recording_url: string | null;
  attribution: { campaign: string | null };
  crm_sync: { state: string; contact_id: string | null; deal_id: string | null; call_id: string | null };
}

interface Filters {
  from: string;
  to: string;
  source: string;
  campaign: string;
  disposition: string | null;
  answered_by: string | null;
  not_called_back_days: number | '';
  include_test: boolean;
}
const NO_FILTERS: Filters = { from: '', to: '', source: '', campaign: '', disposition: null, answered_by: null, not_called_back_days: '', include_test: false };

function query(f: Filters): string {
  const q = new URLSearchParams({ limit: '200' });
  if (f.from) q.set('from', new Date(`${f.from}T00:00:00`).toISOString());
  if (f.to) q.set('to', new Date(new Date(`${f.to}T00:00:00`).getTime() + 86400000).toISOString());
  if (f.source) q.set('source', f.source);
  if (f.campaign) q.set('campaign', f.campaign);
  if (f.disposition) q.set('disposition', f.disposition);
  if (f.answered_by) q.set('answered_by', f.answered_by);
  if (f.not_called_back_days !== '') q.set('not_called_back_days', String(f.not_called_back_days));
  if (f.include_test) q.set('include_test', 'true');
  return q.toString();
}

const csvCell = (v: unknown): string => {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

function downloadCsv(rows: CallRow[]): void {
  const head = ['id', 'started_at', 'direction', 'disposition', 'caller', 'tracking_number', 'source', 'answered_by_employee_id', 'talk_duration_s'];
  const lines = [head.join(','), ...rows.map((r) => [r.id, r.started_at, r.direction, r.disposition, r.caller, r.tracking_number, r.source, r.answered_by_employee_id, Math.round(r.talk_duration_ms / 1000)].map(csvCell).join(','))];
  const url = URL.createObjectURL(new Blob([lines.join('\r\n') + '\r\n'], { type: 'text/csv' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = 'ringpath-calls.csv';
  a.click();
  URL.revokeObjectURL(url);
}

const DISPOSITIONS = ['answered', 'missed', 'busy', 'failed', 'abandoned', 'blocked'] as const;

export function CallsPage({ me }: { me: Me }) {
  const { t, i18n } = useTranslation();
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [page, setPage] = useState<Page<CallRow> | null>(null);
  const [employees, setEmployees] = useState<Array<{ value: string; label: string }>>([]);
  const [open, setOpen] = useState<CallDetail | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  const load = useCallback(async (f: Filters) => {
    setError(null);
    try {
      setPage(await get<Page<CallRow>>(`/calls?${query(f)}`));
    } catch (e) {
      if (e instanceof ApiError) setError(e);
    }
  }, []);
  useEffect(() => {
    void load(NO_FILTERS);
    if (me.access_level !== 'employee') {
      get<Page<{ id: number; full_name: string }>>('/employees?limit=200').then(
        (r) => setEmployees(r.items.map((e) => ({ value: String(e.id), label: e.full_name }))),
        () => undefined,
      );
    }
  }, [load, me.access_level]);

  const set = <K extends keyof Filters>(k: K, v: Filters[K]) => setFilters((f) => ({ ...f, [k]: v }));
  const nameOf = (id: number | null) => employees.find((e) => e.value === String(id))?.label ?? (id === null ? '' : `#${id}`);
  const fmt = (iso: string) => new Date(iso).toLocaleString(i18n.language === 'uk' ? 'uk-UA' : 'en-GB');

  return (
    <Stack>
      <Title order={1} size="h2">
        {t('calls.title')}
      </Title>
      <form
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          void load(filters);
        }}
        aria-label={t('calls.apply')}
      >
        <Group align="flex-end" wrap="wrap" gap="sm">
          <TextInput type="date" label={t('calls.from')} value={filters.from} onChange={(e) => set('from', e.currentTarget.value)} error={error?.field('/from')} w={160} />
          <TextInput type="date" label={t('calls.to')} value={filters.to} onChange={(e) => set('to', e.currentTarget.value)} error={error?.field('/to')} w={160} />
          <TextInput label={t('calls.source')} value={filters.source} onChange={(e) => set('source', e.currentTarget.value)} w={160} />
          <TextInput label={t('calls.campaign')} value={filters.campaign} onChange={(e) => set('campaign', e.currentTarget.value)} w={160} />
          <Select
            label={t('calls.disposition')}
            placeholder={t('calls.any')}
            clearable
            value={filters.disposition}
            onChange={(v) => set('disposition', v)}
            data={DISPOSITIONS.map((d) => ({ value: d, label: t(`calls.dispositions.${d}`) }))}
            w={160}
          />
          {employees.length > 0 && (
            <Select label={t('calls.answeredBy')} placeholder={t('calls.any')} clearable value={filters.answered_by} onChange={(v) => set('answered_by', v)} data={employees} w={180} searchable />
          )}
          <NumberInput
            label={t('calls.notCalledBack')}
            min={1}
            max={365}
            value={filters.not_called_back_days}
            onChange={(v) => set('not_called_back_days', v === '' ? '' : Number(v))}
            error={error?.field('/not_called_back_days')}
            w={280}
          />
          <Checkbox label={t('calls.includeTest')} checked={filters.include_test} onChange={(e) => set('include_test', e.currentTarget.checked)} mb={8} />
          <Button type="submit">{t('calls.apply')}</Button>
          <Button
            variant="default"
            onClick={() => {
              setFilters(NO_FILTERS);
              void load(NO_FILTERS);
            }}
          >
            {t('calls.reset')}
          </Button>
          <Button variant="light" onClick={() => page && downloadCsv(page.items)} disabled={!page || page.items.length === 0}>
            {t('calls.export')}
          </Button>
        </Group>
      </form>
      {error && error.errors.length === 0 && <Alert color="red">{error.message}</Alert>}
      {page && (
        <Text size="sm" aria-live="polite" data-total={page.total}>
          {t('calls.total', { count: page.total })}
        </Text>
      )}
      {page && page.items.length === 0 ? (
        <Text>{t('calls.empty')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={560}>
          <Table striped highlightOnHover aria-label={t('calls.title')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('calls.when')}</Table.Th>
                <Table.Th>{t('calls.caller')}</Table.Th>
                <Table.Th>{t('calls.source')}</Table.Th>
                <Table.Th>{t('calls.result')}</Table.Th>
                <Table.Th>{t('calls.answeredBy')}</Table.Th>
                <Table.Th>{t('calls.duration')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {page?.items.map((c) => (
                <Table.Tr key={c.id} data-call={c.id}>
                  <Table.Td>
                    <Button variant="subtle" size="compact-sm" onClick={async () => setOpen(await get<CallDetail>(`/calls/${c.id}`))} aria-label={`${t('calls.details')}: ${fmt(c.started_at)}`}>
                      {fmt(c.started_at)}
                    </Button>
                  </Table.Td>
                  <Table.Td>{c.caller ?? '—'}</Table.Td>
                  <Table.Td>{c.source}</Table.Td>
                  <Table.Td>
                    <Badge color={c.disposition === 'answered' ? 'green' : 'red'} variant="light">
                      {t(`calls.dispositions.${c.disposition}`, c.disposition)}
                    </Badge>
                    {c.is_test && (
                      <Badge color="gray" variant="outline" ml={4}>
                        {t('calls.test')}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>{nameOf(c.answered_by_employee_id)}</Table.Td>
                  <Table.Td>{Math.round(c.talk_duration_ms / 1000)} s</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Drawer opened={open !== null} onClose={() => setOpen(null)} position="right" size="lg" title={t('calls.details')} closeButtonProps={{ 'aria-label': t('calls.close') }}>
        {open && (
          <Stack>
            <Text>
              {fmt(open.started_at)} · {open.caller ?? '—'} → {open.tracking_number ?? '—'} · {open.source}
            </Text>
            <Title order={3} size="h4">
              {t('calls.recording')}
            </Title>
            {open.recording_url ? (
              <audio controls preload="metadata" src={open.recording_url} aria-label={t('calls.recording')} data-recording style={{ width: '100%' }} />
            ) : (
              <Text c="dimmed">{t('calls.noRecording')}</Text>
            )}
            <Title order={3} size="h4">
              {t('calls.trace')}
            </Title>
            <Code block>{JSON.stringify(open.routing_trace, null, 2)}</Code>
            <Title order={3} size="h4">
              {t('calls.crm')}
            </Title>
            <Text size="sm">
              {open.crm_sync.state}
              {open.crm_sync.contact_id ? ` · contact ${open.crm_sync.contact_id}` : ''}
              {open.crm_sync.deal_id ? ` · deal ${open.crm_sync.deal_id}` : ''}
              {open.crm_sync.call_id ? ` · call ${open.crm_sync.call_id}` : ''}
            </Text>
          </Stack>
        )}
      </Drawer>
    </Stack>
  );
}
