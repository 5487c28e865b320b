import { definitionOf, type AnyContract, type EventDefinition } from './contract';
import type { TrackingErrorReason } from './errors';
import { eventIdFor, isUuid, randomEventId } from './event-id';
import type { StandardSchemaV1 } from './standard-schema';

/** Options of one `track` call. */
export interface TrackOptions {
  /**
   * Overrides the dedup key the contract's `dedupeBy` field gives (a submission id, say).
   *
   * @example
   * track('lead_submitted', payload, { dedupeKey: response.leadId })
   */
  dedupeKey?: string | number;
  /**
   * A UUID shared with another sender (your server) when there is no dedup key. Events with the same
   * explicit `eventId` are deduped too.
   */
  eventId?: string;
}

/** A call the contract accepts: what the envelope needs. */
export interface AcceptedEvent {
  readonly ok: true;
  readonly definition: EventDefinition;
  readonly payload: Record<string, unknown>;
  readonly dedupeKey: string | null;
  readonly eventId: string;
  /** The ledger key, or `null` when nothing identifies the occurrence. */
  readonly ledgerKey: string | null;
}

/** A call the contract rejects, with each reason. */
export interface RejectedEvent {
  readonly ok: false;
  readonly reason: Extract<TrackingErrorReason, 'invalid_payload' | 'unknown_event'>;
  readonly issues: readonly StandardSchemaV1.Issue[];
  readonly eventId: string;
}

function reject(
  reason: RejectedEvent['reason'],
  issues: readonly StandardSchemaV1.Issue[],
  eventId?: string,
): RejectedEvent {
  return { ok: false, reason, issues, eventId: isUuid(eventId) ? eventId : randomEventId() };
}

function toKey(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

/**
 * Checks one tracking call against the contract, synchronously: the event exists, the payload passes
 * its schema, the dedup key is usable, an explicit `eventId` is a UUID. Never throws.
 */
export function validateEvent(
  contract: AnyContract,
  event: string,
  payload: unknown,
  options: TrackOptions = {},
): AcceptedEvent | RejectedEvent {
  const definition = definitionOf(contract, event);
  if (!definition) {
    const known = Object.keys(contract.events).join(', ');
    return reject('unknown_event', [{ message: `"${event}" is not an event of the contract (events: ${known})` }]);
  }
  let result: StandardSchemaV1.Result<Record<string, unknown>> | Promise<unknown>;
  try {
    result = definition.schema['~standard'].validate(payload);
  } catch (error) {
    return reject('invalid_payload', [{ message: `the schema threw: ${String(error)}` }], options.eventId);
  }
  if (result instanceof Promise) {
    result.catch(() => {});
    return reject('invalid_payload', [{ message: 'the schema is async; tracking validates synchronously' }]);
  }
  if (result.issues) return reject('invalid_payload', result.issues, options.eventId);

  const issues: StandardSchemaV1.Issue[] = [];
  let dedupeKey: string | null = null;
  if (options.dedupeKey !== undefined) {
    dedupeKey = toKey(options.dedupeKey);
    if (dedupeKey === null) issues.push({ message: 'expected a non-empty string or a number', path: ['dedupeKey'] });
  } else if (definition.dedupeBy) {
    dedupeKey = toKey(result.value[definition.dedupeBy]);
    if (dedupeKey === null) {
      issues.push({ message: 'is the dedup key: expected a non-empty string or a number', path: [definition.dedupeBy] });
    }
  }
  if (options.eventId !== undefined && !isUuid(options.eventId)) {
    issues.push({ message: `expected a UUID, received "${String(options.eventId)}"`, path: ['eventId'] });
  }
  if (issues.length > 0) return reject('invalid_payload', issues);

  const eventId = options.eventId ?? (dedupeKey !== null ? eventIdFor(event, dedupeKey) : randomEventId());
  const ledgerKey = dedupeKey !== null ? `${event}:${dedupeKey}` : options.eventId ? `${event}#${eventId}` : null;
  return { ok: true, definition, payload: result.value, dedupeKey, eventId, ledgerKey };
}
