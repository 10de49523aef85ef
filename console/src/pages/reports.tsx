// Reports with charts: calls by source over time, answered and missed per
// employee, time to call back after a missed call (GET /api/v1/reports).
import { Alert, Button, Group, Paper, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { ApiError, get } from '../api.ts';

interface Reports {
  by_source: { sources: string[]; days: Array<Record<string, number | string>> };
  by_employee: Array<{ employee_id: number; name: string; answered: number; missed: number; answered_rate: number | null }>;
  callbacks: { called_back: number; not_called_back: number; median_minutes: number | null; p90_minutes: number | null; buckets: Array<{ label: string; calls: number }> };
}

const COLORS = ['#228be6', '#40c057', '#fab005', '#fa5252', '#7950f2', '#15aabf', '#868e96'];

export function ReportsPage() {
  const { t } = useTranslation();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [data, setData] = useState<Reports | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  const load = useCallback(async (f: string, tt: string) => {
    setError(null);
    const q = new URLSearchParams();
    if (f) q.set('from', new Date(`${f}T00:00:00`).toISOString());
    if (tt) q.set('to', new Date(new Date(`${tt}T00:00:00`).getTime() + 86400000).toISOString());
    try {
      setData(await get<Reports>(`/reports?${q.toString()}`));
    } catch (e) {
      if (e instanceof ApiError) setError(e);
    }
  }, []);
  useEffect(() => void load('', ''), [load]);

  return (
    <Stack>
      <Title order={1} size="h2">
        {t('reports.title')}
      </Title>
      <form
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          void load(from, to);
        }}
      >
        <Group align="flex-end">
          <TextInput type="date" label={t('calls.from')} value={from} onChange={(e) => setFrom(e.currentTarget.value)} error={error?.field('/from')} />
          <TextInput type="date" label={t('calls.to')} value={to} onChange={(e) => setTo(e.currentTarget.value)} error={error?.field('/to')} />
          <Button type="submit">{t('calls.apply')}</Button>
        </Group>
      </form>
      {error && error.errors.length === 0 && <Alert color="red">{error.message}</Alert>}
      {data && (
        <>
          <Paper withBorder p="md" data-report="by-source">
            <Title order={2} size="h4" mb="sm">
              {t('reports.bySource')}
            </Title>
            <div style={{ width: '100%', height: 260 }} role="img" aria-label={t('reports.bySource')}>
              <ResponsiveContainer>
                <BarChart data={data.by_source.days}>
                  <CartesianGrid strokeDasharray="3 3" />
                  <XAxis dataKey="day" />
                  <YAxis allowDecimals={false} />
                  <Tooltip />
                  <Legend />
                  {data.by_source.sources.map((s, i) => (
                    <Bar isAnimationActive={false} key={s} dataKey={s} stackId="a" fill={COLORS[i % COLORS.length]} />
                  ))}
                </BarChart>
              </ResponsiveContainer>
            </div>
          </Paper>
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <Paper withBorder p="md" data-report="by-employee">
              <Title order={2} size="h4" mb="sm">
                {t('reports.byEmployee')}
              </Title>
              <div style={{ width: '100%', height: 220 }} role="img" aria-label={t('reports.byEmployee')}>
                <ResponsiveContainer>
                  <BarChart data={data.by_employee} layout="vertical">
                    <CartesianGrid strokeDasharray="3 3" />
                    <XAxis type="number" allowDecimals={false} />
                    <YAxis type="category" dataKey="name" width={120} />
                    <Tooltip />
                    <Legend />
                    <Bar isAnimationActive={false} dataKey="answered" name={t('calls.dispositions.answered')} fill="#40c057" />
                    <Bar isAnimationActive={false} dataKey="missed" name={t('calls.dispositions.missed')} fill="#fa5252" />
                  </BarChart>
                </ResponsiveContainer>
              </div>
              <Table mt="sm">
                <Table.Tbody>
                  {data.by_employee.map((e) => (
                    <Table.Tr key={e.employee_id} data-employee-rate={e.name}>
                      <Table.Td>{e.name}</Table.Td>
                      <Table.Td>{e.answered_rate === null ? '—' : `${Math.round(e.answered_rate * 100)}%`}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Paper>
            <Paper withBorder p="md" data-report="callbacks">
              <Title order={2} size="h4" mb="sm">
                {t('reports.callbacks')}
              </Title>
              <Text size="sm" data-callback-summary>
                {t('reports.callbackSummary', {
                  done: data.callbacks.called_back,
                  open: data.callbacks.not_called_back,
                  median: data.callbacks.median_minutes ?? '—',
                  p90: data.callbacks.p90_minutes ?? '—',
                })}
              </Text>
              <div style={{ width: '100%', height: 200 }} role="img" aria-label={t('reports.callbacks')}>
                <ResponsiveContainer>
                  <BarChart data={data.callbacks.buckets.map((b) => ({ ...b, label: t(`reports.within.${b.label}`) }))}>
                    <CartesianGrid strokeDasharray="3 3" />
                    <XAxis dataKey="label" />
                    <YAxis allowDecimals={false} />
                    <Tooltip />
                    <Bar isAnimationActive={false} dataKey="calls" fill="#228be6" name={t('reports.calledBack')} />
                  </BarChart>
                </ResponsiveContainer>
              </div>
            </Paper>
          </SimpleGrid>
        </>
      )}
    </Stack>
  );
}
