// Routing schemes: an ordered step editor with working hours, and "Test
// routing", which shows what POST /api/v1/calls/simulate answers.
import { Alert, Button, Checkbox, Code, Group, MultiSelect, NumberInput, Paper, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, get, patch, post, type Page } from '../api.ts';

type StepType = 'responsible_manager' | 'employees' | 'new_client_distribution' | 'senior_manager' | 'external_number';
const STEP_TYPES: StepType[] = ['responsible_manager', 'employees', 'new_client_distribution', 'senior_manager', 'external_number'];

interface Schedule {
  time_zone: string;
  intervals: Array<{ days: number[]; from: string; to: string }>;
}
interface Step {
  type: StepType;
  ring_timeout_s?: number;
  schedule?: Schedule;
  employee_ids?: number[];
  ring_strategy?: 'sequential' | 'simultaneous';
  mode?: 'ring_all' | 'round_robin';
  number?: string;
  lookup_order?: string[];
}
interface Scheme {
  id: number;
  name: string;
  steps: Step[];
}

const newStep = (type: StepType): Step => {
  switch (type) {
    case 'employees':
      return { type, ring_timeout_s: 20, employee_ids: [], ring_strategy: 'sequential' };
    case 'new_client_distribution':
      return { type, ring_timeout_s: 20, mode: 'round_robin' };
    case 'external_number':
      return { type, ring_timeout_s: 20, number: '' };
    case 'responsible_manager':
      return { type, ring_timeout_s: 20, lookup_order: ['deal_owner', 'contact_owner'] };
    default:
      return { type, ring_timeout_s: 20 };
  }
};

/** What the API takes: the fields of the step's type, nothing else. */
function stepBody(s: Step): Step {
  const { type, ring_timeout_s, schedule } = s;
  const base: Step = { type, ...(ring_timeout_s ? { ring_timeout_s } : {}), ...(schedule ? { schedule } : {}) };
  if (type === 'employees') return { ...base, employee_ids: s.employee_ids ?? [], ring_strategy: s.ring_strategy ?? 'sequential' };
  if (type === 'new_client_distribution') return { ...base, mode: s.mode ?? 'round_robin' };
  if (type === 'external_number') return { ...base, number: s.number ?? '' };
  if (type === 'responsible_manager') return { ...base, lookup_order: s.lookup_order ?? ['deal_owner', 'contact_owner'] };
  return base;
}

