// Employees: their destinations and SIP accounts, roles, senior manager, new
// clients, and the HubSpot owner picked from the CRM mirror.
import { ActionIcon, Alert, Anchor, Badge, Button, Checkbox, Code, FileInput, Group, Paper, PasswordInput, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, generateSipPassword, get, patch, post, put, type Page } from '../api.ts';

type DestinationType = 'phone' | 'sip_account' | 'sip_uri';
interface StoredDestination {
  type: DestinationType;
  number?: string;
  login?: string;
  uri?: string;
}
interface Employee {
  id: number;
  email: string;
  full_name: string;
  access_level: 'admin' | 'analyst' | 'employee';
  sales_role: 'sales_rep' | 'head' | 'quality_control';
  extension: string | null;
  hubspot_owner_id: string | null;
  receives_new_clients: boolean;
  is_senior_manager: boolean;
  main_destinations: StoredDestination[];
}
interface Owner {
  id: string;
  email: string | null;
  name: string;
  mapped_employee_id: number | null;
  mapped_employee_name: string | null;
}
interface DraftDestination {
  type: DestinationType;
  value: string;
  password: string;
}
interface Draft {
  id: number | null;
  email: string;
  full_name: string;
  extension: string;
  access_level: Employee['access_level'];
  sales_role: Employee['sales_role'];
  is_senior_manager: boolean;
  receives_new_clients: boolean;
  hubspot_owner_id: string | null;
  console_password: string;
  destinations: DraftDestination[];
}

const blank = (): Draft => ({
  id: null,
  email: '',
  full_name: '',
  extension: '',
  access_level: 'employee',
  sales_role: 'sales_rep',
  is_senior_manager: false,
  receives_new_clients: false,
  hubspot_owner_id: null,
  console_password: '',
  destinations: [{ type: 'phone', value: '', password: '' }],
});

const fromEmployee = (e: Employee): Draft => ({
  id: e.id,
  email: e.email,
  full_name: e.full_name,
  extension: e.extension ?? '',
  access_level: e.access_level,
  sales_role: e.sales_role,
  is_senior_manager: e.is_senior_manager,
  receives_new_clients: e.receives_new_clients,
  hubspot_owner_id: e.hubspot_owner_id,
  console_password: '',
  destinations: e.main_destinations.map((d) => ({ type: d.type, value: d.number ?? d.login ?? d.uri ?? '', password: '' })),
});

function destinationBody(d: DraftDestination) {
  if (d.type === 'phone') return { type: 'phone', number: d.value };
  if (d.type === 'sip_uri') return { type: 'sip_uri', uri: d.value };
  return { type: 'sip_account', login: d.value, ...(d.password ? { password: d.password } : {}) };
}

