// The CRM settings on the CRM page: the post-call matrix's options, the pipeline
// rules of new deals, and the field mapping, whose HubSpot properties are picked
// from HubSpot's own list (GET /crm/properties), never typed. Saved with
// PATCH /settings; a refusal is shown beside its field and nothing is saved.
import { ActionIcon, Alert, Button, Group, NumberInput, Paper, Select, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, get, patch, type Page } from '../api.ts';

/** The ringpath fields a HubSpot property can be mapped from (src/http/schemas/settings.ts MAPPABLE_FIELDS). */
const MAPPABLE_FIELDS = [
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'utm_content',
  'utm_term',
  'ga_client_id',
  'gclid',
  'fbclid',
  'landing_page',
  'referrer',
  'source_name',
  'tracking_number',
  'gbraid',
  'wbraid',
  'msclkid',
  'attribution_confidence',
] as const;
const MATCH_KINDS = ['tracking_number', 'site_id', 'utm_source'] as const;
type MatchKind = (typeof MATCH_KINDS)[number];

interface Stage {
  pipeline_id: string;
  stage_id: string;
}
interface StoredRule extends Stage {
  match: { tracking_number?: string; site_id?: number; utm_source?: string };
}
interface CrmSettings {
  crm_create_entities: 'contact' | 'contact_and_deal';
  crm_create_when: 'call_start' | 'after_call';
  crm_utm_only: boolean;
  crm_outbound_create_for_new_client: boolean;
  crm_completed_task_for_answered_calls: boolean;
  crm_language: 'en' | 'es' | 'ru' | 'uk';
  missed_call_task_due_minutes: number;
  crm_deal_pipeline: Stage | null;
  crm_deal_pipeline_rules: StoredRule[];
  crm_field_mapping: Record<string, string>;
}
interface Rule extends Stage {
  kind: MatchKind;
  value: string;
}
interface Property {
  name: string;
  label: string;
  read_only: boolean;
}
interface Pipeline {
  id: string;
  label: string;
  stages: Array<{ id: string; label: string }>;
}

const toRule = (r: StoredRule): Rule => {
  const kind = MATCH_KINDS.find((k) => r.match[k] !== undefined) ?? 'utm_source';
  return { kind, value: String(r.match[kind] ?? ''), pipeline_id: r.pipeline_id, stage_id: r.stage_id };
};
const fromRule = (r: Rule): StoredRule => ({
  match: { [r.kind]: r.kind === 'site_id' ? Number(r.value) : r.value },
  pipeline_id: r.pipeline_id,
  stage_id: r.stage_id,
});

