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
  /** The namespace of the tracker that stored it; absent for the default one (and older entries). */
  readonly owner?: string;
}

/**
 * Stores a pending conversion under its event id in the storage entry `key`, so two orders handed
 * off from two tabs are both kept. Throws what `JSON.stringify` throws (a BigInt, a cycle): the
 * caller reports it.
 */
export function storeHandoff(storage: KeyValueStorage, key: string, eventId: string, pending: PendingHandoff): void {
  writeEntries(storage, key, { ...readLiveEntries<PendingHandoff>(storage, key), [eventId]: pending });
}

/**
 * Takes (reads and removes) every pending conversion of `event` stored by `owner` that has not
 * expired, oldest first. Another tracker's handoffs are left for it.
 */
export function takeHandoffs(storage: KeyValueStorage, key: string, event: string, owner?: string): PendingHandoff[] {
  const all = readLiveEntries<PendingHandoff>(storage, key);
  const taken: PendingHandoff[] = [];
  for (const [eventId, pending] of Object.entries(all)) {
    if (pending.event === event && pending.owner === owner) taken.push(pending) && delete all[eventId];
  }
  writeEntries(storage, key, all);
  return taken;
}
