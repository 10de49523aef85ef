// "Test call to the CRM" on the CRM page: one button per row of the post-call
// table (POST /api/v1/crm/test-calls); each test call shows, once the sync
// worker ran it, what it wrote in HubSpot with links, and can be deleted with
// what it created there.
import { Alert, Anchor, Badge, Button, Group, List, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, del, get, post, type Page } from '../api.ts';

const ROWS = ['inbound_answered_new', 'inbound_missed_new', 'inbound_answered_responsible', 'inbound_missed_existing', 'outbound_new', 'outbound_existing'] as const;
type Row = (typeof ROWS)[number];

interface TestCall {
  id: string;
  direction: string;
  client: string | null;
  disposition: string;
  crm_sync_state: string;
  crm_sync_error: string | null;
  matrix_rows: string[];
  warnings: Array<{ code: string; message: string }>;
  records: Array<{ key: string; type: 'contact' | 'deal' | 'call' | 'task'; id: string; reused: boolean; url: string | null }>;
}

export function CrmTestCalls({ readOnly }: { readOnly: boolean }) {
  const { t } = useTranslation();
  const [calls, setCalls] = useState<TestCall[]>([]);
  const [caller, setCaller] = useState('');
  const [err, setErr] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => setCalls((await get<Page<TestCall>>('/crm/test-calls?limit=20')).items), []);
  useEffect(() => void load().catch(() => undefined), [load]);
  const pending = calls.some((c) => c.crm_sync_state === 'pending');
  useEffect(() => {
    if (!pending) return;
    // the worker syncs it in a moment: follow it until it is done
    const timer = setInterval(() => void load().catch(() => undefined), 1000);
    return () => clearInterval(timer);
  }, [pending, load]);

  const run = async (row: Row) => {
    setErr(null);
    setBusy(true);
    try {
      await post('/crm/test-calls', { row, ...(caller.trim() ? { caller: caller.trim() } : {}) });
      await load();
    } catch (e) {
      if (e instanceof ApiError) setErr(e);
    } finally {
      setBusy(false);
    }
  };
  const remove = async (id: string) => {
    setErr(null);
    try {
      await del(`/crm/test-calls/${id}`);
      await load();
    } catch (e) {
      if (e instanceof ApiError) setErr(e);
    }
  };

  return (
    <Paper withBorder p="md" data-test-calls>
      <Stack gap="xs">
        <Title order={2} size="h3">
          {t('crm.test.title')}
        </Title>
        <Text size="sm">{t('crm.test.intro')}</Text>
        {!readOnly && (
          <>
            <TextInput
              label={t('crm.test.caller')}
              description={t('crm.test.callerHint')}
              value={caller}
              onChange={(e) => setCaller(e.currentTarget.value)}
              error={err?.field('/caller')}
              maw={360}
            />
            <Group gap="xs">
              {ROWS.map((row) => (
                <Button key={row} size="xs" variant="light" disabled={busy} onClick={() => void run(row)}>
                  {t(`crm.test.rows.${row}`)}
                </Button>
              ))}
            </Group>
          </>
        )}
        {err && !err.field('/caller') && <Alert color="red">{err.message}</Alert>}
        {calls.map((c) => (
          <Paper withBorder p="sm" key={c.id} data-test-call={c.id}>
            <Stack gap={4}>
              <Group justify="space-between">
                <Text size="sm" fw={600}>
                  {c.matrix_rows.length ? c.matrix_rows.map((r) => t(`crm.test.rows.${r as Row}`, { defaultValue: r })).join(', ') : '…'} · {c.client ?? '—'}
                </Text>
                <Badge color={c.crm_sync_state === 'synced' ? 'green' : c.crm_sync_state === 'failed' ? 'red' : 'gray'}>{t(`crm.test.states.${c.crm_sync_state}`, { defaultValue: c.crm_sync_state })}</Badge>
              </Group>
              {c.crm_sync_error && <Alert color="red">{c.crm_sync_error}</Alert>}
              {c.warnings.map((w) => (
                <Text size="xs" c="orange" key={w.code + w.message}>
                  {w.message}
                </Text>
              ))}
              {c.records.length > 0 && (
                <List size="sm" aria-label={t('crm.test.written')}>
                  {c.records.map((r) => (
                    <List.Item key={r.key} data-record={r.type}>
                      {t(`crm.test.types.${r.type}`)}{' '}
                      {r.url ? (
                        <Anchor size="sm" href={r.url} target="_blank" rel="noreferrer">
                          {r.id}
                        </Anchor>
                      ) : (
                        r.id
                      )}
                      {r.reused ? ` (${t('crm.test.reused')})` : ''}
                    </List.Item>
                  ))}
                </List>
              )}
              {!readOnly && c.crm_sync_state !== 'pending' && (
                <Button size="xs" color="red" variant="subtle" w="fit-content" onClick={() => void remove(c.id)}>
                  {t('crm.test.delete')}
                </Button>
              )}
            </Stack>
          </Paper>
        ))}
      </Stack>
    </Paper>
  );
}
