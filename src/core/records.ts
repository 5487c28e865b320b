import { createEmitter } from './emitter';
import type { TrackingError } from './errors';
import type { Envelope } from './envelope';
import type { StandardSchemaV1 } from './standard-schema';

interface RecordBase {
  /** Increasing number, unique per tracker: a stable list key. */
  readonly seq: number;
  /** Epoch milliseconds of the decision. */
  readonly at: number;
  readonly event: string;
  readonly eventId: string;
}

/** Why a destination did not get an event. */
export type DropReason = 'consent_denied' | 'queue_full' | 'claimed_in_another_tab';

/**
 * One decision of the tracker, as `subscribe` listeners, the debugger and the test helpers see it.
 *
 * - `sent`: accepted and handed to every destination allowed to have it now;
 * - `queued`: accepted, and some destinations wait for a consent decision;
 * - `duplicate`: its dedup key was already sent within the window, no destination got it;
 * - `invalid`: rejected by the contract, no destination got it;
 * - `delivered` / `failed`: one destination's outcome; a `delivered` record's `omitted` names what the
 *   destination left out because the platform would not take it (a match key without its country code);
 * - `dropped`: one destination will never get it (consent denied, hold queue full).
 */
export type TrackingRecord =
  | (RecordBase & { readonly type: 'sent'; readonly envelope: Envelope })
  | (RecordBase & { readonly type: 'queued'; readonly envelope: Envelope; readonly destinations: readonly string[] })
  | (RecordBase & { readonly type: 'duplicate'; readonly envelope: Envelope })
  | (RecordBase & {
      readonly type: 'invalid';
      readonly payload: unknown;
      readonly issues: readonly StandardSchemaV1.Issue[];
      readonly error: TrackingError;
    })
  | (RecordBase & {
      readonly type: 'delivered';
      readonly envelope: Envelope;
      readonly destination: string;
      /** What the destination left out of the event, the field and why, one line each (see `SendResult`). */
      readonly omitted?: readonly string[];
    })
  | (RecordBase & {
      readonly type: 'failed';
      readonly envelope: Envelope;
      readonly destination: string;
      readonly error: TrackingError;
    })
  | (RecordBase & {
      readonly type: 'dropped';
      readonly envelope: Envelope;
      readonly destination: string;
      readonly reason: DropReason;
    });

/** The kinds of record. */
export type RecordType = TrackingRecord['type'];

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** A record before the recorder numbers and timestamps it. */
export type RecordInput = DistributiveOmit<TrackingRecord, 'seq' | 'at'>;

/** Numbers records, keeps the latest `limit` for late subscribers (the debugger), notifies listeners. */
export interface Recorder {
  emit(input: RecordInput): void;
  subscribe(listener: (record: TrackingRecord) => void): () => void;
  history(): readonly TrackingRecord[];
}

export function createRecorder(limit: number, debug: boolean): Recorder {
  const listeners = createEmitter<[TrackingRecord]>();
  const buffer: TrackingRecord[] = [];
  let snapshot: readonly TrackingRecord[] | undefined;
  let seq = 0;
  return {
    emit(input) {
      // Every input is a fresh literal: numbered in place, not copied (a spread of many record shapes is slow).
      const record = Object.assign(input, { seq: ++seq, at: Date.now() }) as TrackingRecord;
      if (buffer.push(record) > limit) buffer.shift();
      snapshot = undefined;
      if (debug) console.debug(`[conversion-kit] ${record.type} ${record.event}`, record);
      listeners.emit(record);
    },
    subscribe: listeners.subscribe,
    history: () => (snapshot ??= buffer.slice()),
  };
}
