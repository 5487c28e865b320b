import type { IncomingMessage, ServerResponse } from 'node:http';
import { isUuid, type Envelope } from 'conversion-kit/core';
import { issuePath } from '../../../src/core/errors';
import { validateEvent } from '../../../src/core/validation';
import { contract } from '../../../test/fixtures/contract';

/**
 * STAND-IN for the kit's collector, to be replaced once `conversion-kit/server` is merged:
 *
 *   const collector = createCollector({ contract, store: memoryDedupeStore() });
 *   export const handleCollect = toNodeHandler(collector);
 *
 * (.storybook/main.ts mounts `handleCollect` at /api/collect; test/e2e/storybook.test.ts mounts a
 * `createStandInCollector()` of its own and reads `accepted`.) Until then this follows the batch format
 * of the brief exactly: POST `{ "v": 1, "events": [envelope, ...] }` as application/json or text/plain;
 * 200 `{ accepted, duplicates, rejected: [{ index, eventId?, event?, errors }] }` per event; 4xx
 * `{ error: { code, message } }` for a request bad as a whole; idempotent by eventId.
 */

const MAX_BODY_BYTES = 64 * 1024;

export interface StandInCollector {
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** Envelopes accepted so far, oldest first (a duplicate eventId is not accepted twice). */
  readonly accepted: readonly Envelope[];
}

function send(res: ServerResponse, status: number, body: unknown) {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(body));
}

const fail = (res: ServerResponse, status: number, code: string, message: string) =>
  send(res, status, { error: { code, message } });

async function readBody(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Why one envelope of a batch is refused, in the contract's words; empty when it is fine. */
function envelopeErrors(value: unknown): string[] {
  if (!value || typeof value !== 'object') return ['expected an envelope object'];
  const envelope = value as Partial<Envelope>;
  const errors: string[] = [];
  if (!isUuid(envelope.eventId)) errors.push('eventId: expected a UUID');
  if (typeof envelope.timestamp !== 'number') errors.push('timestamp: expected epoch milliseconds');
  if (typeof envelope.event !== 'string') return [...errors, 'event: expected an event name'];
  const checked = validateEvent(contract, envelope.event, envelope.payload);
  if (!checked.ok) errors.push(...checked.issues.map((issue) => (issue.path?.length ? `${issuePath(issue)}: ${issue.message}` : issue.message)));
  return errors;
}

export function createStandInCollector(): StandInCollector {
  const seen = new Set<string>();
  const accepted: Envelope[] = [];
  return {
    accepted,
    async handle(req, res) {
      if (req.method !== 'POST') return fail(res, 405, 'method_not_allowed', 'POST a batch to this URL');
      const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      if (type !== 'application/json' && type !== 'text/plain') {
        return fail(res, 415, 'unsupported_media_type', 'send application/json or text/plain');
      }
      const text = await readBody(req);
      if (text === null) return fail(res, 413, 'payload_too_large', `a batch is at most ${MAX_BODY_BYTES} bytes`);
      let batch: { v?: unknown; events?: unknown };
      try {
        batch = JSON.parse(text);
      } catch {
        return fail(res, 400, 'invalid_json', 'the body is not JSON');
      }
      if (batch?.v !== 1) return fail(res, 400, 'unsupported_version', 'expected "v": 1');
      if (!Array.isArray(batch.events)) return fail(res, 400, 'invalid_batch', 'expected "events": [envelope, ...]');
      let count = 0;
      let duplicates = 0;
      const rejected: { index: number; eventId?: string; event?: string; errors: string[] }[] = [];
      batch.events.forEach((value: unknown, index: number) => {
        const errors = envelopeErrors(value);
        const envelope = value as Envelope;
        if (errors.length > 0) {
          rejected.push({ index, eventId: envelope?.eventId, event: envelope?.event, errors });
        } else if (seen.has(envelope.eventId)) {
          duplicates += 1;
        } else {
          seen.add(envelope.eventId);
          accepted.push(envelope);
          count += 1;
        }
      });
      send(res, 200, { accepted: count, duplicates, rejected });
    },
  };
}

const demoCollector = createStandInCollector();

/** The `/api/collect` route of `npm start` and of the stories' test run. */
export const handleCollect = (req: IncomingMessage, res: ServerResponse) => demoCollector.handle(req, res);
