import type { ConsentCategory } from '../../core/consent';
import type { Envelope } from '../../core/envelope';
import { eventTime } from './conversion-params';
import { ForwardError, maxDurationOf, postJson, type PostOptions, type RetryPolicy } from '../delivery/post-json';
import type { ForwardContext, ServerDestination } from '../delivery/server-destination';

/** What differs between two ad or analytics platforms that take one JSON POST per event. */
export interface PlatformSpec {
  /** The destination's name in results, messages and dedup keys. */
  readonly name: string;
  readonly consent: ConsentCategory;
  readonly requiresClientInfo?: ServerDestination['requiresClientInfo'];
  /** The endpoint, secrets included (never put in a message). */
  readonly url: string;
  /** The oldest event the platform takes; older ones fail, not retryable. */
  readonly maxAgeMs: number;
  /** Why an older event is not sent, e.g. `it is more than 72 hours old, GA4 would drop it`. */
  readonly tooOld: string;
  readonly policy: RetryPolicy;
  /** Whether a 4xx answer is a temporary error worth retrying (Meta's `is_transient`). */
  readonly transient?: PostOptions['transient'];
  /**
   * The request body for one event; `time` is its timestamp, or now when the sender's clock ran ahead.
   * What it leaves out goes in `omitted`, one line each: the field and why, never the value.
   */
  body(envelope: Envelope, context: ForwardContext, time: number, omitted: string[]): unknown;
}

/**
 * The send skeleton GA4 MP and Meta CAPI share: refuse an event older than the platform takes (no
 * request, not retryable), cap a timestamp from the future at now, build the body, POST it with the
 * retry policy, and stop when the forwarder's signal says the lease is ending. Resolves with what the
 * body left out (`{ omitted }`), if anything.
 */
export function platformDestination(spec: PlatformSpec): ServerDestination {
  const { name } = spec;
  return {
    name,
    consent: spec.consent,
    ...(spec.requiresClientInfo && { requiresClientInfo: spec.requiresClientInfo }),
    maxDurationMs: maxDurationOf(spec.policy),
    async send(envelope, context) {
      const now = Date.now();
      const time = eventTime(envelope, now);
      if (now - time > spec.maxAgeMs) {
        throw new ForwardError(`${name} did not send ${envelope.event}: ${spec.tooOld}`, false);
      }
      const omitted: string[] = [];
      const body = await spec.body(envelope, context, time, omitted);
      await postJson(name, spec.url, body, spec.policy, {
        ...(spec.transient && { transient: spec.transient }),
        ...(context.signal && { signal: context.signal }),
      });
      return omitted.length > 0 ? { omitted } : undefined;
    },
  };
}