export function RoutingPage({ readOnly }: { readOnly: boolean }) {
  const { t } = useTranslation();
  const [schemes, setSchemes] = useState<Scheme[]>([]);
  const [employees, setEmployees] = useState<Array<{ value: string; label: string }>>([]);
  const [draft, setDraft] = useState<{ id: number | null; name: string; steps: Step[] }>({ id: null, name: '', steps: [newStep('responsible_manager')] });
  const [adding, setAdding] = useState<StepType>('employees');
  const [errors, setErrors] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const load = useCallback(async () => {
    setSchemes((await get<Page<Scheme>>('/routing-schemes?limit=200')).items);
    setEmployees((await get<Page<{ id: number; full_name: string }>>('/employees?limit=200')).items.map((e) => ({ value: String(e.id), label: e.full_name })));
  }, []);
  useEffect(() => void load(), [load]);

  const setStep = (i: number, s: Partial<Step>) => setDraft((d) => ({ ...d, steps: d.steps.map((x, j) => (j === i ? { ...x, ...s } : x)) }));
  const move = (i: number, by: number) =>
    setDraft((d) => {
      const steps = [...d.steps];
      const [s] = steps.splice(i, 1);
      steps.splice(i + by, 0, s!);
      return { ...d, steps };
    });
  const err = (f: string) => errors?.field(f);

  async function save(e: FormEvent) {
    e.preventDefault();
    setErrors(null);
    setNotice(null);
    const body = { name: draft.name, steps: draft.steps.map(stepBody) };
    try {
      const saved = draft.id === null ? await post<Scheme>('/routing-schemes', body) : await patch<Scheme>(`/routing-schemes/${draft.id}`, body);
      setDraft({ id: saved.id, name: saved.name, steps: saved.steps });
      setNotice(t('routing.saved'));
      await load();
    } catch (ex) {
      if (ex instanceof ApiError) setErrors(ex);
      else throw ex;
    }
  }

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          {t('routing.title')}
        </Title>
        <Group>
          {schemes.length > 0 && (
            <Select
              aria-label={t('routing.title')}
              placeholder={t('routing.title')}
              data={schemes.map((s) => ({ value: String(s.id), label: s.name }))}
              value={draft.id === null ? null : String(draft.id)}
              onChange={(v) => {
                const s = schemes.find((x) => String(x.id) === v);
                if (s) setDraft({ id: s.id, name: s.name, steps: s.steps });
                setErrors(null);
                setNotice(null);
              }}
            />
          )}
          {!readOnly && <Button onClick={() => (setDraft({ id: null, name: '', steps: [newStep('responsible_manager')] }), setErrors(null), setNotice(null))}>{t('routing.add')}</Button>}
        </Group>
      </Group>
      {schemes.length === 0 && <Text>{t('routing.empty')}</Text>}
      {notice && (
        <Alert color="green" role="status">
          {notice}
        </Alert>
      )}
      <Paper withBorder p="md" component="form" onSubmit={save} noValidate aria-label={t('routing.title')}>
        <fieldset disabled={readOnly} style={{ border: 0, padding: 0, margin: 0 }}>
          <Stack>
            {errors && (
              <Alert color="red" role="alert">
                {errors.errors.length > 0 ? t('routing.fix') : errors.message}
              </Alert>
            )}
            <TextInput label={t('routing.name')} required value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.currentTarget.value })} error={err('/name')} maw={420} />
            <Text fw={600}>{t('routing.steps')}</Text>
            <Stack component="ol" gap="xs" p={0} style={{ listStyle: 'none' }}>
              {draft.steps.map((s, i) => (
                <Paper component="li" withBorder p="sm" key={i} data-step={i}>
                  <Stack gap="xs">
                    <Group justify="space-between" wrap="wrap">
                      <Text fw={600}>
                        {i + 1}. {t(`routing.stepTypes.${s.type}`)}
                      </Text>
                      <Group gap={4}>
                        <Button size="xs" variant="default" disabled={i === 0} onClick={() => move(i, -1)} aria-label={`${t('routing.up')}: ${i + 1}`}>
                          ↑
                        </Button>
                        <Button size="xs" variant="default" disabled={i === draft.steps.length - 1} onClick={() => move(i, 1)} aria-label={`${t('routing.down')}: ${i + 1}`}>
                          ↓
                        </Button>
                        <Button size="xs" variant="subtle" color="red" onClick={() => setDraft({ ...draft, steps: draft.steps.filter((_, j) => j !== i) })}>
                          {t('routing.remove')}
                        </Button>
                      </Group>
                    </Group>
                    <Group align="flex-start" wrap="wrap">
                      <NumberInput label={t('routing.timeout')} min={1} max={600} value={s.ring_timeout_s ?? 20} onChange={(v) => setStep(i, { ring_timeout_s: Number(v) || 20 })} error={err(`/steps/${i}/ring_timeout_s`)} w={160} />
                      {s.type === 'employees' && (
                        <>
                          <MultiSelect
                            label={t('routing.employees')}
                            data={employees}
                            value={(s.employee_ids ?? []).map(String)}
                            onChange={(v) => setStep(i, { employee_ids: v.map(Number) })}
                            error={err(`/steps/${i}/employee_ids`)}
                            miw={240}
                            searchable
                          />
                          <Select
                            label={t('routing.strategy')}
                            value={s.ring_strategy ?? 'sequential'}
                            allowDeselect={false}
                            onChange={(v) => v && setStep(i, { ring_strategy: v as Step['ring_strategy'] })}
                            data={(['sequential', 'simultaneous'] as const).map((v) => ({ value: v, label: t(`routing.strategies.${v}`) }))}
                            w={180}
                          />
                        </>
                      )}
                      {s.type === 'new_client_distribution' && (
                        <Select
                          label={t('routing.strategy')}
                          value={s.mode ?? 'round_robin'}
                          allowDeselect={false}
                          onChange={(v) => v && setStep(i, { mode: v as Step['mode'] })}
                          data={[
                            { value: 'round_robin', label: 'round robin' },
                            { value: 'ring_all', label: t('routing.strategies.simultaneous') },
                          ]}
                          w={180}
                        />
                      )}
                      {s.type === 'responsible_manager' && (
                        <Select
                          label={t('routing.lookup')}
                          value={(s.lookup_order ?? ['deal_owner', 'contact_owner']).join(',')}
                          allowDeselect={false}
                          onChange={(v) => v && setStep(i, { lookup_order: v.split(',') })}
                          data={[
                            { value: 'deal_owner,contact_owner', label: t('routing.lookups.deal_first') },
                            { value: 'contact_owner,deal_owner', label: t('routing.lookups.contact_first') },
                            { value: 'contact_owner', label: t('routing.lookups.contact_only') },
                            { value: 'deal_owner', label: t('routing.lookups.deal_only') },
                          ]}
                          error={err(`/steps/${i}/lookup_order`)}
                          w={280}
                        />
                      )}
                      {s.type === 'external_number' && (
                        <TextInput label={t('routing.number')} value={s.number ?? ''} onChange={(e) => setStep(i, { number: e.currentTarget.value })} error={err(`/steps/${i}/number`)} w={220} />
                      )}
                    </Group>
                    <Checkbox
                      label={t('routing.hours')}
                      checked={s.schedule !== undefined}
                      onChange={(e) =>
                        setStep(i, {
                          schedule: e.currentTarget.checked ? { time_zone: Intl.DateTimeFormat().resolvedOptions().timeZone, intervals: [{ days: [1, 2, 3, 4, 5], from: '09:00', to: '18:00' }] } : undefined,
                        })
                      }
                    />
                    {s.schedule && (
                      <Group align="flex-start" wrap="wrap">
                        <TextInput
                          label={t('routing.timeZone')}
                          value={s.schedule.time_zone}
                          onChange={(e) => setStep(i, { schedule: { ...s.schedule!, time_zone: e.currentTarget.value } })}
                          error={err(`/steps/${i}/schedule/time_zone`)}
                          w={200}
                        />
                        <Checkbox.Group
                          label={t('routing.days')}
                          value={(s.schedule.intervals[0]?.days ?? []).map(String)}
                          onChange={(v) => setStep(i, { schedule: { ...s.schedule!, intervals: [{ ...s.schedule!.intervals[0]!, days: v.map(Number).sort() }] } })}
                          error={err(`/steps/${i}/schedule/intervals/0/days`)}
                        >
                          <Group gap="xs" mt={6}>
                            {(t('routing.weekdays', { returnObjects: true }) as string[]).map((d, k) => (
                              <Checkbox key={k} value={String(k + 1)} label={d} />
                            ))}
                          </Group>
                        </Checkbox.Group>
                        <TextInput
                          label={t('routing.from')}
                          value={s.schedule.intervals[0]?.from ?? ''}
                          onChange={(e) => setStep(i, { schedule: { ...s.schedule!, intervals: [{ ...s.schedule!.intervals[0]!, from: e.currentTarget.value }] } })}
                          error={err(`/steps/${i}/schedule/intervals/0/from`)}
                          w={90}
                        />
                        <TextInput
                          label={t('routing.to')}
                          value={s.schedule.intervals[0]?.to ?? ''}
                          onChange={(e) => setStep(i, { schedule: { ...s.schedule!, intervals: [{ ...s.schedule!.intervals[0]!, to: e.currentTarget.value }] } })}
                          error={err(`/steps/${i}/schedule/intervals/0/to`)}
                          w={90}
                        />
                      </Group>
                    )}
                    {(errors?.errors ?? [])
                      .filter((e) => e.field.startsWith(`/steps/${i}/`) || e.field === `/steps/${i}`)
                      .map((e) => (
                        <Text key={e.field} c="red" size="sm" role="alert">
                          {e.field.slice(`/steps/${i}/`.length) || t('routing.steps')}: {e.message}
                        </Text>
                      ))}
                  </Stack>
                </Paper>
              ))}
            </Stack>
            {err('/steps') && (
              <Text c="red" size="sm">
                {err('/steps')}
              </Text>
            )}
            <Group align="flex-end">
              <Select
                label={t('routing.addStep')}
                value={adding}
                allowDeselect={false}
                onChange={(v) => v && setAdding(v as StepType)}
                data={STEP_TYPES.map((v) => ({ value: v, label: t(`routing.stepTypes.${v}`) }))}
                w={240}
              />
              <Button variant="default" onClick={() => setDraft({ ...draft, steps: [...draft.steps, newStep(adding)] })}>
                {t('routing.addStep')}
              </Button>
            </Group>
            {!readOnly && (
              <Button type="submit" w="fit-content">
                {t('routing.save')}
              </Button>
            )}
          </Stack>
        </fieldset>
      </Paper>
      <TestRouting />
    </Stack>
  );
}

