// The console's shell: who is signed in, the navigation their role allows, and the page.
import { Alert, Anchor, AppShell, Burger, Button, Center, Group, Loader, NavLink, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, post, setCsrf, whenUnauthorized, type Me } from './api.ts';
import { setLanguage } from './i18n.ts';
import { LiveNotifications } from './live.tsx';
import { LiveCalls } from './live-calls.tsx';
import type { Language } from './messages.ts';
import { ApiKeysPage } from './pages/api-keys.tsx';
import { AuditPage } from './pages/audit.tsx';
import { CallsPage } from './pages/calls.tsx';
import { CrmPage } from './pages/crm.tsx';
import { EmployeesPage } from './pages/employees.tsx';
import { HomePage } from './pages/home.tsx';
import { LoginPage } from './pages/login.tsx';
import { PasswordPage } from './pages/password.tsx';
import { ReportsPage } from './pages/reports.tsx';
import { RoutingPage } from './pages/routing.tsx';
import { SitesPage } from './pages/sites.tsx';
import { WebhooksPage } from './pages/webhooks.tsx';
import { navigate, usePath } from './router.ts';

interface NavItem {
  path: string;
  label: string;
  /** Who sees it: settings pages are for admins and analysts. */
  settings: boolean;
}

export function App() {
  const { t, i18n } = useTranslation();
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const path = usePath();
  const [opened, { toggle, close }] = useDisclosure();

  const load = useCallback(async () => {
    try {
      const m = await get<Me>('/auth/me');
      setCsrf(m.csrf_token);
      setMe(m);
    } catch {
      setMe(null);
    }
  }, []);
  useEffect(() => {
    whenUnauthorized(() => setMe(null));
    void load();
  }, [load]);

  if (me === undefined) {
    return (
      <Center h="100vh">
        <Loader aria-label="loading" />
      </Center>
    );
  }
  if (me === null) return <LoginPage onLoggedIn={(m) => (setCsrf(m.csrf_token), setMe(m))} />;
  if (me.must_change_password) return <PasswordPage forced onChanged={() => void load()} />;

  const staff = me.access_level !== 'employee';
  const items: NavItem[] = [
    { path: '/', label: t('nav.home'), settings: true },
    { path: '/calls', label: t('nav.calls'), settings: false },
    { path: '/reports', label: t('nav.reports'), settings: true },
    { path: '/sites', label: t('nav.sites'), settings: true },
    { path: '/employees', label: t('nav.employees'), settings: true },
    { path: '/routing', label: t('nav.routing'), settings: true },
    { path: '/crm', label: t('nav.crm'), settings: true },
    { path: '/api-keys', label: t('nav.apiKeys'), settings: true },
    { path: '/outbound-webhooks', label: t('nav.webhooks'), settings: true },
    { path: '/audit', label: t('nav.audit'), settings: true },
    { path: '/password', label: t('nav.password'), settings: false },
  ].filter((i) => staff || !i.settings);
  const current = staff ? path : path === '/' ? '/calls' : path;
  const readOnly = me.access_level !== 'admin';

  const page = (() => {
    if (!items.some((i) => i.path === current)) return <Alert color="red">{t('errors.forbidden')}</Alert>;
    switch (current) {
      case '/':
        return <HomePage />;
      case '/calls':
        return <CallsPage me={me} />;
      case '/employees':
        return <EmployeesPage readOnly={readOnly} />;
      case '/reports':
        return <ReportsPage />;
      case '/sites':
        return <SitesPage readOnly={readOnly} />;
      case '/routing':
        return <RoutingPage readOnly={readOnly} />;
      case '/crm':
        return <CrmPage readOnly={readOnly} />;
      case '/api-keys':
        return <ApiKeysPage readOnly={readOnly} />;
      case '/outbound-webhooks':
        return <WebhooksPage readOnly={readOnly} />;
      case '/audit':
        return <AuditPage />;
      case '/password':
        return <PasswordPage forced={false} onChanged={() => void load()} />;
      default:
        return null;
    }
  })();

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <Anchor href="#main" className="skip-link" style={{ position: 'absolute', left: -9999 }} onFocus={(e) => (e.currentTarget.style.left = '8px')}>
        {t('app.skip')}
      </Anchor>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t('app.menu')} />
            <Title order={3}>ringpath</Title>
          </Group>
          <Group wrap="nowrap" gap="xs">
            <LiveNotifications me={me} />
            <SegmentedControl
              aria-label={t('app.language')}
              size="xs"
              value={i18n.language}
              onChange={(v) => setLanguage(v as Language)}
              data={[
                { value: 'en', label: 'EN' },
                { value: 'uk', label: 'УК' },
              ]}
            />
            <Text size="sm" visibleFrom="sm">
              {me.full_name}
            </Text>
            <Button
              variant="default"
              size="xs"
              onClick={async () => {
                await post('/auth/logout').catch(() => undefined);
                setCsrf(null);
                setMe(null);
                navigate('/');
              }}
            >
              {t('app.logout')}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" component="nav" aria-label={t('app.menu')}>
        {items.map((i) => (
          <NavLink
            key={i.path}
            href={i.path}
            label={i.label}
            active={current === i.path}
            aria-current={current === i.path ? 'page' : undefined}
            onClick={(e) => {
              e.preventDefault();
              navigate(i.path);
              close();
            }}
          />
        ))}
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1}>
        {current === '/' || current === '/calls' ? (
          <Stack>
            <LiveCalls />
            {page}
          </Stack>
        ) : (
          page
        )}
      </AppShell.Main>
    </AppShell>
  );
}
