/**
 * Why the collector refused a request as a whole. Sent as `{ error: { code, message } }` with a 4xx
 * status; `message` says what was wrong and what is expected. `internal_error` (500) means a bug.
 *
 * @example
 * { error: { code: 'unsupported_version', message: 'batch version 2; this collector reads "v": 1' } }
 */
export type CollectorErrorCode =
  | 'method_not_allowed'
  | 'origin_not_allowed'
  | 'unsupported_media_type'
  | 'payload_too_large'
  | 'unreadable_body'
  | 'body_timeout'
  | 'invalid_encoding'
  | 'invalid_json'
  | 'invalid_batch'
  | 'unsupported_version'
  | 'empty_batch'
  | 'too_many_events'
  | 'invalid_events'
  | 'internal_error';

/** A refusal of the whole request, before or after the body was read. */
export interface CollectorError {
  readonly status: number;
  readonly code: CollectorErrorCode;
  readonly message: string;
}

export const collectorError = (status: number, code: CollectorErrorCode, message: string): CollectorError => ({
  status,
  code,
  message,
});

/** A JSON response with `body`, `status` and extra headers. */
export function jsonResponse(body: unknown, status: number, headers: HeadersInit = {}): Response {
  const response = new Response(JSON.stringify(body), { status, headers });
  response.headers.set('content-type', 'application/json; charset=utf-8');
  response.headers.set('cache-control', 'no-store');
  return response;
}
