import { Alert, Anchor, Badge, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get } from '../api.ts';
import { navigate } from '../router.ts';

interface Item {
  id: 'trunk' | 'tracking_numbers' | 'employees' | 'hubspot' | 'routing_scheme' | 'snippet';
  done: boolean;
  missing: string | null;
  page: string | null;
}

export function HomePage() {
  const { t } = useTranslation();
  const [items, setItems] = useState<Item[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    get<{ items: Item[] }>('/console/checklist').then((r) => setItems(r.items), (e: Error) => setError(e.message));
  }, []);
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('home.title')}
      </Title>
      <Text>{t('home.intro')}</Text>
      {error && <Alert color="red">{t('errors.generic', { message: error })}</Alert>}
      {items?.every((i) => i.done) && <Alert color="green">{t('home.allDone')}</Alert>}
      <Stack component="ol" gap="xs" p={0} style={{ listStyle: 'none' }} aria-label={t('home.title')}>
        {items?.map((i) => (
          <Card component="li" withBorder key={i.id} data-item={i.id} data-done={i.done}>
            <Group justify="space-between" wrap="wrap">
              <div>
                <Text fw={600}>{t(`home.items.${i.id}`)}</Text>
                {i.missing && (
                  <Text size="sm" c="dimmed">
                    {t(`home.missing.${i.missing}`)}
                  </Text>
                )}
              </div>
              <Group gap="sm">
                <Badge color={i.done ? 'green' : 'orange'}>{i.done ? t('home.done') : t('home.todo')}</Badge>
                {i.page !== null && (
                  <Anchor
                    href={i.page}
                    onClick={(e) => {
                      e.preventDefault();
                      navigate(i.page!);
                    }}
                    aria-label={`${t('home.open')}: ${t(`home.items.${i.id}`)}`}
                  >
                    {t('home.open')}
                  </Anchor>
                )}
              </Group>
            </Group>
          </Card>
        ))}
      </Stack>
    </Stack>
  );
}