export function CrmSettingsEditor({ readOnly }: { readOnly: boolean }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<CrmSettings | null>(null);
  const [rules, setRules] = useState<Rule[]>([]);
  const [properties, setProperties] = useState<Property[]>([]);
  const [pipelines, setPipelines] = useState<Pipeline[]>([]);
  const [sites, setSites] = useState<Array<{ id: number; name: string }>>([]);
  const [errors, setErrors] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const target = draft?.crm_create_entities === 'contact' ? 'contacts' : 'deals';

  const load = useCallback(async () => {
    const s = await get<CrmSettings>('/settings');
    setDraft(s);
    setRules(s.crm_deal_pipeline_rules.map(toRule));
    setPipelines((await get<{ items: Pipeline[] }>('/crm/pipelines').catch(() => ({ items: [] }))).items);
    setSites((await get<Page<{ id: number; name: string }>>('/sites?limit=200')).items);
  }, []);
  useEffect(() => {
    void load().catch(() => undefined);
  }, [load]);
  useEffect(() => {
    if (draft) get<{ items: Property[] }>(`/crm/properties?object=${target}`).then((r) => setProperties(r.items), () => setProperties([]));
  }, [target, draft === null]);

  if (!draft) return null;
  const set = <K extends keyof CrmSettings>(key: K, value: CrmSettings[K]) => setDraft({ ...draft, [key]: value });
  const err = (pointer: string) => errors?.errors.find((e) => e.field === pointer)?.message;
  const setRule = (i: number, change: Partial<Rule>) => setRules(rules.map((r, j) => (j === i ? { ...r, ...change } : r)));
  const unknownProperty = errors?.code === 'REFERENCE_NOT_FOUND' && errors.errors.some((e) => e.field.startsWith('/crm_field_mapping/') && /have no property/.test(e.message));

  const pipelineOptions = pipelines.map((p) => ({ value: p.id, label: p.label }));
  const stageOptions = (pipelineId: string) => (pipelines.find((p) => p.id === pipelineId)?.stages ?? []).map((s) => ({ value: s.id, label: s.label }));
  const propertyOptions = (current: string | undefined) => {
    const listed = properties.map((p) => ({ value: p.name, label: `${p.label} (${p.name})${p.read_only ? ` — ${t('crmSettings.readOnly')}` : ''}`, disabled: p.read_only }));
    // a stored property HubSpot no longer lists stays visible, so it can be seen and changed
    return current && !properties.some((p) => p.name === current) ? [{ value: current, label: `${current} — ${t('crmSettings.notInHubSpot')}`, disabled: false }, ...listed] : listed;
  };

  async function save(e: FormEvent | null, createMissing = false) {
    e?.preventDefault();
    if (!draft) return;
    setErrors(null);
    setNotice(null);
    const { crm_create_entities, crm_create_when, crm_utm_only, crm_outbound_create_for_new_client, crm_completed_task_for_answered_calls, crm_language, missed_call_task_due_minutes, crm_deal_pipeline, crm_field_mapping } = draft;
    const body = {
      crm_create_entities,
      crm_create_when,
      crm_utm_only,
      crm_outbound_create_for_new_client,
      crm_completed_task_for_answered_calls,
      crm_language,
      missed_call_task_due_minutes,
      crm_deal_pipeline,
      crm_deal_pipeline_rules: rules.map(fromRule),
      crm_field_mapping: Object.fromEntries(Object.entries(crm_field_mapping).filter(([, v]) => v !== '')),
    };
    try {
      await patch(`/settings${createMissing ? '?create_missing_crm_properties=true' : ''}`, body);
      setNotice(t('crmSettings.saved'));
      await load();
    } catch (ex) {
      if (ex instanceof ApiError) setErrors(ex);
      else throw ex;
    }
  }

  const bool = (key: 'crm_utm_only' | 'crm_outbound_create_for_new_client' | 'crm_completed_task_for_answered_calls') => (
    <Switch label={t(`crmSettings.${key}`)} checked={draft[key]} onChange={(e) => set(key, e.currentTarget.checked)} disabled={readOnly} error={err(`/${key}`)} />
  );

  return (
    <Paper withBorder p="md" component="form" onSubmit={(e) => void save(e)} noValidate aria-label={t('crmSettings.title')}>
      <Stack>
        <Title order={2} size="h3">
          {t('crmSettings.title')}
        </Title>
        {notice && (
          <Alert color="green" role="status">
            {notice}
          </Alert>
        )}
        {errors && (
          <Alert color="red" role="alert">
            <Stack gap="xs">
              <Text size="sm">{errors.errors.length > 0 ? t('crmSettings.fix') : errors.message}</Text>
              {unknownProperty && !readOnly && (
                <Button size="xs" w="fit-content" variant="light" onClick={() => void save(null, true)}>
                  {t('crmSettings.createMissing')}
                </Button>
              )}
            </Stack>
          </Alert>
        )}

        <Title order={3} size="h4">
          {t('crmSettings.matrix')}
        </Title>
        <Group grow align="flex-start" wrap="wrap">
          <Select
            label={t('crmSettings.createEntities')}
            value={draft.crm_create_entities}
            allowDeselect={false}
            disabled={readOnly}
            onChange={(v) => v && set('crm_create_entities', v as CrmSettings['crm_create_entities'])}
            data={(['contact_and_deal', 'contact'] as const).map((v) => ({ value: v, label: t(`crmSettings.entities.${v}`) }))}
            error={err('/crm_create_entities')}
          />
          <Select
            label={t('crmSettings.createWhen')}
            value={draft.crm_create_when}
            allowDeselect={false}
            disabled={readOnly}
            onChange={(v) => v && set('crm_create_when', v as CrmSettings['crm_create_when'])}
            data={(['after_call', 'call_start'] as const).map((v) => ({ value: v, label: t(`crmSettings.when.${v}`) }))}
            error={err('/crm_create_when')}
          />
          <Select
            label={t('crmSettings.language')}
            value={draft.crm_language}
            allowDeselect={false}
            disabled={readOnly}
            onChange={(v) => v && set('crm_language', v as CrmSettings['crm_language'])}
            data={(['en', 'es', 'ru', 'uk'] as const).map((v) => ({ value: v, label: t(`crmSettings.languages.${v}`) }))}
            error={err('/crm_language')}
          />
          <NumberInput
            label={t('crmSettings.taskDue')}
            value={draft.missed_call_task_due_minutes}
            disabled={readOnly}
            onChange={(v) => set('missed_call_task_due_minutes', typeof v === 'number' ? v : Number(v))}
            error={err('/missed_call_task_due_minutes')}
          />
        </Group>
        {bool('crm_utm_only')}
        {bool('crm_outbound_create_for_new_client')}
        {bool('crm_completed_task_for_answered_calls')}

        <Title order={3} size="h4">
          {t('crmSettings.pipelines')}
        </Title>
        {pipelines.length === 0 && <Text size="sm">{t('crmSettings.noPipelines')}</Text>}
        <Group grow align="flex-start" wrap="wrap">
          <Select
            label={t('crmSettings.defaultPipeline')}
            value={draft.crm_deal_pipeline?.pipeline_id ?? ''}
            disabled={readOnly}
            onChange={(v) => set('crm_deal_pipeline', v ? { pipeline_id: v, stage_id: stageOptions(v)[0]?.value ?? '' } : null)}
            data={[{ value: '', label: t('crmSettings.hubspotDefault') }, ...pipelineOptions]}
            error={err('/crm_deal_pipeline/pipeline_id')}
          />
          <Select
            label={t('crmSettings.defaultStage')}
            value={draft.crm_deal_pipeline?.stage_id ?? null}
            disabled={readOnly || !draft.crm_deal_pipeline}
            allowDeselect={false}
            onChange={(v) => v && draft.crm_deal_pipeline && set('crm_deal_pipeline', { ...draft.crm_deal_pipeline, stage_id: v })}
            data={stageOptions(draft.crm_deal_pipeline?.pipeline_id ?? '')}
            error={err('/crm_deal_pipeline/stage_id')}
          />
        </Group>
        <Text size="sm" c="dimmed">
          {t('crmSettings.rulesHint')}
        </Text>
        {rules.map((r, i) => (
          <Group key={i} align="flex-start" wrap="wrap" data-rule={i} role="group" aria-label={t('crmSettings.rule', { n: i + 1 })}>
            <Select
              label={t('crmSettings.matchKind')}
              value={r.kind}
              allowDeselect={false}
              disabled={readOnly}
              onChange={(v) => v && setRule(i, { kind: v as MatchKind, value: '' })}
              data={MATCH_KINDS.map((k) => ({ value: k, label: t(`crmSettings.kinds.${k}`) }))}
              w={180}
            />
            {r.kind === 'site_id' ? (
              <Select
                label={t('crmSettings.site')}
                value={r.value || null}
                disabled={readOnly}
                onChange={(v) => setRule(i, { value: v ?? '' })}
                data={sites.map((s) => ({ value: String(s.id), label: s.name }))}
                error={err(`/crm_deal_pipeline_rules/${i}/match/site_id`)}
                w={200}
              />
            ) : (
              <TextInput
                label={t(`crmSettings.kinds.${r.kind}`)}
                value={r.value}
                disabled={readOnly}
                onChange={(e) => setRule(i, { value: e.currentTarget.value })}
                error={err(`/crm_deal_pipeline_rules/${i}/match/${r.kind}`)}
                w={200}
              />
            )}
            <Select
              label={t('crmSettings.pipeline')}
              value={r.pipeline_id || null}
              disabled={readOnly}
              onChange={(v) => v && setRule(i, { pipeline_id: v, stage_id: stageOptions(v)[0]?.value ?? '' })}
              data={pipelineOptions}
              error={err(`/crm_deal_pipeline_rules/${i}/pipeline_id`)}
              w={200}
            />
            <Select
              label={t('crmSettings.stage')}
              value={r.stage_id || null}
              disabled={readOnly}
              onChange={(v) => v && setRule(i, { stage_id: v })}
              data={stageOptions(r.pipeline_id)}
              error={err(`/crm_deal_pipeline_rules/${i}/stage_id`)}
              w={200}
            />
            {!readOnly && (
              <ActionIcon variant="subtle" color="red" mt={28} aria-label={t('crmSettings.removeRule', { n: i + 1 })} onClick={() => setRules(rules.filter((_, j) => j !== i))}>
                ×
              </ActionIcon>
            )}
          </Group>
        ))}
        {!readOnly && (
          <Button
            variant="default"
            w="fit-content"
            disabled={pipelines.length === 0}
            onClick={() => setRules([...rules, { kind: 'utm_source', value: '', pipeline_id: pipelines[0]?.id ?? '', stage_id: pipelines[0]?.stages[0]?.id ?? '' }])}
          >
            {t('crmSettings.addRule')}
          </Button>
        )}

        <Title order={3} size="h4">
          {t('crmSettings.mapping')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('crmSettings.mappingHint', { object: t(`crmSettings.objects.${target}`) })}
        </Text>
        <Table.ScrollContainer minWidth={420}>
          <Table aria-label={t('crmSettings.mapping')}>
            <Table.Tbody>
              {MAPPABLE_FIELDS.map((f) => (
                <Table.Tr key={f}>
                  <Table.Td>
                    <Text size="sm" ff="monospace" id={`map-${f}`}>
                      {f}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Select
                      aria-labelledby={`map-${f}`}
                      placeholder={t('crmSettings.notMapped')}
                      value={draft.crm_field_mapping[f] ?? null}
                      disabled={readOnly}
                      searchable
                      clearable
                      onChange={(v) => set('crm_field_mapping', { ...draft.crm_field_mapping, [f]: v ?? '' })}
                      data={propertyOptions(draft.crm_field_mapping[f])}
                      error={err(`/crm_field_mapping/${f}`)}
                      data-mapping={f}
                    />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        {!readOnly && (
          <Button type="submit" w="fit-content">
            {t('crmSettings.save')}
          </Button>
        )}
      </Stack>
    </Paper>
  );
}
