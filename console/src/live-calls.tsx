// The calls in progress now, at the top of the home page and the call log, as
// the live stream lists them (each employee sees their own clients' calls).
import { Badge, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { onLive } from './live-stream.ts';

interface LiveCall {
  call_id: string;
  caller: string | null;
  tracking_number: string | null;
  source: string | null;
  started_at: string;
  answered_at: string | null;
  answered_by_employee_id: number | null;
}

export function LiveCalls() {
  const { t, i18n } = useTranslation();
  const [calls, setCalls] = useState<LiveCall[] | null>(null);
  useEffect(() => onLive<{ items: LiveCall[] }>('calls', (d) => setCalls(d.items)), []);
  const time = (iso: string) => new Date(iso).toLocaleTimeString(i18n.language === 'uk' ? 'uk-UA' : 'en-GB');

  return (
    <Paper component="section" withBorder p="sm" aria-labelledby="live-calls-title" data-live-count={calls?.length ?? ''}>
      <Stack gap="xs">
        <Group gap="xs">
          <Title order={2} size="h4" id="live-calls-title">
            {t('liveCalls.title')}
          </Title>
          <Badge color={calls && calls.length > 0 ? 'green' : 'gray'}>{calls?.length ?? 0}</Badge>
        </Group>
        {calls !== null && calls.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('liveCalls.none')}
          </Text>
        )}
        {calls !== null && calls.length > 0 && (
          <Table.ScrollContainer minWidth={420}>
            <Table aria-labelledby="live-calls-title">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('liveCalls.caller')}</Table.Th>
                  <Table.Th>{t('liveCalls.source')}</Table.Th>
                  <Table.Th>{t('liveCalls.since')}</Table.Th>
                  <Table.Th>{t('liveCalls.state')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {calls.map((c) => (
                  <Table.Tr key={c.call_id} data-live-call={c.call_id} data-answered={c.answered_at !== null}>
                    <Table.Td>{c.caller ?? t('liveCalls.withheld')}</Table.Td>
                    <Table.Td>{c.source ?? '—'}</Table.Td>
                    <Table.Td>{time(c.started_at)}</Table.Td>
                    <Table.Td>
                      {c.answered_at === null ? (
                        <Badge color="orange">{t('liveCalls.ringing')}</Badge>
                      ) : (
                        <Badge color="green">{t('liveCalls.talking', { time: time(c.answered_at) })}</Badge>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
    </Paper>
  );
}
