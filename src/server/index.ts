// conversion-kit/server: the collector and its health report, the server tracker, server destinations, dedup and stats stores.
// Node 20+ or an edge runtime (Fetch API and WebCrypto; its types need no @types/node); no React, no DOM.
export { createCollector } from './collector/collector';
export type { Collector, CollectorHandler, CollectorOptions, ConnectionInfo } from './collector/collector';
export type { CollectorNote, CollectorResult, FailedEvent, PendingEvent, RejectedEvent } from './collector/collector-result';
export { signConversion } from './collector/sign-conversion';
export type { SignConversionInput } from './collector/sign-conversion';
export type { CollectorErrorCode } from './collector/collector-error';
export type { AllowedOrigins } from './collector/cors';
export { toNodeHandler } from './collector/node-handler';
export type { FetchHandler, NodeHandler } from './collector/node-handler';
export { createServerTracker } from './server-tracker';
export type { ServerTrackOptions, ServerTracker, ServerTrackerOptions, ServerTrackResult } from './server-tracker';
export type { DestinationOutcome, ForwardOptions, ForwardReport } from './delivery/forward';
export type { ClientInfo, ForwardContext, ServerDestination, UserData } from './delivery/server-destination';
export { ga4MeasurementProtocol } from './platforms/ga4-measurement-protocol';
export type { Ga4MeasurementProtocolOptions } from './platforms/ga4-measurement-protocol';
export { metaConversionsApi } from './platforms/meta-conversions-api';
export type { MetaConversionsApiOptions } from './platforms/meta-conversions-api';
export { metaUserData } from './platforms/meta-user-data';
export { httpForward } from './platforms/http-forward';
export type { HttpForwardOptions } from './platforms/http-forward';
export { ForwardError } from './delivery/post-json';
export type { RetryPolicy } from './delivery/post-json';
export { memoryDedupeStore } from './stores/dedupe-store';
export type { DedupeStore, MemoryDedupeStoreOptions } from './stores/dedupe-store';
export { redisDedupeStore } from './stores/redis-dedupe-store';
export type { RedisCommands, RedisDedupeStoreOptions } from './stores/redis-dedupe-store';
export { BATCH_VERSION } from './collector/read-batch';
export { judgeHealth, healthRange } from './health/judge-health';
export type { JudgeHealthOptions } from './health/judge-health';
export { renderHealthPage } from './health/health-page';
export type { HealthCheckOptions, HealthOptions } from './health/health-route';
export type {
  DestinationHealth,
  EventHealth,
  HealthCounts,
  HealthFinding,
  HealthReport,
  HealthStatus,
  HealthThresholds,
  ReleaseHealth,
} from './health/health-report';
export { memoryStatsStore } from './stats/memory-stats-store';
export type { MemoryStatsStoreOptions } from './stats/memory-stats-store';
export { redisStatsStore } from './stats/redis-stats-store';
export type { RedisStatsStoreOptions } from './stats/redis-stats-store';
export { HOUR_MS, hourOf } from './stats/stats-store';
export type { StatsKey, StatsRow, StatsStore, StatsUpdate } from './stats/stats-store';
export type { StatsOptions } from './stats/collector-stats';
