// A site's DNI settings (PATCH /sites/{id}): allowed origins, fallback number,
// hold time, the phone texts and selectors the snippet swaps, attribution model.
import { Alert, Button, Group, NumberInput, Paper, Select, Stack, Textarea, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, patch } from '../../api.ts';
import { fieldErrors, type AttributionModel, type Site } from './types.ts';

const MODELS: AttributionModel[] = ['first_touch', 'last_touch', 'last_non_direct'];
const lines = (s: string) => s.split('\n').map((x) => x.trim()).filter(Boolean);

function draftOf(site: Site) {
  return {
    allowed_origins: site.allowed_origins.join(', '),
    fallback_number: site.fallback_number,
    hold_time_s: site.hold_time_s as number | string,
    swap_phone_texts: site.swap_phone_texts.join('\n'),
    swap_selectors: site.swap_selectors.join('\n'),
    attribution_model: site.attribution_model,
  };
}

export function SettingsPanel({ site, onSaved }: { site: Site; onSaved: () => Promise<void> }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState(() => draftOf(site));
  const [err, setErr] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState(false);
  const set = <K extends keyof typeof draft>(k: K, v: (typeof draft)[K]) => {
    setSaved(false);
    setDraft((d) => ({ ...d, [k]: v }));
  };

  async function save(e: FormEvent) {
    e.preventDefault();
    setErr(null);
    setSaved(false);
    try {
      const res = await patch<Site>(`/sites/${site.id}`, {
        allowed_origins: draft.allowed_origins.split(/[\s,]+/).filter(Boolean),
        fallback_number: draft.fallback_number,
        hold_time_s: Number(draft.hold_time_s),
        swap_phone_texts: lines(draft.swap_phone_texts),
        swap_selectors: lines(draft.swap_selectors),
        attribution_model: draft.attribution_model,
      });
      setDraft(draftOf(res));
      setSaved(true);
      await onSaved();
    } catch (ex) {
      if (ex instanceof ApiError) setErr(ex);
    }
  }

  return (
    <Paper withBorder p="xs" component="form" onSubmit={save} noValidate aria-label={t('sites.settings')}>
      <Stack gap="xs">
        <Title order={3} size="h5">
          {t('sites.settings')}
        </Title>
        <Group align="flex-start" wrap="wrap">
          <TextInput label={t('sites.origins')} value={draft.allowed_origins} onChange={(e) => set('allowed_origins', e.currentTarget.value)} error={fieldErrors(err, '/allowed_origins')} miw={280} />
          <TextInput label={t('sites.fallback')} value={draft.fallback_number} onChange={(e) => set('fallback_number', e.currentTarget.value)} error={err?.field('/fallback_number')} />
          <NumberInput label={t('sites.holdTime')} min={30} max={86400} value={draft.hold_time_s} onChange={(v) => set('hold_time_s', v)} error={err?.field('/hold_time_s')} w={160} />
          <Select
            label={t('sites.attribution')}
            data={MODELS.map((m) => ({ value: m, label: t(`sites.models.${m}`) }))}
            allowDeselect={false}
            value={draft.attribution_model}
            onChange={(v) => v && set('attribution_model', v as AttributionModel)}
            error={err?.field('/attribution_model')}
            miw={220}
          />
        </Group>
        <Group align="flex-start" wrap="wrap">
          <Textarea label={t('sites.swapTexts')} autosize minRows={2} miw={280} value={draft.swap_phone_texts} onChange={(e) => set('swap_phone_texts', e.currentTarget.value)} error={fieldErrors(err, '/swap_phone_texts')} />
          <Textarea label={t('sites.swapSelectors')} autosize minRows={2} miw={280} value={draft.swap_selectors} onChange={(e) => set('swap_selectors', e.currentTarget.value)} error={fieldErrors(err, '/swap_selectors')} />
        </Group>
        {err && err.errors.length === 0 && <Alert color="red">{err.message}</Alert>}
        <Group>
          <Button type="submit" w="fit-content">
            {t('sites.saveSettings')}
          </Button>
          {saved && (
            <Alert color="green" p={6} data-saved>
              {t('sites.saved')}
            </Alert>
          )}
        </Group>
      </Stack>
    </Paper>
  );
}
