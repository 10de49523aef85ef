import { destinationKey } from '../../../routing/targets.ts';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { describeUnmetRules, normalizeSipUri, sipDigests, unmetSipPasswordRules, type SipDigests } from '../../../auth/sip-credentials.ts';
import { withTransaction, type Queryable } from '../../../db/pool.ts';
import {
  DESTINATION_ROLES,
  employeesRepository as employees,
  type DestinationRole,
  type DestinationWrite,
  type EmployeeRecord,
  type StoredDestination,
} from '../../../db/repositories/employees.ts';
import { AppError, notFound, type Warning } from '../../../errors.ts';
import { ownerMapping } from '../../../crm/owner-mapping.ts';
import type { AppDeps } from '../../app.ts';
import { requirePhone } from '../../inputs.ts';
import { ForceQuery, IdParams, ListQuery, Page, errorResponses } from '../../schemas/common.ts';
import {
  Employee,
  EmployeeChanged,
  EmployeeCreate,
  EmployeeDeleted,
  EmployeeUpdate,
  type Destination,
  type DestinationInput,
} from '../../schemas/employees.ts';
import { employeeChangeRefusal, warningFor, type EmployeeChange } from '../../../employees/dependants.ts';
import { readOnlyProblems, type ReadOnlyValue } from '../../read-only.ts';

// ---- destinations: from what the client sent to what the repository writes ----

/** One destination as sent, checked and normalised; `field` points at it in the body. */
interface Draft {
  readonly field: string;
  readonly value:
    | { type: 'phone'; phone: string }
    | { type: 'sip_uri'; uri: string }
    | { type: 'sip_account'; login: string; digests: SipDigests | undefined };
}
type Drafts = Partial<Record<DestinationRole, Draft[]>>;

const LIST_FIELD: Record<DestinationRole, 'main_destinations' | 'additional_destinations'> = {
  main: 'main_destinations',
  additional: 'additional_destinations',
};

function draft(d: DestinationInput, field: string, ctx: { defaultCountry: string; realm: string }): Draft {
  switch (d.type) {
    case 'phone':
      return { field, value: { type: 'phone', phone: requirePhone(d.number, `${field}/number`, ctx.defaultCountry, 'ringing') } };
    case 'sip_uri': {
      const r = normalizeSipUri(d.uri);
      if (!r.ok) throw AppError.field('VALIDATION_FAILED', `${field}/uri`, r.message);
      return { field, value: { type: 'sip_uri', uri: r.uri } };
    }
    case 'sip_account': {
      if (d.password === undefined) return { field, value: { type: 'sip_account', login: d.login, digests: undefined } };
      const missing = describeUnmetRules(unmetSipPasswordRules(d.password));
      if (missing) throw AppError.field('WEAK_SIP_PASSWORD', `${field}/password`, `the SIP password ${missing}`);
      return { field, value: { type: 'sip_account', login: d.login, digests: sipDigests(d.login, ctx.realm, d.password) } };
    }
  }
}

/** Checks and normalises the destination lists present in the body (phones, URIs, password policy). */
function draftAll(body: Partial<Record<(typeof LIST_FIELD)[DestinationRole], DestinationInput[]>>, ctx: { defaultCountry: string; realm: string }): Drafts {
  const drafts: Drafts = {};
  for (const role of DESTINATION_ROLES) {
    const list = body[LIST_FIELD[role]];
    if (list) drafts[role] = list.map((d, i) => draft(d, `/${LIST_FIELD[role]}/${i}`, ctx));
  }
  return drafts;
}

type Entry = { field?: string; role: DestinationRole; value: Draft['value'] | StoredDestination };

/** The destination's identity (the rule routing and answer recognition use) and the field that carries it. */
const identity = (v: Entry['value']): [key: string, subfield: string] =>
  v.type === 'phone'
    ? [destinationKey({ type: 'phone', number: v.phone }), 'number']
    : v.type === 'sip_uri'
      ? [destinationKey({ type: 'sip_uri', uri: v.uri }), 'uri']
      : [destinationKey({ type: 'sip_account', login: v.login }), 'login'];

