export { createTestTracker } from './createTestTracker';
export type { TestTracker, TestTrackerOptions } from './createTestTracker';
export { expectContractSnapshot } from './expectContractSnapshot';
export type { ContractSnapshotOptions, ContractSnapshotStatus } from './expectContractSnapshot';
