// CRM integration: connection status, "Refresh CRM data", the full sync's
// progress as a live bar, the CRM settings (crm-settings.tsx), and the dead-lettered call syncs with their reason
// and a retry (one or all).
import { Alert, Badge, Button, Group, Paper, Progress, Stack, Table, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, get, post, type Page } from '../api.ts';
import { CrmSettingsEditor } from './crm-settings.tsx';
import { CrmTestCalls } from './crm-test-calls.tsx';

interface SyncStatus {
  filled: boolean;
  full_sync: { status: string; active: boolean; processed: number; total: number | null; phase: string | null; error: string | null };
  counts: { contacts: number; deals: number; owners: number };
}
interface FailedCall {
  id: string;
  caller: string | null;
  started_at: string;
  crm_sync_error: string | null;
}

export function CrmPage({ readOnly }: { readOnly: boolean }) {
  const { t } = useTranslation();
  const [status, setStatus] = useState<SyncStatus | null>(null);
  const [off, setOff] = useState(false);
  const [failed, setFailed] = useState<FailedCall[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setStatus(await get<SyncStatus>('/crm/sync-status'));
      setOff(false);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'CRM_SYNC_OFF') setOff(true);
    }
    setFailed((await get<Page<FailedCall>>('/calls?crm_sync_state=failed&limit=200')).items);
  }, []);
  useEffect(() => {
    void load();
    // the full sync's progress, live while it runs
    const timer = setInterval(() => void load(), 2000);
    return () => clearInterval(timer);
  }, [load]);

  const act = async (fn: () => Promise<unknown>, done: string) => {
    setError(null);
    setNotice(null);
    try {
      await fn();
      setNotice(done);
      await load();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const fs = status?.full_sync;
  const percent = fs && fs.total ? Math.min(100, Math.round((fs.processed / fs.total) * 100)) : fs?.status === 'done' ? 100 : 0;

  return (
    <Stack>
      <Title order={1} size="h2">
        {t('crm.title')}
      </Title>
      {off && <Alert color="orange">{t('crm.off')}</Alert>}
      {notice && (
        <Alert color="green" role="status">
          {notice}
        </Alert>
      )}
      {error && <Alert color="red">{error}</Alert>}
      {status && fs && (
        <Paper withBorder p="md">
          <Stack gap="xs">
            <Group>
              <Badge color={status.filled ? 'green' : 'orange'}>{status.filled ? t('crm.connected') : t('crm.filling')}</Badge>
              <Text size="sm">{t('crm.counts', status.counts)}</Text>
            </Group>
            <Text size="sm">{t('crm.fullSync', { status: fs.status, processed: fs.processed, total: fs.total ?? '?' })}</Text>
            <Progress value={percent} animated={fs.active} aria-label={t('crm.progress')} data-progress={percent} />
            {fs.error && <Alert color="red">{fs.error}</Alert>}
            {!readOnly && (
              <Group>
                <Button onClick={() => void act(() => post('/crm/refresh'), t('crm.refreshed'))}>{t('crm.refresh')}</Button>
                <Button variant="default" onClick={() => void act(() => post('/crm/full-sync'), t('crm.started'))} disabled={fs.active}>
                  {t('crm.startFullSync')}
                </Button>
              </Group>
            )}
          </Stack>
        </Paper>
      )}
      {status && <CrmTestCalls readOnly={readOnly} />}
      {status && !off && <CrmSettingsEditor readOnly={readOnly} />}
      <Title order={2} size="h3">
        {t('crm.deadLetters')}
      </Title>
      {failed.length === 0 ? (
        <Text>{t('crm.noDeadLetters')}</Text>
      ) : (
        <>
          {!readOnly && (
            <Button w="fit-content" onClick={() => void act(async () => Promise.all(failed.map((f) => post(`/calls/${f.id}/crm-sync/retry`))), t('crm.retried'))}>
              {t('crm.retryAll')}
            </Button>
          )}
          <Table.ScrollContainer minWidth={560}>
            <Table striped aria-label={t('crm.deadLetters')}>
              <Table.Tbody>
                {failed.map((f) => (
                  <Table.Tr key={f.id} data-failed-call={f.id}>
                    <Table.Td>{new Date(f.started_at).toLocaleString()}</Table.Td>
                    <Table.Td>{f.caller ?? '—'}</Table.Td>
                    <Table.Td>{f.crm_sync_error}</Table.Td>
                    <Table.Td>
                      {!readOnly && (
                        <Button size="xs" variant="light" onClick={() => void act(() => post(`/calls/${f.id}/crm-sync/retry`), t('crm.retried'))}>
                          {t('crm.retry')}
                        </Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </>
      )}
    </Stack>
  );
}
