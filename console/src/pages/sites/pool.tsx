// A site's number pool: create it with its routing scheme, then add numbers to
// it (POST /pools, POST /pools/{id}/numbers), showing the warnings the API returns.
import { Alert, Button, Group, Paper, Select, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, post } from '../../api.ts';
import { fieldErrors, type Option, type PoolSummary, type Site, type Warning } from './types.ts';

export function PoolPanel({ site, pool, schemes, readOnly, onChange }: { site: Site; pool: PoolSummary | undefined; schemes: Option[]; readOnly: boolean; onChange: () => Promise<void> }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState({ name: '', routing_scheme_id: null as string | null });
  const [numbers, setNumbers] = useState('');
  const [err, setErr] = useState<ApiError | null>(null);
  const [warnings, setWarnings] = useState<Warning[]>([]);

  async function createPool(e: FormEvent) {
    e.preventDefault();
    setErr(null);
    try {
      await post('/pools', { site_id: site.id, name: draft.name, ...(draft.routing_scheme_id ? { routing_scheme_id: Number(draft.routing_scheme_id) } : {}) });
      setDraft({ name: '', routing_scheme_id: null });
      await onChange();
    } catch (ex) {
      if (ex instanceof ApiError) setErr(ex);
    }
  }
  async function addNumbers(e: FormEvent) {
    e.preventDefault();
    if (!pool) return;
    setErr(null);
    setWarnings([]);
    try {
      const list = numbers.split(/[\n,;]+/).map((n) => n.trim()).filter(Boolean);
      const res = await post<{ warnings: Warning[] }>(`/pools/${pool.id}/numbers`, { numbers: list });
      setNumbers('');
      setWarnings(res.warnings);
      await onChange();
    } catch (ex) {
      if (ex instanceof ApiError) setErr(ex);
    }
  }

  const scheme = schemes.find((s) => s.value === String(pool?.routing_scheme_id))?.label;
  return (
    <Stack gap="xs" data-pool={pool?.id ?? ''}>
      <Title order={3} size="h5">
        {t('sites.poolTitle')}
      </Title>
      {pool ? (
        <Text size="sm" data-pool-summary>
          {t('sites.poolSummary', { name: pool.name, size: pool.size, scheme: scheme ?? t('sites.noScheme') })}
        </Text>
      ) : (
        <Text size="sm">{t('sites.noPool')}</Text>
      )}
      {!readOnly && !pool && (
        <Paper withBorder p="xs" component="form" onSubmit={createPool} noValidate aria-label={t('sites.newPool')}>
          <Group align="flex-start" wrap="wrap">
            <TextInput label={t('sites.poolName')} value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.currentTarget.value })} error={err?.field('/name')} />
            <Select label={t('sites.scheme')} data={schemes} clearable value={draft.routing_scheme_id} onChange={(v) => setDraft({ ...draft, routing_scheme_id: v })} error={err?.field('/routing_scheme_id')} />
            <Button type="submit" mt={24}>
              {t('sites.newPool')}
            </Button>
          </Group>
          {err && (err.errors.length === 0 || err.field('/site_id')) && (
            <Alert color="red" mt="xs">
              {err.field('/site_id') ?? err.message}
            </Alert>
          )}
        </Paper>
      )}
      {!readOnly && pool && (
        <Paper withBorder p="xs" component="form" onSubmit={addNumbers} noValidate aria-label={t('sites.addPoolNumbers')}>
          <Group align="flex-start" wrap="wrap">
            <Textarea label={t('sites.poolNumbers')} autosize minRows={2} miw={280} value={numbers} onChange={(e) => setNumbers(e.currentTarget.value)} error={fieldErrors(err, '/numbers')} />
            <Button type="submit" mt={24}>
              {t('sites.addPoolNumbers')}
            </Button>
          </Group>
          {err && err.errors.length === 0 && (
            <Alert color="red" mt="xs">
              {err.message}
            </Alert>
          )}
          {warnings.map((w, i) => (
            <Alert key={`${w.code}-${i}`} color="orange" p="xs" mt="xs" data-warning={w.code}>
              {w.message}
            </Alert>
          ))}
        </Paper>
      )}
    </Stack>
  );
}
