// conversion-kit/server: the collector, the server tracker, server destinations and dedup stores.
// Node 20+ or an edge runtime (Fetch API and WebCrypto; its types need no @types/node); no React, no DOM.
export { createCollector } from './collector';
export type { CollectorHandler, CollectorOptions, ConnectionInfo } from './collector';
export type { CollectorNote, CollectorResult, FailedEvent, PendingEvent, RejectedEvent } from './collector-result';
export { signConversion } from './sign-conversion';
export type { SignConversionInput } from './sign-conversion';
export type { CollectorErrorCode } from './collector-error';
export type { AllowedOrigins } from './cors';
export { toNodeHandler } from './node-handler';
export type { FetchHandler, NodeHandler } from './node-handler';
export { createServerTracker } from './server-tracker';
export type { ServerTrackOptions, ServerTracker, ServerTrackerOptions, ServerTrackResult } from './server-tracker';
export type { DestinationOutcome, ForwardOptions, ForwardReport } from './forward';
export type { ClientInfo, ForwardContext, ServerDestination, UserData } from './server-destination';
export { ga4MeasurementProtocol } from './ga4-measurement-protocol';
export type { Ga4MeasurementProtocolOptions } from './ga4-measurement-protocol';
export { metaConversionsApi } from './meta-conversions-api';
export type { MetaConversionsApiOptions } from './meta-conversions-api';
export { metaUserData } from './meta-user-data';
export { httpForward } from './http-forward';
export type { HttpForwardOptions } from './http-forward';
export { ForwardError } from './post-json';
export type { RetryPolicy } from './post-json';
export { memoryDedupeStore } from './dedupe-store';
export type { DedupeStore, MemoryDedupeStoreOptions } from './dedupe-store';
export { redisDedupeStore } from './redis-dedupe-store';
export type { RedisCommands, RedisDedupeStoreOptions } from './redis-dedupe-store';
export { BATCH_VERSION } from './read-batch';
