import { Code, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, type Page } from '../api.ts';

interface Entry {
  id: number;
  at: string;
  actor: { label: string };
  method: string;
  path: string;
  old_value: unknown;
  new_value: unknown;
}

export function AuditPage() {
  const { t, i18n } = useTranslation();
  const [page, setPage] = useState<Page<Entry> | null>(null);
  useEffect(() => {
    get<Page<Entry>>('/audit-log?limit=100').then(setPage, () => undefined);
  }, []);
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('audit.title')}
      </Title>
      {page && page.items.length === 0 && <Text>{t('audit.empty')}</Text>}
      <Table.ScrollContainer minWidth={720}>
        <Table striped aria-label={t('audit.title')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('audit.when')}</Table.Th>
              <Table.Th>{t('audit.who')}</Table.Th>
              <Table.Th>{t('audit.what')}</Table.Th>
              <Table.Th>{t('audit.old')}</Table.Th>
              <Table.Th>{t('audit.new')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {page?.items.map((e) => (
              <Table.Tr key={e.id}>
                <Table.Td>{new Date(e.at).toLocaleString(i18n.language === 'uk' ? 'uk-UA' : 'en-GB')}</Table.Td>
                <Table.Td>{e.actor.label}</Table.Td>
                <Table.Td>
                  {e.method} {e.path}
                </Table.Td>
                <Table.Td>
                  <Code block>{JSON.stringify(e.old_value, null, 1)}</Code>
                </Table.Td>
                <Table.Td>
                  <Code block>{JSON.stringify(e.new_value, null, 1)}</Code>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}
