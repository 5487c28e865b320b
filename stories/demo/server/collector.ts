import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { isUuid, type Envelope } from 'conversion-kit/core';
import {
  createCollector,
  memoryDedupeStore,
  memoryStatsStore,
  toNodeHandler,
  type NodeHandler,
  type ServerDestination,
} from 'conversion-kit/server';
import { contract } from '../../../test/fixtures/contract';
import { simulatedFortnight } from '../fortnight';
import { DEMO_HEALTH_TOKEN } from '../health';

export { DEMO_HEALTH_TOKEN };

/**
 * The demo's server side: the kit's real collector at `/api/collect` (the stories' `beacon` posts to
 * it), and a read endpoint the demo polls to show what the collector accepted. .storybook/main.ts
 * mounts one on the dev server (`npm start`, story tests); `npm run screenshot` and the end-to-end
 * test mount their own on the server of a built Storybook.
 *
 * The collector's health page is on: `GET /api/collect/health` with `DEMO_HEALTH_TOKEN` (../health.ts)
 * (`Authorization: Bearer <token>`; a browser asks for a user name and password: any name, the token
 * as password). Its stats start with a simulated fortnight (../fortnight.ts: release v1.9.0 halved
 * purchases and broke the lead form), so the page has history; what the stories send adds to it.
 */


/** One event the collector accepted and forwarded. */
export interface AcceptedEvent {
  readonly envelope: Envelope;
  /** When the collector forwarded it (epoch ms). */
  readonly acceptedAt: number;
}

/** What `GET /api/collect/accepted?ids=<eventId>,...` answers: those of the ids the collector accepted. */
export interface AcceptedAnswer {
  readonly accepted: readonly AcceptedEvent[];
}

/**
 * A server destination that keeps what the collector forwarded to it, the latest `limit` events.
 * It stands where a real deployment forwards to GA4, Meta or a database: the collector gives it each
 * event once (it dedups by event id), only after validating it against the contract.
 */
export interface RecordingDestination extends ServerDestination {
  /** Everything forwarded, oldest first. */
  readonly received: readonly AcceptedEvent[];
  /** Those of `eventIds` that were forwarded. */
  find(eventIds: readonly string[]): AcceptedEvent[];
}

export function recordingDestination(limit = 1000): RecordingDestination {
  const byId = new Map<string, AcceptedEvent>();
  return {
    name: 'demo-recorder',
    consent: 'none',
    send(envelope) {
      byId.set(envelope.eventId, { envelope, acceptedAt: Date.now() });
      for (const oldest of byId.keys()) {
        if (byId.size <= limit) break;
        byId.delete(oldest);
      }
    },
    get received() {
      return [...byId.values()];
    },
    find: (eventIds) => eventIds.flatMap((id) => byId.get(id) ?? []),
  };
}

/** The most ids one lookup may ask about: a visit of a demo fires a handful. */
const MAX_LOOKUP = 200;

function answer(res: ServerResponse, status: number, body: unknown) {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  res.end(JSON.stringify(body));
}

export interface DemoCollector {
  /** `POST /api/collect`, and `GET /api/collect/health`: `toNodeHandler(createCollector(...))`, as an app mounts it. */
  readonly collect: NodeHandler;
  /** `GET /api/collect/accepted?ids=<eventId>,...`: which of these events the collector accepted. */
  readonly accepted: RequestListener;
  /** The recording destination behind the collector. */
  readonly recorder: RecordingDestination;
}

/** A collector with its own dedup store and recording destination. */
export function createDemoCollector(): DemoCollector {
  const recorder = recordingDestination();
  const stats = memoryStatsStore();
  void stats.add(simulatedFortnight(Date.now()));
  const collector = createCollector({ contract, store: memoryDedupeStore(), destinations: [recorder], stats, healthToken: DEMO_HEALTH_TOKEN });
  return {
    collect: toNodeHandler(collector),
    accepted(req: IncomingMessage, res: ServerResponse) {
      if (req.method !== 'GET') return answer(res, 405, { error: { code: 'method_not_allowed', message: 'GET this URL' } });
      const ids = (new URL(req.url ?? '/', 'http://localhost').searchParams.get('ids') ?? '').split(',').filter(isUuid);
      if (ids.length > MAX_LOOKUP) {
        return answer(res, 400, { error: { code: 'too_many_ids', message: `ask about at most ${MAX_LOOKUP} event ids` } });
      }
      answer(res, 200, { accepted: recorder.find(ids) } satisfies AcceptedAnswer);
    },
    recorder,
  };
}

/**
 * The dev server's collector (`npm start` and the story tests): one per server, as in production.
 * Story runs never collide in it: the demo backend mints new lead and order ids for every visit.
 */
const devCollector = createDemoCollector();
export const handleCollect = devCollector.collect;
export const handleAccepted = devCollector.accepted;