/** The lists the employee ends up with must not name the same phone, URI or SIP login twice. */
function assertDistinct(drafts: Drafts, current: EmployeeRecord['destinations']): void {
  const seen = new Map<string, Entry>();
  for (const role of DESTINATION_ROLES) {
    const entries: Entry[] = drafts[role]?.map((d) => ({ field: d.field, role, value: d.value })) ?? current[role].map((value) => ({ role, value }));
    for (const e of entries) {
      const [key, subfield] = identity(e.value);
      const first = seen.get(key);
      if (!first) {
        seen.set(key, e);
        continue;
      }
      // blame the entry the request sent; a stored list the request left alone is not at fault
      const [sent, other] = e.field ? [e, first] : [first, e];
      if (!sent.field) continue;
      const where = other.field ?? `one of the employee's stored ${other.role} destinations`;
      throw AppError.field('VALIDATION_FAILED', `${sent.field}/${subfield}`, `repeats ${where}; each destination may appear once`);
    }
  }
}

interface Plan {
  lists: Partial<Record<DestinationRole, DestinationWrite[]>>;
  /** logins this request creates or re-keys, to check against other employees' accounts */
  logins: Array<{ login: string; field: string }>;
}

/**
 * Decides what to write. A sip_account whose login the employee already has keeps its
 * account (and, without a password, its digests); any other login needs a password.
 */
function plan(drafts: Drafts, current: EmployeeRecord['destinations']): Plan {
  assertDistinct(drafts, current);
  const own = new Map<string, { id: number; login: string }>();
  for (const d of [...current.main, ...current.additional]) {
    if (d.type === 'sip_account') own.set(d.login.toLowerCase(), { id: d.sip_account_id, login: d.login });
  }
  const result: Plan = { lists: {}, logins: [] };
  for (const role of DESTINATION_ROLES) {
    result.lists[role] = drafts[role]?.map(({ field, value: v }): DestinationWrite => {
      if (v.type !== 'sip_account') return v;
      const existing = own.get(v.login.toLowerCase());
      if (!v.digests) {
        if (!existing) throw AppError.field('VALIDATION_FAILED', `${field}/password`, 'is required for a new SIP account');
        if (existing.login !== v.login) {
          throw AppError.field('VALIDATION_FAILED', `${field}/password`, 'is required to change how the login is spelt (the digests depend on it)');
        }
        return { type: 'sip_account', account: { kind: 'keep', id: existing.id } };
      }
      result.logins.push({ login: v.login, field });
      const account = existing
        ? { kind: 'rekey' as const, id: existing.id, login: v.login, digests: v.digests }
        : { kind: 'create' as const, login: v.login, digests: v.digests };
      return { type: 'sip_account', account };
    });
  }
  return result;
}

async function saveDestinations(tx: Queryable, employeeId: number, drafts: Drafts, current: EmployeeRecord['destinations']): Promise<void> {
  if (!drafts.main && !drafts.additional) return;
  const p = plan(drafts, current);
  const owners = await employees.sipLoginOwners(tx, p.logins.map((l) => l.login));
  const taken = owners.find((o) => o.employee_id !== employeeId);
  if (taken) {
    const at = p.logins.find((l) => l.login.toLowerCase() === taken.login.toLowerCase())!;
    throw AppError.field('SIP_LOGIN_TAKEN', `${at.field}/login`, 'is already used by another SIP account');
  }
  await employees.replaceDestinations(tx, employeeId, p.lists);
}

// ---- HTTP ----

const toDestination = (d: StoredDestination): Destination => (d.type === 'phone' ? { type: 'phone', number: d.phone } : d);

const toEmployee = ({ destinations, ...r }: EmployeeRecord): Employee => ({
  ...r,
  main_destinations: destinations.main.map(toDestination),
  additional_destinations: destinations.additional.map(toDestination),
  created_at: r.created_at.toISOString(),
  updated_at: r.updated_at.toISOString(),
});

const NO_DESTINATIONS: EmployeeRecord['destinations'] = { main: [], additional: [] };

const CREATE_DOC = {
  summary: 'Add an employee',
  description:
    'Adds an employee with the destinations they are rung on. Phone numbers may be written in any format and are stored as E.164; ' +
    'a sip_account destination creates a ringpath SIP account (only its digests are stored).',
};

