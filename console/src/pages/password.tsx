import { Alert, Button, Center, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, post } from '../api.ts';

export function PasswordPage({ forced, onChanged }: { forced: boolean; onChanged: () => void }) {
  const { t } = useTranslation();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setErrors({});
    setGeneral(null);
    setDone(false);
    if (next !== confirm) {
      setErrors({ confirm: t('password.mismatch') });
      return;
    }
    setBusy(true);
    try {
      await post('/auth/password', { current_password: current, new_password: next });
      setDone(true);
      setCurrent('');
      setNext('');
      setConfirm('');
      onChanged();
    } catch (err) {
      if (err instanceof ApiError && err.errors.length > 0) {
        setErrors({ current: err.field('/current_password') ?? '', next: err.field('/new_password') ?? '' });
      } else setGeneral(t('errors.generic', { message: (err as Error).message }));
    } finally {
      setBusy(false);
    }
  }

  const form = (
    <form onSubmit={submit} noValidate>
      <Stack maw={420}>
        <Title order={1} size="h2">
          {t('password.title')}
        </Title>
        {forced && <Text>{t('password.forced')}</Text>}
        {general && (
          <Alert color="red" role="alert">
            {general}
          </Alert>
        )}
        {done && (
          <Alert color="green" role="status">
            {t('password.done')}
          </Alert>
        )}
        <PasswordInput label={t('password.current')} autoComplete="current-password" required value={current} onChange={(e) => setCurrent(e.currentTarget.value)} error={errors.current || undefined} />
        <PasswordInput
          label={t('password.next')}
          description={t('password.nextHint')}
          autoComplete="new-password"
          required
          value={next}
          onChange={(e) => setNext(e.currentTarget.value)}
          error={errors.next || undefined}
        />
        <PasswordInput label={t('password.confirm')} autoComplete="new-password" required value={confirm} onChange={(e) => setConfirm(e.currentTarget.value)} error={errors.confirm || undefined} />
        <Button type="submit" loading={busy}>
          {t('password.submit')}
        </Button>
      </Stack>
    </form>
  );
  if (!forced) return form;
  return (
    <Center mih="100vh" p="md">
      <Paper withBorder shadow="sm" p="xl" w="100%" maw={460} component="main">
        {form}
      </Paper>
    </Center>
  );
}
