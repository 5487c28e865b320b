import { definitionOf, type AnyContract, type EventDefinition } from './contract';
import type { TrackingErrorReason } from './errors';
import { eventIdFor, isUuid, randomEventId } from './event-id';
import type { StandardSchemaV1 } from './standard-schema';

/** Options of one `track` call. */
export interface TrackOptions {
  /**
   * Overrides the dedup key the contract's `dedupeBy` field gives (a submission id, say). Keys are
   * trimmed: `' L-1 '` and `'L-1'` are one occurrence.
   *
   * @example
   * track('lead_submitted', payload, { dedupeKey: response.leadId })
   */
  dedupeKey?: string | number;
  /**
   * A UUID shared with another sender (your server) when there is no dedup key. Events with the same
   * explicit `eventId` are deduped too. With a dedup key the id is always `eventIdFor(event, key)`: an
   * explicit id must equal it (or be left out), so every side of a hybrid setup agrees.
   *
   * @example
   * track('lead_submitted', payload, { eventId: submissionId }) // your server reports the same id
   */
  eventId?: string;
  /**
   * The proof your backend signed for this conversion (`signConversion` in `conversion-kit/server`),
   * sent along to the collector, which may require it (its `proofs` option).
   *
   * @example
   * track('purchase_completed', { order_id: order.id, value: order.total, currency: 'EUR' }, { proof: order.proof })
   */
  proof?: string;
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
}

const reject = (reason: RejectedEvent['reason'], issues: readonly StandardSchemaV1.Issue[]): RejectedEvent => ({
  ok: false,
  reason,
  issues,
});

/**
 * Checks one tracking call against the contract, synchronously: the event exists, the payload passes
 * its schema, the dedup key is usable, an explicit `eventId` is a UUID. Never throws.
 */
export function validateEvent(
  contract: AnyContract,
  event: string,
  payload: unknown,
  options: TrackOptions = {},
  // The server passes a faster implementation of the same function.
  idFor: (event: string, dedupeKey: string) => string = eventIdFor,
): AcceptedEvent | RejectedEvent {
  const definition = definitionOf(contract, event);
  if (!definition) {
    return reject('unknown_event', [
      { message: `"${event}" is not an event of the contract (events: ${Object.keys(contract.events).join(', ')})` },
    ]);
  }
  let result: StandardSchemaV1.Result<Record<string, unknown>> | Promise<unknown>;
  try {
    result = definition.schema['~standard'].validate(payload);
  } catch (error) {
    result = { issues: [{ message: `the schema threw: ${String(error)}` }] };
  }
  if (result instanceof Promise) {
    result.catch(() => {});
    result = { issues: [{ message: 'async schemas are not supported' }] };
  }
  if (result.issues) return reject('invalid_payload', result.issues);

  const { dedupeBy } = definition;
  const { dedupeKey: explicitKey, eventId: explicitId } = options;
  const [keyField, keyValue] = explicitKey !== undefined ? ['dedupeKey', explicitKey] : [dedupeBy, dedupeBy && result.value[dedupeBy]];
  // Surrounding whitespace (a copied order number, a padded CRM field) never makes a second order.
  // (Number.isFinite is false for anything but a finite number: no typeof test needed.)
  const dedupeKey =
    Number.isFinite(keyValue) ? String(keyValue)
    : (typeof keyValue === 'string' && keyValue.trim()) || null;
  const issues: StandardSchemaV1.Issue[] = [];
  if (keyField && !dedupeKey) {
    issues.push({ message: 'expected a non-empty string or number (dedup key)', path: [keyField] });
  }
  // With a dedup key the id is always derived from it, so the browser, the server and the collector
  // agree; an explicit id may only repeat it. (A dedup key is never empty: `null` or a non-empty string.)
  const derived = dedupeKey && idFor(event, dedupeKey);
  const id = explicitId === undefined ? explicitId : String(explicitId).toLowerCase();
  if (id !== undefined && id !== (derived ?? (isUuid(id) && id))) {
    issues.push({ message: `expected ${derived ?? 'a UUID'}, received "${explicitId}"`, path: ['eventId'] });
  }
  if (issues[0]) return reject('invalid_payload', issues);

  const eventId = derived ?? id ?? randomEventId();
  const ledgerKey = dedupeKey ? `${event}:${dedupeKey}` : id ? `${event}#${eventId}` : null;
  return { ok: true, definition, payload: result.value, dedupeKey, eventId, ledgerKey };
}