/** The read-only fields of a PATCH body (a GET body sent back) against what is stored. */
function readOnlyValues(body: EmployeeUpdate, current: EmployeeRecord): ReadOnlyValue[] {
  const values: ReadOnlyValue[] = [
    { field: '/id', sent: body.id, stored: current.id },
    { field: '/created_at', sent: body.created_at, stored: current.created_at },
    { field: '/updated_at', sent: body.updated_at, stored: current.updated_at },
  ];
  const accounts = new Map<string, number>();
  for (const d of [...current.destinations.main, ...current.destinations.additional]) {
    if (d.type === 'sip_account') accounts.set(d.login.toLowerCase(), d.sip_account_id);
  }
  for (const role of DESTINATION_ROLES) {
    body[LIST_FIELD[role]]?.forEach((d, i) => {
      if (d.type === 'sip_account') {
        values.push({ field: `/${LIST_FIELD[role]}/${i}/sip_account_id`, sent: d.sip_account_id, stored: accounts.get(d.login.toLowerCase()) });
      }
    });
  }
  return values;
}

export async function employeeRoutes(fastify: FastifyInstance, opts: { deps: AppDeps }): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { pool, config } = opts.deps;
  const ctx = { defaultCountry: config.defaultCountry, realm: config.sipRealm };
  const tags = ['employees'];
  const crmOn = Boolean(config.crm.hubspotToken);

  /** Refuses (409) a change that leaves something without the employee, or with force reports it. */
  const dependantWarnings = async (tx: Queryable, change: EmployeeChange, current: EmployeeRecord, force: boolean): Promise<Warning[]> => {
    const refusal = employeeChangeRefusal(change, {
      id: current.id,
      isSeniorManager: current.is_senior_manager,
      schemesWithSeniorManagerStep: current.is_senior_manager ? await employees.schemesWithSeniorManagerStep(tx) : [],
      crmSyncOn: Boolean(config.crm.hubspotToken),
      callerIdNumbers: change === 'delete' ? await employees.callerIdNumbers(tx, current.id) : [],
    });
    if (!refusal) return [];
    if (!force) throw new AppError(refusal.code, refusal.message, [], refusal.dependants);
    return refusal.dependants.map(warningFor);
  };

  app.get('/', { schema: { tags, summary: 'List employees', description: 'Employees with their destinations, by id, a page at a time.', querystring: ListQuery, response: { 200: Page(Employee), ...errorResponses } } }, async (req) => {
    const page = await employees.list(pool, req.query.limit, req.query.offset);
    return { ...page, items: page.items.map(toEmployee) };
  });

  app.post('/', { schema: { tags, ...CREATE_DOC, body: EmployeeCreate, response: { 201: Employee, ...errorResponses } } }, async (req, reply) => {
    const { main_destinations, additional_destinations, ...b } = req.body;
    const drafts = draftAll({ main_destinations: main_destinations ?? [], additional_destinations: additional_destinations ?? [] }, ctx);
    const record = await withTransaction(pool, async (tx) => {
      await ownerMapping.check(tx, b.hubspot_owner_id, null, crmOn);
      const row = await employees.create(tx, {
        email: b.email,
        full_name: b.full_name.trim(),
        access_level: b.access_level ?? 'employee',
        sales_role: b.sales_role ?? 'sales_rep',
        extension: b.extension ?? null,
        hubspot_owner_id: b.hubspot_owner_id ?? null,
        receives_new_clients: b.receives_new_clients ?? false,
        is_senior_manager: b.is_senior_manager ?? false,
      });
      await saveDestinations(tx, row.id, drafts, NO_DESTINATIONS);
      return (await employees.get(tx, row.id))!;
    });
    return reply.code(201).send(toEmployee(record));
  });

  app.get('/:id', { schema: { tags, summary: 'Get an employee', description: 'The employee with their destinations. The body may be sent back unchanged in a PATCH.', params: IdParams, response: { 200: Employee, ...errorResponses } } }, async (req) => {
    const record = await employees.get(pool, req.params.id);
    if (!record) throw notFound('employee', req.params.id);
    return toEmployee(record);
  });

  app.patch(
    '/:id',
    {
      schema: {
        tags,
        summary: 'Change an employee',
        description:
          'Sets the fields given; a destinations list replaces the stored one. Read-only fields (id, created_at, updated_at, sip_account_id) ' +
          'are accepted when they match what is stored (400 READ_ONLY_FIELD otherwise). Demoting the senior manager while something depends ' +
          'on them is 409 SENIOR_MANAGER_NEEDED; ?force=true does it and lists what was left without one in `warnings`.',
        params: IdParams,
        querystring: ForceQuery,
        body: EmployeeUpdate,
        response: { 200: EmployeeChanged, ...errorResponses },
      },
    },
    async (req) => {
      const { id } = req.params;
      // read-only fields (a GET body sent back) are checked below and otherwise ignored
      const { main_destinations, additional_destinations, id: _id, created_at: _c, updated_at: _u, ...fields } = req.body;
      const drafts = draftAll({ main_destinations, additional_destinations }, ctx);
      const { record, warnings } = await withTransaction(pool, async (tx) => {
        const current = await employees.get(tx, id, { lock: true });
        if (!current) throw notFound('employee', id);
        const problems = readOnlyProblems(readOnlyValues(req.body, current));
        if (problems.length) throw new AppError('READ_ONLY_FIELD', problems.map((p) => `${p.field} ${p.message}`).join('; '), problems);
        if (fields.hubspot_owner_id !== undefined && fields.hubspot_owner_id !== current.hubspot_owner_id) {
          await ownerMapping.check(tx, fields.hubspot_owner_id, id, crmOn);
        }
        const demoting = current.is_senior_manager && fields.is_senior_manager === false;
        const warnings = demoting ? await dependantWarnings(tx, 'demote', current, req.query.force) : [];
        await employees.update(tx, id, { ...fields, full_name: fields.full_name?.trim() });
        await saveDestinations(tx, id, drafts, current.destinations);
        return { record: (await employees.get(tx, id))!, warnings };
      });
      return warnings.length ? { ...toEmployee(record), warnings } : toEmployee(record);
    },
  );

  app.post(
    '/:id/senior-manager',
    {
      schema: {
        tags,
        summary: 'Make this employee the senior manager',
        description: 'Moves the flag from the current senior manager, if any, in one transaction.',
        params: IdParams,
        response: { 200: Employee, ...errorResponses },
      },
    },
    async (req) => {
      const { id } = req.params;
      const record = await withTransaction(pool, async (tx) => {
        if (!(await employees.makeSeniorManager(tx, id))) throw notFound('employee', id);
        return (await employees.get(tx, id))!;
      });
      return toEmployee(record);
    },
  );

  app.delete(
    '/:id',
    {
      schema: {
        tags,
        summary: 'Delete an employee',
        description:
          'Deletes the employee with their destinations and SIP accounts (204). Refused while a routing scheme rings them ' +
          '(409 EMPLOYEE_IN_ROUTING_SCHEME); while they are the senior manager something depends on (409 SENIOR_MANAGER_NEEDED); or ' +
          'while a tracking number is their caller id (409 EMPLOYEE_IS_CALLER_ID). With ?force=true the last two go ahead and answer 200 ' +
          'with the warnings.',
        params: IdParams,
        querystring: ForceQuery,
        response: { 200: EmployeeDeleted, 204: Type.Null({ description: 'deleted; nothing was left without them' }), ...errorResponses },
      },
    },
    async (req, reply) => {
      const { id } = req.params;
      const schemes = await employees.schemesUsing(pool, id);
      if (schemes.length) {
        const names = schemes.map((s) => JSON.stringify(s)).join(', ');
        throw new AppError('EMPLOYEE_IN_ROUTING_SCHEME', `employee ${id} is rung by routing scheme ${names}; take them out of its steps first`);
      }
      const warnings = await withTransaction(pool, async (tx) => {
        const current = await employees.get(tx, id, { lock: true });
        if (!current) throw notFound('employee', id);
        const w = await dependantWarnings(tx, 'delete', current, req.query.force);
        // a step added meanwhile still blocks the delete (foreign key → 409 EMPLOYEE_IN_ROUTING_SCHEME)
        await employees.remove(tx, id);
        return w;
      });
      if (warnings.length === 0) return reply.code(204).send(null);
      return reply.code(200).send({ id, deleted: true as const, warnings });
    },
  );
}
