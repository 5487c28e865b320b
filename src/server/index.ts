// conversion-kit/server: the collector, the server tracker, server destinations and dedup stores.
// Node 20+ (node:crypto, node:http types); no React, no DOM.
export { memoryDedupeStore } from './dedupe-store';
export type { DedupeStore, MemoryDedupeStoreOptions } from './dedupe-store';
export { redisDedupeStore } from './redis-dedupe-store';
export type { RedisCommands, RedisDedupeStoreOptions } from './redis-dedupe-store';
