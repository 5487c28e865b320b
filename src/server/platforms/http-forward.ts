import { ForwardError, maxDurationOf, postJson, type RetryPolicy } from '../delivery/post-json';
import type { ServerDestination } from '../delivery/server-destination';

/**
 * Options of {@link httpForward}, plus the {@link RetryPolicy} options.
 *
 * @example
 * { url: 'https://eu.collect.example/api/collect', headers: { authorization: `Bearer ${token}` }, retries: 3 }
 */
export interface HttpForwardOptions extends RetryPolicy {
  /**
   * The other collector's URL.
   *
   * @example
   * httpForward({ url: 'https://eu.collect.example/api/collect' })
   */
  url: string;
  /**
   * Extra request headers (an authorization token, say).
   *
   * @example
   * httpForward({ url: 'https://collect.example/api/collect', headers: { authorization: `Bearer ${token}` } })
   */
  headers?: Record<string, string>;
  /**
   * The destination's name in results and dedup keys. Default `'http-forward'`.
   *
   * @example
   * httpForward({ url, name: 'warehouse' })
   */
  name?: string;
}

interface BatchAnswer {
  rejected?: { errors?: unknown[] }[];
  failed?: { errors?: unknown[]; retryable?: unknown }[];
}

/**
 * Posts each event, in the beacon batch format (`{ v: 1, events: [envelope] }`), to another collector
 * (a warehouse loader, a second region). A 2xx whose answer rejects the event or reports it failed is a
 * failure too (retryable as the other side says); a duplicate or a consent skip there counts as delivered. User data and client info are not forwarded:
 * the batch format carries envelopes only.
 *
 * @example
 * createCollector({ contract, store, destinations: [httpForward({ url: 'https://eu.collect.example/collect' })] })
 */
export function httpForward(options: HttpForwardOptions): ServerDestination {
  const name = options.name ?? 'http-forward';
  return {
    name,
    consent: 'analytics',
    maxDurationMs: maxDurationOf(options),
    async send(envelope, context) {
      const { body } = await postJson(name, options.url, { v: 1, events: [envelope] }, options, {
        ...(options.headers && { headers: options.headers }),
        ...(context?.signal && { signal: context.signal }),
      });
      let answer: BatchAnswer | undefined;
      try {
        answer = JSON.parse(body) as BatchAnswer;
      } catch {
        return; // A 2xx without a JSON answer: the other side took it.
      }
      const problem = answer?.rejected?.[0] ?? answer?.failed?.[0];
      if (problem) {
        const retryable = !answer?.rejected?.length && answer?.failed?.[0]?.retryable !== false;
        const errors = Array.isArray(problem.errors) ? problem.errors.join('; ') : 'no reason given';
        throw new ForwardError(`${name} did not take ${envelope.event}: ${errors}`, retryable);
      }
    },
  };
}
