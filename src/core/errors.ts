import type { StandardSchemaV1 } from './standard-schema';

/**
 * Thrown by `defineContract` when the contract itself is wrong: a name that is not snake_case, a
 * `dedupeBy` naming no field, a schema that is not a Standard Schema. `problems` lists each one.
 *
 * @example
 * try { defineContract({ PurchaseComplete: { schema } }) }
 * catch (error) { if (error instanceof ContractError) console.log(error.problems) }
 */
export class ContractError extends Error {
  override readonly name = 'ContractError';
  declare readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`[conversion-kit] Invalid event contract:\n- ${problems.join('\n- ')}`);
    this.problems = problems;
  }
}

/**
 * Why a tracking call did not reach a destination, or (`data_omitted`, server destinations) reached it
 * without values the platform would not have taken in the form given.
 */
export type TrackingErrorReason =
  | 'invalid_payload'
  | 'unknown_event'
  | 'destination_failed'
  | 'callback_failed'
  | 'data_omitted';

/**
 * A runtime tracking failure, handed to `onError` and recorded, never thrown into the host app.
 * Its message names the event and, for invalid payloads, each failing field.
 *
 * @example
 * createTracker({ contract, onError: (error) => Sentry.captureException(error) })
 */
export class TrackingError extends Error {
  override readonly name = 'TrackingError';
  declare readonly reason: TrackingErrorReason;
  declare readonly event: string;
  declare readonly issues: readonly StandardSchemaV1.Issue[];
  declare readonly destination?: string;
  constructor(
    message: string,
    reason: TrackingErrorReason,
    event: string,
    issues: readonly StandardSchemaV1.Issue[] = [],
    destination?: string,
    cause?: unknown,
  ) {
    super(`[conversion-kit] ${message}`, { cause });
    Object.assign(this, { reason, event, issues, destination });
  }
}

/**
 * The error a tracked form or checkout shows when its operation resolved to a `Response` that is
 * not `ok`: the request answered, but the conversion did not happen.
 *
 * @example
 * <TrackedForm onSubmit={(data) => fetch('/api/lead', { method: 'POST', body: data })}>
 *   {({ error }) => error instanceof ResponseError && <p>Server said {error.status}</p>}
 * </TrackedForm>
 */
export class ResponseError extends Error {
  override readonly name = 'ResponseError';
  declare readonly response: Response;
  declare readonly status: number;
  constructor(response: Response) {
    super(`The server answered ${response.status} ${response.statusText}`.trim());
    Object.assign(this, { response, status: response.status });
  }
}

/**
 * Formats a Standard Schema issue path as `order_id` or `items[0].price` (empty for the whole payload),
 * or appended to `path` when given: `purchase_completed.order_id`, `purchase_completed[0]`.
 */
export function issuePath(issue: StandardSchemaV1.Issue, path = ''): string {
  for (const segment of issue.path ?? []) {
    const key = typeof segment === 'object' ? segment.key : segment;
    path += typeof key === 'number' ? `[${key}]` : `${path ? '.' : ''}${String(key)}`;
  }
  return path;
}

/** One line per issue: `purchase_completed.value: expected number, received string`. */
export function describeIssues(event: string, issues: readonly StandardSchemaV1.Issue[]): string {
  return issues.map((issue) => `${issuePath(issue, event)}: ${issue.message}`).join('; ');
}
