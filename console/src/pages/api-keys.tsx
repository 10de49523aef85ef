// API keys: create one (its secret shown once, with a copy button), list them
// with when each was last used, and revoke one (/api/v1/api-keys).
import { Alert, Badge, Button, Code, Group, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ShownOnce } from '../shown-once.tsx';
import { ApiError, del, get, post, type Page } from '../api.ts';

interface ApiKey {
  id: number;
  name: string;
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export function ApiKeysPage({ readOnly }: { readOnly: boolean }) {
  const { t, i18n } = useTranslation();
  const [keys, setKeys] = useState<ApiKey[]>([]);
  const [name, setName] = useState('');
  const [created, setCreated] = useState<{ name: string; key: string } | null>(null);
  const [err, setErr] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString(i18n.language === 'uk' ? 'uk-UA' : 'en-GB') : '—');

  const load = useCallback(async () => setKeys((await get<Page<ApiKey>>('/api-keys?limit=200')).items), []);
  useEffect(() => void load(), [load]);

  async function create(e: FormEvent) {
    e.preventDefault();
    setErr(null);
    setNotice(null);
    try {
      const k = await post<ApiKey & { key: string }>('/api-keys', { name });
      setCreated({ name: k.name, key: k.key });
      setName('');
      await load();
    } catch (ex) {
      if (ex instanceof ApiError) setErr(ex);
    }
  }
  async function revoke(k: ApiKey) {
    setNotice(null);
    try {
      await del(`/api-keys/${k.id}`);
      setNotice(t('apiKeys.revokedNotice', { name: k.name }));
      await load();
    } catch (ex) {
      if (ex instanceof ApiError) setErr(ex);
    }
  }

  return (
    <Stack>
      <Title order={1} size="h2">
        {t('apiKeys.title')}
      </Title>
      <Text size="sm">{t('apiKeys.intro')}</Text>
      {notice && (
        <Alert color="green" role="status">
          {notice}
        </Alert>
      )}
      {created && (
        <ShownOnce
          title={t('apiKeys.createdTitle', { name: created.name })}
          note={t('apiKeys.shownOnce')}
          value={created.key}
          labels={{ copy: t('apiKeys.copy'), copied: t('apiKeys.copied'), hide: t('apiKeys.hide') }}
          kind="key"
          onHide={() => setCreated(null)}
        />
      )}
      {!readOnly && (
        <Paper withBorder p="md" component="form" onSubmit={create} noValidate aria-label={t('apiKeys.create')}>
          <Group align="flex-end">
            <TextInput label={t('apiKeys.name')} description={t('apiKeys.nameHint')} value={name} onChange={(e) => setName(e.currentTarget.value)} error={err?.field('/name')} />
            <Button type="submit">{t('apiKeys.create')}</Button>
          </Group>
          {err && err.errors.length === 0 && <Alert color="red">{err.message}</Alert>}
        </Paper>
      )}
      {keys.length === 0 && <Text>{t('apiKeys.empty')}</Text>}
      <Table.ScrollContainer minWidth={640}>
        <Table striped aria-label={t('apiKeys.list')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('apiKeys.name')}</Table.Th>
              <Table.Th>{t('apiKeys.prefix')}</Table.Th>
              <Table.Th>{t('apiKeys.created')}</Table.Th>
              <Table.Th>{t('apiKeys.lastUsed')}</Table.Th>
              <Table.Th>{t('apiKeys.state')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {keys.map((k) => (
              <Table.Tr key={k.id} data-api-key={k.name}>
                <Table.Td>{k.name}</Table.Td>
                <Table.Td>
                  <Code>rp_{k.prefix}_…</Code>
                </Table.Td>
                <Table.Td>{when(k.created_at)}</Table.Td>
                <Table.Td>{when(k.last_used_at)}</Table.Td>
                <Table.Td>
                  {k.revoked_at ? <Badge color="gray">{t('apiKeys.revoked', { at: when(k.revoked_at) })}</Badge> : <Badge color="green">{t('apiKeys.active')}</Badge>}
                </Table.Td>
                <Table.Td>
                  {!readOnly && !k.revoked_at && (
                    <Button size="xs" color="red" variant="light" onClick={() => void revoke(k)} aria-label={t('apiKeys.revokeNamed', { name: k.name })}>
                      {t('apiKeys.revoke')}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}
