import { readJson, type KeyValueStorage } from './storage';
import type { TrackOptions } from './validation';

/** A conversion confirmed on one page and reported on the next (the thank-you page). */
export interface PendingHandoff {
  readonly payload: unknown;
  readonly options: TrackOptions;
  readonly expiresAt: number;
}

export const HANDOFF_KEY = 'conversion-kit:handoff';

function readAll(storage: KeyValueStorage, now: number): Record<string, PendingHandoff> {
  const stored = readJson(storage, HANDOFF_KEY);
  const live: Record<string, PendingHandoff> = Object.create(null);
  if (stored && typeof stored === 'object') {
    for (const [event, pending] of Object.entries(stored as Record<string, PendingHandoff>)) {
      if (pending && typeof pending.expiresAt === 'number' && pending.expiresAt > now) live[event] = pending;
    }
  }
  return live;
}

function writeAll(storage: KeyValueStorage, pending: Record<string, PendingHandoff>): void {
  if (Object.keys(pending).length === 0) storage.removeItem(HANDOFF_KEY);
  else storage.setItem(HANDOFF_KEY, JSON.stringify(pending));
}

/** Stores the pending conversion of `event`, replacing an older one. */
export function storeHandoff(storage: KeyValueStorage, event: string, pending: PendingHandoff, now: number): void {
  writeAll(storage, { ...readAll(storage, now), [event]: pending });
}

/** Takes (reads and removes) the pending conversion of `event`, if one is stored and not expired. */
export function takeHandoff(storage: KeyValueStorage, event: string, now: number): PendingHandoff | undefined {
  const all = readAll(storage, now);
  const pending = all[event];
  if (!pending) return undefined;
  delete all[event];
  writeAll(storage, all);
  return pending;
}
