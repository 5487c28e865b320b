export { createTestTracker } from './createTestTracker';
export type { TestTracker, TestTrackerOptions } from './createTestTracker';
