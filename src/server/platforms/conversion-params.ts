import type { Envelope } from '../../core/envelope';
import { withNumericValue } from '../../core/numeric-value';
import { ownEntry } from '../../core/own-entry';

/** The fields ad and analytics platforms read from a conversion, found in the payload by their usual names. */
export interface ConversionParams {
  /** `payload.value`, when it is a finite number or a string of one (`'129.50'` -> `129.5`). */
  readonly value?: number;
  /** `payload.currency`, upper-cased, when it is a 3-letter code. */
  readonly currency?: string;
  /** `payload.transaction_id`, else `payload.order_id`, else the envelope's dedup key. */
  readonly transactionId?: string;
}

const asId = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value : typeof value === 'number' && Number.isFinite(value) ? String(value) : undefined;

/**
 * Reads value, currency and the transaction id of an envelope. The contract's payload names are the
 * source: `value`, `currency`, `transaction_id` or `order_id` (GA4's and Meta's own names). A value or
 * currency given in a form no platform takes is left out, and named in `omitted` when given.
 */
export function conversionParams(envelope: Envelope, omitted?: string[]): ConversionParams {
  const payload = envelope.payload;
  // A schema may keep money as a decimal string: every platform, browser or server, gets the same
  // number, or none (the shared rule leaves anything else out and names it).
  const { value } = withNumericValue<{ value?: unknown }>({ value: payload.value }, omitted) as { value?: number };
  const currency =
    typeof payload.currency === 'string' && /^[a-z]{3}$/i.test(payload.currency.trim())
      ? payload.currency.trim().toUpperCase()
      : undefined;
  if (payload.currency !== undefined && currency === undefined) omitted?.push('currency: not a 3-letter ISO 4217 code, left out');
  const transactionId = asId(payload.transaction_id) ?? asId(payload.order_id) ?? envelope.dedupeKey ?? undefined;
  return {
    ...(value !== undefined && { value }),
    ...(currency !== undefined && { currency }),
    ...(transactionId !== undefined && { transactionId }),
  };
}

/** The platform's name for `event`: the mapped one, else the contract's own name. */
export function platformEventName(events: Readonly<Record<string, string>> | undefined, event: string): string {
  return ownEntry(events, event) ?? event;
}

/**
 * The moment to report: the envelope's timestamp, or now when the sender's clock runs ahead (platforms
 * reject events from the future).
 */
export function eventTime(envelope: Envelope, now: number): number {
  return Math.min(envelope.timestamp, now);
}
