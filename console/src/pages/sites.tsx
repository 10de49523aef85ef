// Sites and tracking numbers: the snippet to copy, static numbers with their
// source and routing scheme, and the pool utilisation chart with the
// recommended pool size (GET /api/v1/sites/{id}/pool-report); per site its
// number pool, DNI settings and source rules (pages/sites/*.tsx).
import { Alert, Button, Code, CopyButton, Group, Paper, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { ApiError, get, post, type Page } from '../api.ts';
import { PoolPanel } from './sites/pool.tsx';
import { RulesPanel } from './sites/rules.tsx';
import { SettingsPanel } from './sites/settings.tsx';
import type { PoolSummary, Site, TrackingNumber } from './sites/types.ts';

interface PoolReport {
  pool: { size: number } | null;
  utilisation: { buckets: Array<{ at: string; holds: number; utilisation: number | null }>; peak_holds: number };
  sizing: { current_size: number; recommended_size: number };
  warnings: Array<{ code: string; message: string }>;
}

export function SitesPage({ readOnly }: { readOnly: boolean }) {
  const { t } = useTranslation();
  const [sites, setSites] = useState<Site[]>([]);
  const [numbers, setNumbers] = useState<TrackingNumber[]>([]);
  const [pools, setPools] = useState<PoolSummary[]>([]);
  const [schemes, setSchemes] = useState<Array<{ value: string; label: string }>>([]);
  const [report, setReport] = useState<{ site: number; data: PoolReport } | null>(null);
  const [siteDraft, setSiteDraft] = useState({ name: '', domain: '', fallback_number: '', allowed_origins: '' });
  const [numberDraft, setNumberDraft] = useState({ number: '', source_name: '', routing_scheme_id: null as string | null });
  const [siteErr, setSiteErr] = useState<ApiError | null>(null);
  const [numberErr, setNumberErr] = useState<ApiError | null>(null);

  const load = useCallback(async () => {
    setSites((await get<Page<Site>>('/sites?limit=200')).items);
    setNumbers((await get<Page<TrackingNumber>>('/tracking-numbers?limit=200')).items);
    setPools((await get<Page<PoolSummary>>('/pools?limit=200')).items);
    setSchemes((await get<Page<{ id: number; name: string }>>('/routing-schemes?limit=200')).items.map((s) => ({ value: String(s.id), label: s.name })));
  }, []);
  useEffect(() => void load(), [load]);
  const statics = numbers.filter((n) => n.kind === 'static').map((n) => ({ value: String(n.id), label: n.source_name ? `${n.number} · ${n.source_name}` : n.number }));

  async function addSite(e: FormEvent) {
    e.preventDefault();
    setSiteErr(null);
    try {
      const origins = siteDraft.allowed_origins.split(/[\s,]+/).filter(Boolean);
      await post('/sites', { name: siteDraft.name, domain: siteDraft.domain, fallback_number: siteDraft.fallback_number, ...(origins.length ? { allowed_origins: origins } : {}) });
      setSiteDraft({ name: '', domain: '', fallback_number: '', allowed_origins: '' });
      await load();
    } catch (ex) {
      if (ex instanceof ApiError) setSiteErr(ex);
    }
  }
  async function addNumber(e: FormEvent) {
    e.preventDefault();
    setNumberErr(null);
    try {
      await post('/tracking-numbers', {
        number: numberDraft.number,
        kind: 'static',
        source_name: numberDraft.source_name,
        ...(numberDraft.routing_scheme_id ? { routing_scheme_id: Number(numberDraft.routing_scheme_id) } : {}),
      });
      setNumberDraft({ number: '', source_name: '', routing_scheme_id: null });
      await load();
    } catch (ex) {
      if (ex instanceof ApiError) setNumberErr(ex);
    }
  }

  return (
    <Stack>
      <Title order={1} size="h2">
        {t('sites.title')}
      </Title>
      {sites.length === 0 && <Text>{t('sites.empty')}</Text>}
      {sites.map((s) => (
        <Paper withBorder p="md" key={s.id} data-site={s.id}>
          <Stack gap="xs">
            <Title order={2} size="h4">
              {s.name} · {s.domain}
            </Title>
            <Text size="sm">{t('sites.snippetHint')}</Text>
            <Group wrap="nowrap" align="flex-start">
              <Code block style={{ flex: 1, overflowX: 'auto' }} data-snippet>
                {s.snippet}
              </Code>
              <CopyButton value={s.snippet}>
                {({ copied, copy }) => (
                  <Button size="xs" variant="light" onClick={copy}>
                    {copied ? t('sites.copied') : t('sites.copy')}
                  </Button>
                )}
              </CopyButton>
            </Group>
            <Button
              size="xs"
              variant="default"
              w="fit-content"
              onClick={async () => setReport({ site: s.id, data: await get<PoolReport>(`/sites/${s.id}/pool-report`) })}
            >
              {t('sites.poolReport')}
            </Button>
            {report?.site === s.id && <PoolChart report={report.data} />}
            <PoolPanel site={s} pool={pools.find((p) => p.site_id === s.id)} schemes={schemes} readOnly={readOnly} onChange={load} />
            {!readOnly && <SettingsPanel site={s} onSaved={load} />}
            <RulesPanel siteId={s.id} statics={statics} readOnly={readOnly} />
          </Stack>
        </Paper>
      ))}
      {!readOnly && (
        <Paper withBorder p="md" component="form" onSubmit={addSite} noValidate aria-label={t('sites.add')}>
          <Stack gap="xs">
            <Title order={2} size="h4">
              {t('sites.add')}
            </Title>
            <Group align="flex-start" wrap="wrap">
              <TextInput label={t('sites.name')} value={siteDraft.name} onChange={(e) => setSiteDraft({ ...siteDraft, name: e.currentTarget.value })} error={siteErr?.field('/name')} />
              <TextInput label={t('sites.domain')} value={siteDraft.domain} onChange={(e) => setSiteDraft({ ...siteDraft, domain: e.currentTarget.value })} error={siteErr?.field('/domain')} />
              <TextInput label={t('sites.fallback')} value={siteDraft.fallback_number} onChange={(e) => setSiteDraft({ ...siteDraft, fallback_number: e.currentTarget.value })} error={siteErr?.field('/fallback_number')} />
              <TextInput
                label={t('sites.origins')}
                placeholder="https://shop.example.com"
                value={siteDraft.allowed_origins}
                onChange={(e) => setSiteDraft({ ...siteDraft, allowed_origins: e.currentTarget.value })}
                error={siteErr?.errors.find((x) => x.field.startsWith('/allowed_origins'))?.message}
                miw={280}
              />
            </Group>
            {siteErr && siteErr.errors.length === 0 && <Alert color="red">{siteErr.message}</Alert>}
            <Button type="submit" w="fit-content">
              {t('sites.save')}
            </Button>
          </Stack>
        </Paper>
      )}
      <Title order={2} size="h3">
        {t('sites.numbers')}
      </Title>
      <Table.ScrollContainer minWidth={480}>
        <Table striped aria-label={t('sites.numbers')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('sites.number')}</Table.Th>
              <Table.Th>{t('sites.kind')}</Table.Th>
              <Table.Th>{t('sites.source')}</Table.Th>
              <Table.Th>{t('sites.scheme')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {numbers.map((n) => (
              <Table.Tr key={n.id}>
                <Table.Td>{n.number}</Table.Td>
                <Table.Td>{n.kind === 'pool' ? `${t('sites.pool')} ${n.pool_id}` : t('sites.static')}</Table.Td>
                <Table.Td>{n.source_name}</Table.Td>
                <Table.Td>{schemes.find((s) => s.value === String(n.routing_scheme_id))?.label ?? ''}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {!readOnly && (
        <Paper withBorder p="md" component="form" onSubmit={addNumber} noValidate aria-label={t('sites.addNumber')}>
          <Group align="flex-start" wrap="wrap">
            <TextInput label={t('sites.number')} value={numberDraft.number} onChange={(e) => setNumberDraft({ ...numberDraft, number: e.currentTarget.value })} error={numberErr?.field('/number')} />
            <TextInput label={t('sites.source')} value={numberDraft.source_name} onChange={(e) => setNumberDraft({ ...numberDraft, source_name: e.currentTarget.value })} error={numberErr?.field('/source_name')} />
            <Select label={t('sites.scheme')} data={schemes} clearable value={numberDraft.routing_scheme_id} onChange={(v) => setNumberDraft({ ...numberDraft, routing_scheme_id: v })} error={numberErr?.field('/routing_scheme_id')} />
            <Button type="submit" mt={24}>
              {t('sites.addNumber')}
            </Button>
          </Group>
          {numberErr && numberErr.errors.length === 0 && (
            <Alert color="red" mt="xs">
              {numberErr.message}
            </Alert>
          )}
        </Paper>
      )}
    </Stack>
  );
}

function PoolChart({ report }: { report: PoolReport }) {
  const { t } = useTranslation();
  const data = report.utilisation.buckets.map((b) => ({ at: b.at.slice(11, 16), holds: b.holds }));
  return (
    <Stack gap="xs" data-pool-report>
      <Text size="sm">
        {t('sites.sizing', { current: report.sizing.current_size, recommended: report.sizing.recommended_size, peak: report.utilisation.peak_holds })}
      </Text>
      {report.warnings.map((w) => (
        <Alert key={w.code} color="orange" p="xs">
          {w.message}
        </Alert>
      ))}
      <div style={{ width: '100%', height: 220 }} role="img" aria-label={t('sites.chartLabel')}>
        <ResponsiveContainer>
          <LineChart data={data}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="at" minTickGap={40} />
            <YAxis allowDecimals={false} />
            <Tooltip />
            <Line isAnimationActive={false} type="stepAfter" dataKey="holds" stroke="#228be6" dot={false} name={t('sites.holds')} />
          </LineChart>
        </ResponsiveContainer>
      </div>
    </Stack>
  );
}
