// Webhooks: subscribe an endpoint to call events (the signing secret shown
// once), the subscriptions with why one was disabled, enable again, delete,
// and each one's delivery log with a replay (/api/v1/webhooks).
import { Alert, Badge, Button, Checkbox, Group, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ShownOnce } from '../shown-once.tsx';
import { ApiError, del, get, patch, post, type Page } from '../api.ts';

const EVENTS = ['call.started', 'call.answered', 'call.ended', 'call.missed', 'call.crm_synced'] as const;

interface Webhook {
  id: number;
  url: string;
  event_types: string[];
  description: string | null;
  enabled: boolean;
  disabled_reason: string | null;
  consecutive_failures: number;
}
interface Delivery {
  id: number;
  message_id: string;
  event_type: string;
  call_id: string;
  state: 'pending' | 'delivered' | 'failed';
  attempts: number;
  last_error: string | null;
  created_at: string;
}

export function WebhooksPage({ readOnly }: { readOnly: boolean }) {
  const { t, i18n } = useTranslation();
  const [hooks, setHooks] = useState<Webhook[]>([]);
  const [draft, setDraft] = useState({ url: '', event_types: ['call.ended'] as string[], description: '' });
  const [created, setCreated] = useState<{ url: string; secret: string } | null>(null);
  const [err, setErr] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [log, setLog] = useState<{ hook: number; items: Delivery[] } | null>(null);
  const when = (iso: string) => new Date(iso).toLocaleString(i18n.language === 'uk' ? 'uk-UA' : 'en-GB');

  const load = useCallback(async () => setHooks((await get<Page<Webhook>>('/webhooks?limit=200')).items), []);
  useEffect(() => void load(), [load]);
  const openLog = async (hook: number) => setLog({ hook, items: (await get<Page<Delivery>>(`/webhooks/${hook}/deliveries?limit=100`)).items });

  async function create(e: FormEvent) {
    e.preventDefault();
    setErr(null);
    setNotice(null);
    try {
      const w = await post<Webhook & { secret: string }>('/webhooks', {
        url: draft.url,
        event_types: draft.event_types,
        ...(draft.description ? { description: draft.description } : {}),
      });
      setCreated({ url: w.url, secret: w.secret });
      setDraft({ url: '', event_types: ['call.ended'], description: '' });
      await load();
    } catch (ex) {
      if (ex instanceof ApiError) setErr(ex);
    }
  }
  const act = async (fn: () => Promise<unknown>, done: string) => {
    setErr(null);
    setNotice(null);
    try {
      await fn();
      setNotice(done);
      await load();
    } catch (ex) {
      if (ex instanceof ApiError) setErr(ex);
    }
  };

  return (
    <Stack>
      <Title order={1} size="h2">
        {t('webhooks.title')}
      </Title>
      <Text size="sm">{t('webhooks.intro')}</Text>
      {notice && (
        <Alert color="green" role="status">
          {notice}
        </Alert>
      )}
      {err && err.errors.length === 0 && <Alert color="red">{err.message}</Alert>}
      {created && (
        <ShownOnce
          title={t('webhooks.createdTitle', { url: created.url })}
          note={t('webhooks.shownOnce')}
          value={created.secret}
          labels={{ copy: t('webhooks.copy'), copied: t('webhooks.copied'), hide: t('webhooks.hide') }}
          kind="secret"
          onHide={() => setCreated(null)}
        />
      )}
      {!readOnly && (
        <Paper withBorder p="md" component="form" onSubmit={create} noValidate aria-label={t('webhooks.create')}>
          <Stack gap="xs">
            <Title order={2} size="h4">
              {t('webhooks.create')}
            </Title>
            <TextInput label={t('webhooks.url')} placeholder="https://crm.example.com/ringpath" value={draft.url} onChange={(e) => setDraft({ ...draft, url: e.currentTarget.value })} error={err?.field('/url')} />
            <Checkbox.Group label={t('webhooks.events')} value={draft.event_types} onChange={(v) => setDraft({ ...draft, event_types: v })} error={err?.errors.find((x) => x.field.startsWith('/event_types'))?.message}>
              <Group mt={4}>
                {EVENTS.map((ev) => (
                  <Checkbox key={ev} value={ev} label={ev} />
                ))}
              </Group>
            </Checkbox.Group>
            <TextInput label={t('webhooks.description')} value={draft.description} onChange={(e) => setDraft({ ...draft, description: e.currentTarget.value })} error={err?.field('/description')} />
            <Button type="submit" w="fit-content">
              {t('webhooks.create')}
            </Button>
          </Stack>
        </Paper>
      )}
      {hooks.length === 0 && <Text>{t('webhooks.empty')}</Text>}
      {hooks.map((h) => (
        <Paper withBorder p="md" key={h.id} data-webhook={h.url}>
          <Stack gap="xs">
            <Group justify="space-between">
              <Text fw={600} style={{ wordBreak: 'break-all' }}>
                {h.url}
              </Text>
              {h.enabled ? <Badge color="green">{t('webhooks.enabled')}</Badge> : <Badge color="red">{t('webhooks.disabled')}</Badge>}
            </Group>
            {!h.enabled && <Text size="sm" data-disabled-reason>{t('webhooks.disabledReason', { reason: h.disabled_reason ?? '—' })}</Text>}
            <Text size="sm">
              {h.event_types.join(', ')}
              {h.description ? ` · ${h.description}` : ''}
              {h.consecutive_failures > 0 ? ` · ${t('webhooks.failures', { count: h.consecutive_failures })}` : ''}
            </Text>
            <Group>
              <Button size="xs" variant="default" onClick={() => void openLog(h.id)}>
                {t('webhooks.deliveries')}
              </Button>
              {!readOnly && !h.enabled && (
                <Button size="xs" onClick={() => void act(() => patch(`/webhooks/${h.id}`, { enabled: true }), t('webhooks.enabledNotice'))}>
                  {t('webhooks.enable')}
                </Button>
              )}
              {!readOnly && (
                <Button size="xs" color="red" variant="light" onClick={() => void act(() => del(`/webhooks/${h.id}`), t('webhooks.deletedNotice'))}>
                  {t('webhooks.delete')}
                </Button>
              )}
            </Group>
            {log?.hook === h.id &&
              (log.items.length === 0 ? (
                <Text size="sm">{t('webhooks.noDeliveries')}</Text>
              ) : (
                <Table.ScrollContainer minWidth={640}>
                  <Table striped aria-label={t('webhooks.deliveries')}>
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>{t('webhooks.when')}</Table.Th>
                        <Table.Th>{t('webhooks.event')}</Table.Th>
                        <Table.Th>{t('webhooks.state')}</Table.Th>
                        <Table.Th>{t('webhooks.attempts')}</Table.Th>
                        <Table.Th>{t('webhooks.lastError')}</Table.Th>
                        <Table.Th />
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {log.items.map((d) => (
                        <Table.Tr key={d.id} data-delivery={d.id}>
                          <Table.Td>{when(d.created_at)}</Table.Td>
                          <Table.Td>{d.event_type}</Table.Td>
                          <Table.Td>{t(`webhooks.states.${d.state}`)}</Table.Td>
                          <Table.Td>{d.attempts}</Table.Td>
                          <Table.Td>{d.last_error ?? '—'}</Table.Td>
                          <Table.Td>
                            {!readOnly && d.state !== 'pending' && (
                              <Button
                                size="xs"
                                variant="light"
                                onClick={() =>
                                  void act(async () => {
                                    await post(`/webhooks/${h.id}/deliveries/${d.id}/replay`);
                                    await openLog(h.id);
                                  }, t('webhooks.replayed'))
                                }
                              >
                                {t('webhooks.replay')}
                              </Button>
                            )}
                          </Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
              ))}
          </Stack>
        </Paper>
      ))}
    </Stack>
  );
}
