// The PostgreSQL adapters of call handling's ports (see ../ports.ts).
import { planInboundCall } from '../../calls/plan.ts';
import { lookupResponsible } from '../../crm/mirror-lookup.ts';
import type { Pool } from '../../db/pool.ts';
import { recordCall } from '../../db/repositories/calls.ts';
import { roundRobinPort } from '../../db/repositories/round-robin.ts';
import { contactsOf, findSipAccount, removeAllContacts, saveContacts } from '../../db/repositories/registrations.ts';
import type { CallDeps } from '../deps.ts';
import type { CallDirectory, CallEvents, CallLog, MirrorLookup, Registrations, SipAccounts } from '../ports.ts';
import { finishedEvents, type CallEvent } from '../../outbound/events.ts';
import { webhookStore } from '../../outbound/webhook-store.ts';
import { exportStore } from '../../outbound/export-store.ts';
import { liveCallChange } from '../../calls/live.ts';
import { liveCallStore } from '../../calls/live-store.ts';

export function postgresSipAccounts(pool: Pool): SipAccounts {
  return { find: (login) => findSipAccount(pool, login) };
}

export function postgresRegistrations(pool: Pool): Registrations {
  return {
    contactsOf: (login) => contactsOf(pool, login),
    save: (accountId, contacts, source, userAgent) => saveContacts(pool, accountId, contacts, source, userAgent),
    removeAll: (accountId) => removeAllContacts(pool, accountId),
  };
}

/** Calls stored with their CRM job in one statement (see recordCall). */
export function postgresCallLog(pool: Pool, opts: { crmSync: boolean }): CallLog {
  return { record: (call) => recordCall(pool, call, opts) };
}

export function postgresMirrorLookup(pool: Pool, budgetMs: number): MirrorLookup {
  return { responsible: (e164) => lookupResponsible(pool, e164, budgetMs) };
}

/** Every port of call handling on one PostgreSQL pool, the way production runs. */
export function postgresCallPorts(
  pool: Pool,
  directory: CallDirectory,
  opts: { crmSync: boolean; lookupBudgetMs: number },
): Pick<CallDeps, 'directory' | 'accounts' | 'registrations' | 'callLog' | 'mirror' | 'planInbound'> {
  const planDeps = { pool, sources: directory, lookupBudgetMs: opts.lookupBudgetMs, roundRobin: roundRobinPort(pool) };
  return {
    directory,
    accounts: postgresSipAccounts(pool),
    registrations: postgresRegistrations(pool),
    callLog: postgresCallLog(pool, { crmSync: opts.crmSync }),
    mirror: postgresMirrorLookup(pool, opts.lookupBudgetMs),
    planInbound: (call) => planInboundCall(planDeps, call, 'advance'),
  };
}

/**
 * Call events stored for every subscribed webhook endpoint, each with its delivery
 * job (src/outbound), and the calls in progress kept up to date for the console's
 * live view (src/calls/live.ts).
 */
export function postgresCallEvents(pool: Pool, recordingLink: (path: string) => string | undefined): CallEvents {
  // after the deliveries are queued, so a failure here never costs a subscriber its event
  const live = async (event: CallEvent) => {
    const change = liveCallChange(event);
    if (change) await liveCallStore.apply(pool, change);
  };
  return {
    emit: async (event) => {
      await webhookStore.enqueue(pool, event);
      await live(event);
    },
    finished: async (record) => {
      const url = record.recordingPath ? (recordingLink(record.recordingPath) ?? null) : null;
      const events = finishedEvents(record, url);
      for (const event of events) await webhookStore.enqueue(pool, event);
      if (record.direction === 'inbound') await exportStore.enqueue(pool, record.id);
      for (const event of events) await live(event);
    },
  };
}
