/**
 * A failed delivery to a platform: the HTTP status when there was one, and whether trying again
 * could help (5xx, timeouts and network errors can; 4xx cannot).
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

/** Timeouts and retries of one delivery. */
export interface RetryPolicy {
  /**
   * Milliseconds one attempt may take, answer body included, before it is aborted. Default 5000.
   *
   * @example
   * ga4MeasurementProtocol({ measurementId, apiSecret, timeoutMs: 2000 })
   */
  timeoutMs?: number;
  /** Further attempts after a 5xx, a timeout or a network error; never after a 4xx. Default 2. */
  retries?: number;
  /** The first backoff; each retry waits about twice as long as the last, with jitter. Default 200 ms. */
  backoffMs?: number;
}

/** What the platform answered, when it was a 2xx. */
export interface PostResult {
  readonly status: number;
  readonly body: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const excerpt = (text: string) => (text.length > 300 ? `${text.slice(0, 300)}…` : text);

/**
 * POSTs `body` as JSON to `url`, with a timeout per attempt and exponential backoff between retries.
 * Resolves on a 2xx; rejects with a {@link ForwardError} otherwise. Messages name `destination` and
 * never include the URL, which may carry secrets (GA4's `api_secret`, Meta's `access_token`).
 */
export async function postJson(
  destination: string,
  url: string,
  body: unknown,
  policy: RetryPolicy = {},
  headers: Record<string, string> = {},
): Promise<PostResult> {
  const timeoutMs = policy.timeoutMs ?? 5000;
  const attempts = 1 + Math.max(0, Math.floor(policy.retries ?? 2));
  const backoffMs = policy.backoffMs ?? 200;
  const json = JSON.stringify(body);
  let last: ForwardError | undefined;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (attempt > 1) await sleep(backoffMs * 2 ** (attempt - 2) * (0.5 + Math.random() / 2));
    const tries = `${attempt} attempt${attempt > 1 ? 's' : ''}`;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: json,
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await response.text();
      if (response.ok) return { status: response.status, body: text };
      const message = `${destination} answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''} after ${tries}: ${excerpt(text)}`;
      if (response.status < 500) throw new ForwardError(message, false, response.status);
      last = new ForwardError(message, true, response.status);
    } catch (error) {
      if (error instanceof ForwardError) throw error;
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