export function EmployeesPage({ readOnly }: { readOnly: boolean }) {
  const { t } = useTranslation();
  const [list, setList] = useState<Employee[]>([]);
  const [owners, setOwners] = useState<Owner[]>([]);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [errors, setErrors] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [generated, setGenerated] = useState<string | null>(null);

  const load = useCallback(async () => {
    setList((await get<Page<Employee>>('/employees?limit=200')).items);
    setOwners((await get<{ items: Owner[] }>('/console/crm-owners')).items);
  }, []);
  useEffect(() => void load(), [load]);

  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setDraft((d) => (d ? { ...d, [k]: v } : d));
  const setDest = (i: number, v: Partial<DraftDestination>) =>
    setDraft((d) => (d ? { ...d, destinations: d.destinations.map((x, j) => (j === i ? { ...x, ...v } : x)) } : d));
  const err = (field: string) => errors?.field(field);

  async function save(e: FormEvent) {
    e.preventDefault();
    if (!draft) return;
    setErrors(null);
    setNotice(null);
    const body = {
      email: draft.email,
      full_name: draft.full_name,
      extension: draft.extension === '' ? null : draft.extension,
      access_level: draft.access_level,
      sales_role: draft.sales_role,
      is_senior_manager: draft.is_senior_manager,
      receives_new_clients: draft.receives_new_clients,
      hubspot_owner_id: draft.hubspot_owner_id,
      main_destinations: draft.destinations.map(destinationBody),
    };
    try {
      const saved = draft.id === null ? await post<Employee>('/employees', body) : await patch<Employee>(`/employees/${draft.id}`, body);
      if (draft.console_password) {
        try {
          await put(`/employees/${saved.id}/console-password`, { password: draft.console_password });
        } catch (pe) {
          if (pe instanceof ApiError) setErrors(new ApiError(pe.status, pe.code, pe.message, [{ field: '/console_password', message: pe.field('/password') ?? pe.message }], undefined));
          setDraft({ ...fromEmployee(saved), console_password: draft.console_password });
          await load();
          return;
        }
      }
      setDraft(null);
      setGenerated(null);
      setNotice(t('employees.saved'));
      await load();
    } catch (ex) {
      if (ex instanceof ApiError) setErrors(ex);
      else throw ex;
    }
  }

  const ownerOptions = [
    { value: '', label: t('employees.ownerNone') },
    ...owners.map((o) => {
      const mappedElsewhere = o.mapped_employee_id !== null && o.mapped_employee_id !== draft?.id;
      return {
        value: o.id,
        label: `${o.name}${o.email ? ` <${o.email}>` : ''}${o.mapped_employee_name ? ` — ${t('employees.ownerMapped', { name: o.mapped_employee_name })}` : ''}`,
        disabled: mappedElsewhere,
      };
    }),
  ];

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          {t('employees.title')}
        </Title>
        <Group>
          <Anchor href="/api/v1/employees/export.csv" download>
            {t('employees.export')}
          </Anchor>
          {!readOnly && !draft && (
            <Button onClick={() => (setDraft(blank()), setErrors(null), setNotice(null))}>{t('employees.add')}</Button>
          )}
        </Group>
      </Group>
      {!readOnly && <CsvImport onDone={() => void load()} />}
      {notice && (
        <Alert color="green" role="status">
          {notice}
        </Alert>
      )}
      {draft && (
        <Paper withBorder p="md" component="form" onSubmit={save} noValidate aria-label={draft.id === null ? t('employees.add') : t('employees.edit')}>
          <Stack>
            <Title order={2} size="h3">
              {draft.id === null ? t('employees.add') : t('employees.edit')}
            </Title>
            {errors && (
              <Alert color="red" role="alert">
                {errors.errors.length > 0 ? t('employees.fix') : errors.message}
              </Alert>
            )}
            <Group grow align="flex-start" wrap="wrap">
              <TextInput label={t('employees.name')} required value={draft.full_name} onChange={(e) => set('full_name', e.currentTarget.value)} error={err('/full_name')} miw={220} />
              <TextInput label={t('employees.email')} type="email" required value={draft.email} onChange={(e) => set('email', e.currentTarget.value)} error={err('/email')} miw={220} />
              <TextInput
                label={t('employees.extension')}
                description={t('employees.extensionHint')}
                value={draft.extension}
                onChange={(e) => set('extension', e.currentTarget.value)}
                error={err('/extension')}
                miw={120}
              />
            </Group>
            <Group grow align="flex-start" wrap="wrap">
              <Select
                label={t('employees.accessLevel')}
                value={draft.access_level}
                allowDeselect={false}
                onChange={(v) => v && set('access_level', v as Draft['access_level'])}
                data={(['admin', 'analyst', 'employee'] as const).map((v) => ({ value: v, label: t(`employees.levels.${v}`) }))}
              />
              <Select
                label={t('employees.salesRole')}
                value={draft.sales_role}
                allowDeselect={false}
                onChange={(v) => v && set('sales_role', v as Draft['sales_role'])}
                data={(['sales_rep', 'head', 'quality_control'] as const).map((v) => ({ value: v, label: t(`employees.roles.${v}`) }))}
              />
              <Select
                label={t('employees.owner')}
                description={owners.length === 0 ? t('employees.noOwners') : undefined}
                value={draft.hubspot_owner_id ?? ''}
                onChange={(v) => set('hubspot_owner_id', v ? v : null)}
                data={ownerOptions}
                searchable
                error={err('/hubspot_owner_id')}
              />
            </Group>
            <Group>
              <Checkbox label={t('employees.seniorManager')} checked={draft.is_senior_manager} onChange={(e) => set('is_senior_manager', e.currentTarget.checked)} error={err('/is_senior_manager')} />
              <Checkbox label={t('employees.newClients')} checked={draft.receives_new_clients} onChange={(e) => set('receives_new_clients', e.currentTarget.checked)} />
            </Group>
            <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
              <legend>
                <Text fw={600}>{t('employees.destinations')}</Text>
              </legend>
              <Stack gap="xs">
                {draft.destinations.map((d, i) => (
                  <Group key={i} align="flex-start" wrap="wrap" data-destination={i}>
                    <Select
                      label={t('employees.type')}
                      value={d.type}
                      allowDeselect={false}
                      onChange={(v) => v && setDest(i, { type: v as DestinationType })}
                      data={(['phone', 'sip_account', 'sip_uri'] as const).map((v) => ({ value: v, label: t(`employees.types.${v}`) }))}
                      w={200}
                    />
                    <TextInput
                      label={d.type === 'phone' ? t('employees.number') : d.type === 'sip_uri' ? t('employees.uri') : t('employees.login')}
                      value={d.value}
                      onChange={(e) => setDest(i, { value: e.currentTarget.value })}
                      error={err(`/main_destinations/${i}/number`) ?? err(`/main_destinations/${i}/uri`) ?? err(`/main_destinations/${i}/login`) ?? err(`/main_destinations/${i}`)}
                      w={220}
                    />
                    {d.type === 'sip_account' && (
                      <Group align="flex-end" gap="xs">
                        <PasswordInput
                          label={t('employees.sipPassword')}
                          value={d.password}
                          onChange={(e) => setDest(i, { password: e.currentTarget.value })}
                          error={err(`/main_destinations/${i}/password`)}
                          w={220}
                          autoComplete="new-password"
                        />
                        <Button
                          variant="light"
                          onClick={() => {
                            const p = generateSipPassword();
                            setDest(i, { password: p });
                            setGenerated(p);
                          }}
                        >
                          {t('employees.generate')}
                        </Button>
                      </Group>
                    )}
                    <Button variant="subtle" color="red" mt={24} onClick={() => set('destinations', draft.destinations.filter((_, j) => j !== i))}>
                      {t('employees.remove')}
                    </Button>
                  </Group>
                ))}
                {generated && (
                  <Alert color="blue" role="status">
                    {t('employees.generated')} <Code data-generated-password>{generated}</Code>
                  </Alert>
                )}
                <Button variant="default" w="fit-content" onClick={() => set('destinations', [...draft.destinations, { type: 'phone', value: '', password: '' }])}>
                  {t('employees.addDestination')}
                </Button>
              </Stack>
            </fieldset>
            <PasswordInput
              label={t('employees.consolePassword')}
              description={t('employees.consolePasswordHint')}
              value={draft.console_password}
              onChange={(e) => set('console_password', e.currentTarget.value)}
              error={err('/console_password')}
              autoComplete="new-password"
              maw={420}
            />
            <Group>
              <Button type="submit">{t('employees.save')}</Button>
              <Button variant="default" onClick={() => (setDraft(null), setErrors(null), setGenerated(null))}>
                {t('employees.cancel')}
              </Button>
            </Group>
          </Stack>
        </Paper>
      )}
      {list.length === 0 ? (
        <Text>{t('employees.empty')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table striped highlightOnHover aria-label={t('employees.title')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('employees.name')}</Table.Th>
                <Table.Th>{t('employees.email')}</Table.Th>
                <Table.Th>{t('employees.extension')}</Table.Th>
                <Table.Th>{t('employees.salesRole')}</Table.Th>
                <Table.Th>{t('employees.owner')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.map((e) => (
                <Table.Tr key={e.id} data-employee={e.email}>
                  <Table.Td>
                    {e.full_name} {e.is_senior_manager && <Badge size="xs">{t('employees.seniorManager')}</Badge>}
                  </Table.Td>
                  <Table.Td>{e.email}</Table.Td>
                  <Table.Td>{e.extension}</Table.Td>
                  <Table.Td>
                    {t(`employees.roles.${e.sales_role}`)} · {t(`employees.levels.${e.access_level}`)}
                  </Table.Td>
                  <Table.Td>{owners.find((o) => o.id === e.hubspot_owner_id)?.name ?? e.hubspot_owner_id ?? ''}</Table.Td>
                  <Table.Td>
                    {!readOnly && (
                      <ActionIcon.Group>
                        <Button size="xs" variant="default" onClick={() => (setDraft(fromEmployee(e)), setErrors(null), setNotice(null))} aria-label={`${t('employees.edit')}: ${e.full_name}`}>
                          {t('employees.edit')}
                        </Button>
                      </ActionIcon.Group>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}

interface ImportResult {
  created: number;
  rejected: number;
  rows: Array<{ line: number; status: 'created' | 'rejected'; email: string | null; errors?: Array<{ column: string; message: string }> }>;
}

function CsvImport({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  async function run(e: FormEvent) {
    e.preventDefault();
    if (!file) return;
    setError(null);
    setResult(null);
    try {
      setResult(await post<ImportResult>('/employees/import', { csv: await file.text() }));
      onDone();
    } catch (ex) {
      setError(ex instanceof ApiError ? (ex.errors[0]?.message ?? ex.message) : (ex as Error).message);
    }
  }
  return (
    <Paper withBorder p="sm" component="form" onSubmit={run} aria-label={t('employees.import')}>
      <Group align="flex-end" wrap="wrap">
        <FileInput label={t('employees.import')} description={t('employees.importHint')} accept=".csv,text/csv" value={file} onChange={setFile} error={error} w={360} clearable />
        <Button type="submit" variant="light" disabled={!file}>
          {t('employees.importRun')}
        </Button>
      </Group>
      {result && (
        <Stack gap={4} mt="sm" data-import-result>
          <Text size="sm" role="status">
            {t('employees.importSummary', { created: result.created, rejected: result.rejected })}
          </Text>
          {result.rows
            .filter((r) => r.status === 'rejected')
            .map((r) => (
              <Text size="sm" c="red" key={r.line} data-rejected-line={r.line}>
                {t('employees.importLine', { line: r.line, email: r.email ?? '' })}: {(r.errors ?? []).map((e) => `${e.column}: ${e.message}`).join('; ')}
              </Text>
            ))}
        </Stack>
      )}
    </Paper>
  );
}
