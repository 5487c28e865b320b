/**
 * A failed delivery to a platform: the HTTP status when there was one, and whether trying again
 * could help (5xx, 408, 429, timeouts, network errors and errors the platform calls temporary can;
 * other 4xx and events too old for the platform cannot).
 *
 * @example
 * collector = createCollector({ ..., onError: (error) => {
 *   if (error.cause instanceof ForwardError && !error.cause.retryable) alert(error.message);
 * } });
 */
export class ForwardError extends Error {
  override readonly name = 'ForwardError';
  constructor(
    message: string,
    /** Whether the same request could succeed later. */
    readonly retryable: boolean,
    /** The HTTP status, when the platform answered. */
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Timeouts and retries of one delivery; every server destination takes these options.
 *
 * @example
 * metaConversionsApi({ pixelId, accessToken, siteUrl, timeoutMs: 3000, retries: 3, backoffMs: 500 })
 */
export interface RetryPolicy {
  /**
   * Milliseconds one attempt may take, answer body included, before it is aborted. Default 5000.
   *
   * @example
   * ga4MeasurementProtocol({ measurementId, apiSecret, timeoutMs: 2000 })
   */
  timeoutMs?: number;
  /**
   * Further attempts after a 5xx, a 408, a 429, a timeout, a network error or an error the platform
   * calls temporary (Meta's `is_transient`); never after another 4xx. Default 2.
   *
   * @example
   * httpForward({ url, retries: 0 }) // one attempt; a failure is left to a later report
   */
  retries?: number;
  /**
   * The first backoff; each retry waits about twice as long as the last, with jitter. Default 200 ms.
   *
   * @example
   * ga4MeasurementProtocol({ measurementId, apiSecret, backoffMs: 1000 })
   */
  backoffMs?: number;
  /**
   * The longest `Retry-After` honoured. A platform asking to wait longer fails the delivery at once, as
   * retryable, so a later report of the event tries again. Default 10 000 ms.
   *
   * @example
   * metaConversionsApi({ pixelId, accessToken, siteUrl, maxRetryAfterMs: 30_000 })
   */
  maxRetryAfterMs?: number;
}

/** What the platform answered, when it was a 2xx. */
export interface PostResult {
  readonly status: number;
  readonly body: string;
}

/** Per-platform parts of one POST. */
export interface PostOptions {
  /** Extra request headers. */
  readonly headers?: Record<string, string>;
  /** Whether a 4xx answer (other than 408 and 429) is a temporary error worth retrying. */
  readonly transient?: (status: number, body: string) => boolean;
  /** Stops the delivery: the attempt under way is aborted and no other is made. */
  readonly signal?: AbortSignal;
}

const defaults = (policy: RetryPolicy) => ({
  timeoutMs: policy.timeoutMs ?? 5000,
  attempts: 1 + Math.max(0, Math.floor(policy.retries ?? 2)),
  backoffMs: policy.backoffMs ?? 200,
  maxRetryAfterMs: policy.maxRetryAfterMs ?? 10_000,
});

/**
 * The longest a delivery with this policy may take: every attempt timing out, and each wait between
 * them as long as the backoff or the longest `Retry-After` honoured allows.
 */
export function maxDurationOf(policy: RetryPolicy): number {
  const { timeoutMs, attempts, backoffMs, maxRetryAfterMs } = defaults(policy);
  let total = attempts * timeoutMs;
  for (let retry = 0; retry < attempts - 1; retry++) total += Math.max(backoffMs * 2 ** retry, maxRetryAfterMs);
  return total;
}

/** Waits `ms`, or less when `signal` aborts. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
const excerpt = (text: string) => (text.length > 300 ? `${text.slice(0, 300)}…` : text);

/** `Retry-After` in milliseconds from now: delay-seconds or an HTTP date; undefined when absent or unreadable. */
function retryAfterMs(header: string | null): number | undefined {
  if (header === null) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/**
 * POSTs `body` as JSON to `url`, with a timeout per attempt and exponential backoff between retries
 * (longer when the platform's `Retry-After` asks for it). Resolves on a 2xx; rejects with a
 * {@link ForwardError} otherwise. Messages name `destination` and never include the URL, which may
 * carry secrets (GA4's `api_secret`, Meta's `access_token`).
 */
export async function postJson(
  destination: string,
  url: string,
  body: unknown,
  policy: RetryPolicy = {},
  options: PostOptions = {},
): Promise<PostResult> {
  const { timeoutMs, attempts, backoffMs, maxRetryAfterMs } = defaults(policy);
  const { signal } = options;
  const json = JSON.stringify(body);
  let last: ForwardError | undefined;
  let asked = 0; // what the last answer's Retry-After asked for
  const stopped = (tries: string) => new ForwardError(`${destination} was stopped (its time ran out) after ${tries}`, true, last?.status);
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const tries = `${attempt} attempt${attempt > 1 ? 's' : ''}`;
    if (attempt > 1) await sleep(Math.max(asked, backoffMs * 2 ** (attempt - 2) * (0.5 + Math.random() / 2)), signal);
    if (signal?.aborted) throw stopped(`${attempt - 1} attempt${attempt > 2 ? 's' : ''}`);
    const attemptTimeout = AbortSignal.timeout(timeoutMs);
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...options.headers },
        body: json,
        signal: signal ? AbortSignal.any([attemptTimeout, signal]) : attemptTimeout,
      });
      const text = await response.text();
      if (response.ok) return { status: response.status, body: text };
      const { status } = response;
      const message = `${destination} answered ${status}${response.statusText ? ` ${response.statusText}` : ''} after ${tries}: ${excerpt(text)}`;
      const retryable = status >= 500 || status === 408 || status === 429 || options.transient?.(status, text) === true;
      if (!retryable) throw new ForwardError(message, false, status);
      asked = retryAfterMs(response.headers.get('retry-after')) ?? 0;
      if (asked > maxRetryAfterMs) {
        const wait = `a Retry-After of ${Math.ceil(asked / 1000)} s is more than maxRetryAfterMs (${maxRetryAfterMs} ms); left for a later report`;
        throw new ForwardError(`${message}; ${wait}`, true, status);
      }
      last = new ForwardError(message, true, status);
    } catch (error) {
      if (error instanceof ForwardError) throw error;
      if (signal?.aborted && !attemptTimeout.aborted) throw stopped(tries);
      asked = 0;
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      const reason = timedOut
        ? `timed out after ${timeoutMs} ms`
        : `could not be reached (${describeNetworkError(error)})`;
      last = new ForwardError(`${destination} ${reason}, after ${tries}`, true, undefined, { cause: error });
    }
  }
  throw last!;
}

function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } })?.cause;
  if (typeof cause?.code === 'string') return cause.code;
  return error instanceof Error ? error.message : String(error);
}
