import { readLiveEntries, writeEntries } from './expiring-entries';
import type { KeyValueStorage } from './storage';
import type { TrackOptions } from './validation';

/** A conversion confirmed on one page and reported on the next (the thank-you page). */
export interface PendingHandoff {
  readonly payload: unknown;
  readonly options: TrackOptions;
  readonly expiresAt: number;
}

export const HANDOFF_KEY = 'conversion-kit:handoff';

/** Stores the pending conversion of `event`, replacing an older one. */
export function storeHandoff(storage: KeyValueStorage, event: string, pending: PendingHandoff): void {
  writeEntries(storage, HANDOFF_KEY, { ...readLiveEntries<PendingHandoff>(storage, HANDOFF_KEY), [event]: pending });
}

/** Takes (reads and removes) the pending conversion of `event`, if one is stored and not expired. */
export function takeHandoff(storage: KeyValueStorage, event: string): PendingHandoff | undefined {
  const all = readLiveEntries<PendingHandoff>(storage, HANDOFF_KEY);
  const pending = all[event];
  if (pending) {
    delete all[event];
    writeEntries(storage, HANDOFF_KEY, all);
  }
  return pending;
}
