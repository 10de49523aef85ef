// A local, stateful HubSpot for tests and benchmarks. See README.md.
export { startHubSpotEmulator, type EmulatorOptions, type HubSpotEmulator } from './server.ts';
export type { AssociationState, EmulatorControl, PropertySeed, SeedOptions } from './control.ts';
export type { DownMode, FailOptions } from './faults.ts';
export type { OwnerSeed } from './owners.ts';
export type { PipelineSeed } from './pipelines.ts';
export type { RateLimitConfig } from './ratelimit.ts';
export type { RequestRecord, RouteFilter } from './requests.ts';
export { ASSOCIATION_TYPES } from './association-store.ts';
export { CALL_DISPOSITIONS, OBJECT_TYPES, type ObjectTypeName } from './schema.ts';
export { signatureV3, type Delivery, type WebhookConfig, type WebhookEvent, type WebhookEventSeed, type WebhookSubscription } from './webhooks.ts';
