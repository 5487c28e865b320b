import { collectorError, type CollectorError } from './collector-error';

/**
 * The batch version this collector reads: the `v` of `{ "v": 1, "events": [...] }`.
 *
 * @example
 * JSON.stringify({ v: BATCH_VERSION, events: [envelope] })
 */
export const BATCH_VERSION = 1;

const MEDIA_TYPES = new Set(['application/json', 'text/plain']);

/** Limits of one request. */
export interface BatchLimits {
  readonly maxBodyBytes: number;
  readonly maxEvents: number;
  /** How long the whole body may take to arrive. */
  readonly bodyTimeoutMs: number;
}

/** A value read, or why the request is refused. */
export type Read<T> = { ok: true; value: T } | { ok: false; error: CollectorError };
const fail = (error: CollectorError): { ok: false; error: CollectorError } => ({ ok: false, error });

/** `application/json` or `text/plain` (what sendBeacon sends), in UTF-8 when a charset is given. */
export function checkContentType(header: string | null): CollectorError | undefined {
  const [type = '', ...params] = (header ?? '').split(';').map((part) => part.trim().toLowerCase());
  const expected = 'expected application/json or text/plain (UTF-8)';
  if (!MEDIA_TYPES.has(type)) {
    return collectorError(415, 'unsupported_media_type', `content-type is ${header ? `"${header}"` : 'missing'}; ${expected}`);
  }
  const charset = params.find((param) => param.startsWith('charset='))?.slice(8).replace(/"/g, '');
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    return collectorError(415, 'unsupported_media_type', `charset is "${charset}"; ${expected}`);
  }
  return undefined;
}

/** The refusals of a body that any host's reader gives, worded the same way. */
export const bodyRefusals = {
  tooLarge: (maxBodyBytes: number) =>
    fail(collectorError(413, 'payload_too_large', `the body is over the limit of ${maxBodyBytes} bytes; send fewer events per batch`)),
  timedOut: (bodyTimeoutMs: number) => fail(collectorError(408, 'body_timeout', `the body did not arrive within ${bodyTimeoutMs} ms`)),
  unreadable: (detail: string) => fail(collectorError(400, 'unreadable_body', `the body could not be read (${detail})`)),
};

/** The chunks of a body read whole, `size` bytes in all, decoded as strict UTF-8. */
export function decodeBody(chunks: readonly Uint8Array[], size: number): Read<string> {
  let bytes = chunks[0] ?? new Uint8Array(0);
  if (chunks.length > 1) {
    bytes = new Uint8Array(size);
    let offset = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, offset);
      offset += chunk.byteLength;
    }
  }
  try {
    return { ok: true, value: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return fail(collectorError(400, 'invalid_encoding', 'the body is not valid UTF-8'));
  }
}

/**
 * Reads the body chunk by chunk and stops as soon as it passes `maxBodyBytes` (a declared
 * Content-Length over the limit is refused before reading anything) or takes longer than
 * `bodyTimeoutMs` in all (a client trickling bytes would otherwise hold the request open), then
 * decodes strict UTF-8.
 */
export async function readBody(request: Request, { maxBodyBytes, bodyTimeoutMs }: BatchLimits): Promise<Read<string>> {
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (declared > maxBodyBytes) return bodyRefusals.tooLarge(maxBodyBytes);
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<'timeout'>((resolve) => (timer = setTimeout(resolve, bodyTimeoutMs, 'timeout')));
    try {
      for (;;) {
        const read = await Promise.race([reader.read(), deadline]);
        if (read === 'timeout') {
          reader.cancel().catch(() => {});
          return bodyRefusals.timedOut(bodyTimeoutMs);
        }
        const { done, value } = read;
        if (done) break;
        size += value.byteLength;
        if (size > maxBodyBytes) {
          await reader.cancel().catch(() => {});
          return bodyRefusals.tooLarge(maxBodyBytes);
        }
        chunks.push(value);
      }
    } catch (error) {
      // The client went away or the stream broke mid-body.
      return bodyRefusals.unreadable(error instanceof Error ? error.message : String(error));
    } finally {
      clearTimeout(timer);
    }
  }
  return decodeBody(chunks, size);
}

/** Parses `{ "v": 1, "events": [ ... ] }` and checks its shape and size; envelopes are checked later. */
export function parseBatch(text: string, limits: BatchLimits): Read<unknown[]> {
  if (text.trim() === '') return fail(collectorError(400, 'invalid_json', 'the body is empty; expected {"v":1,"events":[...]}'));
  let batch: unknown;
  try {
    batch = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return fail(collectorError(400, 'invalid_json', `the body is not valid JSON (${detail.slice(0, 200)})`));
  }
  if (typeof batch !== 'object' || batch === null || Array.isArray(batch)) {
    const kind = Array.isArray(batch) ? 'an array' : batch === null ? 'null' : `a ${typeof batch}`;
    return fail(collectorError(400, 'invalid_batch', `the body is ${kind}; expected an object {"v":1,"events":[...]}`));
  }
  const { v, events } = batch as { v?: unknown; events?: unknown };
  if (v !== BATCH_VERSION) {
    return fail(
      collectorError(400, 'unsupported_version', `batch version ${v === undefined ? 'is missing' : JSON.stringify(v)}; this collector reads "v": ${BATCH_VERSION}`),
    );
  }
  if (!Array.isArray(events)) {
    return fail(collectorError(400, 'invalid_batch', `"events" is ${events === undefined ? 'missing' : `a ${typeof events}`}; expected an array of envelopes`));
  }
  if (events.length === 0) return fail(collectorError(400, 'empty_batch', '"events" is empty; send at least one envelope'));
  if (events.length > limits.maxEvents) {
    return fail(collectorError(400, 'too_many_events', `${events.length} events in one batch; the limit is ${limits.maxEvents}`));
  }
  return { ok: true, value: events };
}