interface Simulation {
  attribution: { label: string };
  lines: string[];
}

function TestRouting() {
  const { t } = useTranslation();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [at, setAt] = useState('');
  const [result, setResult] = useState<Simulation | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  async function run(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setResult(null);
    try {
      setResult(await post<Simulation>('/calls/simulate', { from, to, ...(at ? { at } : {}) }));
    } catch (ex) {
      if (ex instanceof ApiError) setError(ex);
      else throw ex;
    }
  }

  return (
    <Paper withBorder p="md" component="form" onSubmit={run} noValidate aria-label={t('routing.test')}>
      <Stack>
        <Title order={2} size="h3">
          {t('routing.test')}
        </Title>
        <Text size="sm">{t('routing.testIntro')}</Text>
        <Group align="flex-start" wrap="wrap">
          <TextInput label={t('routing.caller')} value={from} onChange={(e) => setFrom(e.currentTarget.value)} error={error?.field('/from')} w={220} />
          <TextInput label={t('routing.tracking')} value={to} onChange={(e) => setTo(e.currentTarget.value)} error={error?.field('/to') ?? (error?.code === 'TRACKING_NUMBER_UNKNOWN' ? error.message : undefined)} w={220} />
          <TextInput label={t('routing.at')} value={at} onChange={(e) => setAt(e.currentTarget.value)} error={error?.field('/at')} w={300} placeholder="2026-06-15T10:30:00+03:00" />
        </Group>
        {error && error.errors.length === 0 && error.code !== 'TRACKING_NUMBER_UNKNOWN' && <Alert color="red">{error.message}</Alert>}
        <Button type="submit" w="fit-content">
          {t('routing.run')}
        </Button>
        {result && (
          <Code block data-simulation aria-live="polite">
            {result.lines.join('\n')}
          </Code>
        )}
      </Stack>
    </Paper>
  );
}
