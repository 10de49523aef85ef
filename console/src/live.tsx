// The live view in the header: missed-call notifications as they arrive (over
// server-sent events), with their count, each put off for 15 minutes or an hour
// or dismissed; heads can ask to be told of every missed call.
import { Badge, Button, Group, Indicator, Popover, Stack, Switch, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, patch, post, type Me } from './api.ts';
import { onLive } from './live-stream.ts';

interface Notification {
  call_id: string;
  caller: string | null;
  started_at: string;
  source: string;
  reminded: boolean;
}

export function LiveNotifications({ me }: { me: Me }) {
  const { t, i18n } = useTranslation();
  const [items, setItems] = useState<Notification[]>([]);
  const [everyMissed, setEveryMissed] = useState(false);

  useEffect(() => onLive<{ items: Notification[] }>('notifications', (d) => setItems(d.items)), [everyMissed]);
  useEffect(() => {
    if (me.may_watch_every_missed_call) get<{ notify_every_missed_call: boolean }>('/live/preferences').then((p) => setEveryMissed(p.notify_every_missed_call), () => undefined);
  }, [me.may_watch_every_missed_call]);

  const hideLocally = (id: string) => setItems((list) => list.filter((n) => n.call_id !== id));
  const snooze = async (id: string, minutes: 15 | 60) => {
    await post('/live/snooze', { call_id: id, minutes });
    hideLocally(id);
  };
  const dismiss = async (id: string) => {
    await post('/live/dismiss', { call_id: id });
    hideLocally(id);
  };
  const label = t('live.button', { n: items.length });

  return (
    <Popover width={340} position="bottom-end" shadow="md" trapFocus transitionProps={{ duration: 0 }}>
      <Popover.Target>
        <Indicator label={items.length} size={18} disabled={items.length === 0} color="red">
          <Button variant="default" size="xs" aria-label={label} data-missed-count={items.length}>
            {t('live.title')}
          </Button>
        </Indicator>
      </Popover.Target>
      <Popover.Dropdown aria-label={t('live.title')}>
        <Stack gap="sm">
          {me.may_watch_every_missed_call && (
            <Switch
              label={t('live.everyMissed')}
              checked={everyMissed}
              onChange={async (e) => {
                const on = e.currentTarget.checked;
                await patch('/live/preferences', { notify_every_missed_call: on });
                setEveryMissed(on);
              }}
            />
          )}
          {items.length === 0 && <Text size="sm">{t('live.none')}</Text>}
          {items.map((n) => (
            <Stack key={n.call_id} gap={4} data-notification={n.call_id}>
              <Group gap="xs">
                <Text size="sm" fw={600}>
                  {n.caller}
                </Text>
                {n.reminded && (
                  <Badge size="xs" color="orange">
                    {t('live.reminder')}
                  </Badge>
                )}
              </Group>
              <Text size="xs" c="dimmed">
                {new Date(n.started_at).toLocaleString(i18n.language === 'uk' ? 'uk-UA' : 'en-GB')} · {n.source}
              </Text>
              <Group gap={4}>
                <Button size="compact-xs" variant="light" onClick={() => void snooze(n.call_id, 15)}>
                  {t('live.snooze15')}
                </Button>
                <Button size="compact-xs" variant="light" onClick={() => void snooze(n.call_id, 60)}>
                  {t('live.snooze60')}
                </Button>
                <Button size="compact-xs" variant="subtle" onClick={() => void dismiss(n.call_id)}>
                  {t('live.dismiss')}
                </Button>
              </Group>
            </Stack>
          ))}
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
