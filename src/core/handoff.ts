import { readLiveEntries, writeEntries } from './expiring-entries';
import type { KeyValueStorage } from './storage';
import type { TrackOptions } from './validation';

/** A conversion confirmed on one page and reported on the next (the thank-you page). */
export interface PendingHandoff {
  readonly event: string;
  /** The validated payload (the schema's output): fields the contract does not name are not stored. */
  readonly payload: unknown;
  readonly options: TrackOptions;
  readonly expiresAt: number;
}

export const HANDOFF_KEY = 'conversion-kit:handoff';

/**
 * Stores a pending conversion under its event id, so two orders handed off from two tabs are both
 * kept. Throws what `JSON.stringify` throws (a BigInt, a cycle): the caller reports it.
 */
export function storeHandoff(storage: KeyValueStorage, eventId: string, pending: PendingHandoff): void {
  writeEntries(storage, HANDOFF_KEY, { ...readLiveEntries<PendingHandoff>(storage, HANDOFF_KEY), [eventId]: pending });
}

/** Takes (reads and removes) every pending conversion of `event` that has not expired, oldest first. */
export function takeHandoffs(storage: KeyValueStorage, event: string): PendingHandoff[] {
  const all = readLiveEntries<PendingHandoff>(storage, HANDOFF_KEY);
  const taken: PendingHandoff[] = [];
  for (const [eventId, pending] of Object.entries(all)) {
    if (pending.event === event) taken.push(pending) && delete all[eventId];
  }
  writeEntries(storage, HANDOFF_KEY, all);
  return taken;
}
