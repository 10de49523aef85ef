import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app.ts';
import { apiKeyRoutes } from './api-keys.ts';
import { auditLogRoutes } from './audit-log.ts';
import { authRoutes, consolePasswordRoutes } from './auth.ts';
import { callRoutes } from './calls.ts';
import { consoleRoutes } from './console.ts';
import { liveRoutes } from './live.ts';
import { reportRoutes } from './reports.ts';
import { crmRoutes } from './crm.ts';
import { crmTestCallRoutes } from './crm-test-calls.ts';
import { employeeRoutes } from './employees.ts';
import { employeeCsvRoutes } from './employees-csv.ts';
import { poolReportRoutes } from './pool-report.ts';
import { poolRoutes } from './pools.ts';
import { routingSchemeRoutes } from './routing-schemes.ts';
import { settingsRoutes } from './settings.ts';
import { siteRoutes } from './sites.ts';
import { trackingNumberRoutes } from './tracking-numbers.ts';
import { outboundWebhookRoutes } from './outbound-webhooks.ts';
import { siteExportRoutes } from './site-exports.ts';

/** Every /api/v1 resource; each file is one resource and its URL prefix. */
export async function v1Routes(app: FastifyInstance, opts: { deps: AppDeps }): Promise<void> {
  const { deps } = opts;
  await app.register(authRoutes, { prefix: '/auth', deps });
  await app.register(employeeCsvRoutes, { prefix: '/employees', deps });
  await app.register(employeeRoutes, { prefix: '/employees', deps });
  await app.register(consolePasswordRoutes, { prefix: '/employees', deps });
  await app.register(siteRoutes, { prefix: '/sites', deps });
  await app.register(poolReportRoutes, { prefix: '/sites', deps });
  await app.register(poolRoutes, { prefix: '/pools', deps });
  await app.register(trackingNumberRoutes, { prefix: '/tracking-numbers', deps });
  await app.register(routingSchemeRoutes, { prefix: '/routing-schemes', deps });
  await app.register(settingsRoutes, { prefix: '/settings', deps });
  await app.register(crmRoutes, { prefix: '/crm', deps });
  await app.register(crmTestCallRoutes, { prefix: '/crm/test-calls', deps });
  await app.register(callRoutes, { prefix: '/calls', deps });
  await app.register(outboundWebhookRoutes, { prefix: '/webhooks', deps });
  await app.register(siteExportRoutes, { prefix: '/sites', deps });
  await app.register(apiKeyRoutes, { prefix: '/api-keys', deps });
  await app.register(auditLogRoutes, { prefix: '/audit-log', deps });
  await app.register(consoleRoutes, { prefix: '/console', deps });
  await app.register(liveRoutes, { prefix: '/live', deps });
  await app.register(reportRoutes, { prefix: '/reports', deps });
}
