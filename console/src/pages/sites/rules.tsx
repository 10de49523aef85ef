// A site's source rules (GET/PUT /sites/{id}/source-rules): an ordered list
// that shows a visit from a given source a static tracking number; the first
// match wins. The list is saved as a whole.
import { ActionIcon, Alert, Button, Group, Paper, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, get, put } from '../../api.ts';
import { fieldErrors, type Option } from './types.ts';

const FIELDS = ['utm_source', 'utm_medium', 'utm_campaign', 'referrer_domain', 'landing_path'] as const;
type RuleField = (typeof FIELDS)[number];
interface Rule {
  field: RuleField;
  value: string;
  tracking_number_id: number | null;
}

export function RulesPanel({ siteId, statics, readOnly }: { siteId: number; statics: Option[]; readOnly: boolean }) {
  const { t } = useTranslation();
  const [rules, setRules] = useState<Rule[]>([]);
  const [err, setErr] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    void get<{ rules: Rule[] }>(`/sites/${siteId}/source-rules`).then((r) =>
      setRules(r.rules.map(({ field, value, tracking_number_id }) => ({ field, value, tracking_number_id }))),
    );
  }, [siteId]);

  const change = (next: Rule[]) => {
    setSaved(false);
    setRules(next);
  };
  const setRule = (i: number, patch: Partial<Rule>) => change(rules.map((r, k) => (k === i ? { ...r, ...patch } : r)));
  const move = (i: number, by: number) => {
    const next = [...rules];
    const [r] = next.splice(i, 1);
    next.splice(i + by, 0, r!);
    change(next);
  };

  async function save(e: FormEvent) {
    e.preventDefault();
    setErr(null);
    setSaved(false);
    try {
      const res = await put<{ rules: Rule[] }>(`/sites/${siteId}/source-rules`, {
        rules: rules.map((r) => ({ field: r.field, value: r.value, tracking_number_id: r.tracking_number_id ?? 0 })),
      });
      setRules(res.rules.map(({ field, value, tracking_number_id }) => ({ field, value, tracking_number_id })));
      setSaved(true);
    } catch (ex) {
      if (ex instanceof ApiError) setErr(ex);
    }
  }

  return (
    <Paper withBorder p="xs" component="form" onSubmit={save} noValidate aria-label={t('sites.rules')}>
      <Stack gap="xs">
        <Title order={3} size="h5">
          {t('sites.rules')}
        </Title>
        <Text size="sm">{rules.length ? t('sites.rulesHint') : t('sites.noRules')}</Text>
        {rules.map((r, i) => (
          <Group key={i} align="flex-start" wrap="wrap" data-rule={i}>
            <Select
              label={t('sites.ruleField')}
              data={FIELDS.map((f) => ({ value: f, label: t(`sites.ruleFields.${f}`) }))}
              allowDeselect={false}
              value={r.field}
              onChange={(v) => v && setRule(i, { field: v as RuleField })}
              error={fieldErrors(err, `/rules/${i}/field`)}
              disabled={readOnly}
            />
            <TextInput label={t('sites.ruleValue')} value={r.value} onChange={(e) => setRule(i, { value: e.currentTarget.value })} error={fieldErrors(err, `/rules/${i}/value`)} disabled={readOnly} />
            <Select
              label={t('sites.ruleNumber')}
              data={statics}
              value={r.tracking_number_id === null ? null : String(r.tracking_number_id)}
              onChange={(v) => setRule(i, { tracking_number_id: v ? Number(v) : null })}
              error={fieldErrors(err, `/rules/${i}/tracking_number_id`)}
              disabled={readOnly}
              miw={240}
            />
            {!readOnly && (
              <Group gap={4} mt={28}>
                <ActionIcon variant="default" aria-label={t('sites.up')} disabled={i === 0} onClick={() => move(i, -1)}>
                  ↑
                </ActionIcon>
                <ActionIcon variant="default" aria-label={t('sites.down')} disabled={i === rules.length - 1} onClick={() => move(i, 1)}>
                  ↓
                </ActionIcon>
                <ActionIcon variant="default" color="red" aria-label={t('sites.removeRule')} onClick={() => change(rules.filter((_, k) => k !== i))}>
                  ✕
                </ActionIcon>
              </Group>
            )}
          </Group>
        ))}
        {err && err.errors.length === 0 && <Alert color="red">{err.message}</Alert>}
        {!readOnly && (
          <Group>
            <Button variant="default" onClick={() => change([...rules, { field: 'utm_source', value: '', tracking_number_id: null }])}>
              {t('sites.addRule')}
            </Button>
            <Button type="submit">{t('sites.saveRules')}</Button>
            {saved && (
              <Alert color="green" p={6} data-saved>
                {t('sites.saved')}
              </Alert>
            )}
          </Group>
        )}
      </Stack>
    </Paper>
  );
}
