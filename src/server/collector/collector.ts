import type { ConsentState } from '../../core/consent';
import { definitionOf, type AnyContract, type EventName } from '../../core/contract';
import type { Envelope } from '../../core/envelope';
import { TrackingError } from '../../core/errors';
import { collectorError, jsonAnswer, type Answer, type CollectorError } from './collector-error';
import { configurationWarnings } from './collector-warnings';
import { corsPolicy, type AllowedOrigins } from './cors';
import { summarise, type RejectedEvent } from './collector-result';
import { createForwarder, type ForwardOptions, type ForwardReport } from '../delivery/forward';
import { andThen, isPromise, settle, type MaybePromise } from '../delivery/maybe-async';
import { proofProblem, weakSecret } from './sign-conversion';
import { parseEnvelope } from './parse-envelope';
import { fromRequest, INCOMING, toResponse, type ConnectionInfo, type Incoming, type IncomingHandler } from './incoming';
import { checkContentType, parseBatch } from './read-batch';
import type { ClientInfo, ForwardContext } from '../delivery/server-destination';
import { createHealth, type HealthCheckOptions, type HealthOptions } from '../health/health-route';
import type { HealthReport } from '../health/health-report';
import { memoryStatsStore } from '../stats/memory-stats-store';
import { createCounting, type CountedRefusal, type StatsOptions } from '../stats/collector-stats';

export type { ConnectionInfo } from './incoming';

/**
 * A Fetch API handler: Next.js route handlers, Hono, Bun, Deno, or node:http through `toNodeHandler`.
 *
 * @example
 * app.on(['POST', 'OPTIONS'], '/collect', (c) => collector(c.req.raw)); // Hono, preflights included
 */
export type CollectorHandler = (request: Request, connection?: ConnectionInfo) => Promise<Response>;

/**
 * What `createCollector` returns: the handler, and its health report.
 *
 * @example
 * const collector = createCollector({ contract, store });
 * const report = await collector.health();
 */
export interface Collector extends CollectorHandler {
  /** Judges the collector's stats store (see `HealthReport`); rejects when the store cannot be read. */
  health(options?: HealthCheckOptions): Promise<HealthReport>;
}

/**
 * Options of {@link createCollector}; `store`, `destinations`, `dedupeWindowMs`, `leaseMs`, `onError`
 * as in `ForwardOptions`.
 *
 * @example
 * { contract, store: memoryDedupeStore(), destinations: [ga4MeasurementProtocol({ ... })], allowedOrigins: ['https://shop.example'] }
 */
export interface CollectorOptions<C extends AnyContract> extends ForwardOptions, HealthOptions, StatsOptions {
  /**
   * The same contract the browser tracker uses: every envelope is validated against it.
   *
   * @example
   * import { contract } from '../contract'; // shared with the browser
   * createCollector({ contract, store })
   */
  contract: C;
  /**
   * Browser origins allowed to call the collector cross-origin. Default none (same-origin only).
   *
   * @example
   * allowedOrigins: ['https://shop.example', 'https://www.shop.example']
   */
  allowedOrigins?: AllowedOrigins;
  /**
   * The largest body read, in bytes. Default 65 536: what `sendBeacon` may send at once.
   *
   * @example
   * createCollector({ contract, store, maxBodyBytes: 16_384 })
   */
  maxBodyBytes?: number;
  /**
   * The most envelopes in one batch. Default 50.
   *
   * @example
   * createCollector({ contract, store, maxEvents: 20 })
   */
  maxEvents?: number;
  /**
   * The longest the collector takes to answer, in ms. Deliveries still under way then go on in the
   * background and their events are answered `pending` (send again later), never as duplicates. Keep
   * it below what the page waits for an answer: the beacon's `timeoutMs` (10 s) by default. Default 8000.
   *
   * @example
   * createCollector({ contract, store, destinations, requestTimeoutMs: 5000 })
   */
  requestTimeoutMs?: number;
  /**
   * The longest the body may take to arrive, in ms; a slower upload is answered 408 `body_timeout`.
   * Default 10 000 (a beacon's 64 KiB arrives in well under a second).
   *
   * @example
   * createCollector({ contract, store, bodyTimeoutMs: 5000 })
   */
  bodyTimeoutMs?: number;
  /**
   * Events the browser may report only with a proof your backend signed (`signConversion` with the
   * same secret, for the same event, dedup key and value): an unsigned or altered report is rejected,
   * never forwarded. `secret` may list several, the current one first, to rotate without downtime.
   *
   * @example
   * proofs: { secret: process.env.CONVERSION_SECRET!, events: ['purchase_completed'] }
   */
  proofs?: { secret: string | readonly string[]; events: readonly EventName<C>[] };
  /**
   * Opt-in: forward the visitor's IP and user agent to destinations that use them (Meta CAPI's
   * `client_ip_address`, `client_user_agent`). Off by default: they are personal data, and only you
   * know which proxy header carries the real IP. Meta requires `client_user_agent` for website events:
   * with a Meta destination and `userAgent` left unset, `createCollector` warns once (`console.warn`);
   * `userAgent: false` keeps it back on purpose and silences the warning.
   *
   * @example
   * clientInfo: {
   *   userAgent: true,
   *   ipAddress: (request, connection) =>
   *     request.headers.get('x-forwarded-for')?.split(',')[0]?.trim() ?? connection?.remoteAddress,
   * }
   */
  clientInfo?: {
    userAgent?: boolean;
    ipAddress?: (request: Request, connection: ConnectionInfo) => string | null | undefined;
  };
  /**
   * The visitor's consent for one event, read from the request (your consent cookie, say). A category
   * left out is unknown and does not hold anything back; `'denied'` or `'pending'` skips destinations of
   * that category (Meta CAPI is `ads`, GA4 MP `analytics`); a function that throws skips every
   * consent-gated destination and reaches `onError`. Without this option every category is unknown and
   * ads destinations get every event, as for a site without a consent banner (the batch format carries
   * no consent state): `createCollector` then warns once (`console.warn`, in production too) when an
   * ads destination is configured. Without a banner, say so: `consent: () => ({ ads: 'granted' })`.
   * The request has the method, URL and headers, never the body (the collector reads that).
   *
   * @example
   * consent: (request) => (readCookie(request, 'cmp_ads') === '1' ? { ads: 'granted' } : { ads: 'denied' })
   */
  consent?: (request: Request, envelope: Envelope) => Partial<ConsentState> | undefined | Promise<Partial<ConsentState> | undefined>;
}

const errorBody = (error: CollectorError) => ({ error: { code: error.code, message: error.message } });

/** A positive duration option, or its default; anything else is a programmer error. */
function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!(typeof value === 'number' && value > 0 && Number.isFinite(value))) {
    throw new TypeError(`[conversion-kit] createCollector: ${name} must be a positive number of milliseconds, received ${String(value)}`);
  }
  return value;
}

/** The `proofs` option, checked at creation: known events, strong secrets. */
function checkProofs(contract: AnyContract, proofs: CollectorOptions<AnyContract>['proofs']) {
  if (!proofs) return { events: new Set<string>(), secrets: [] as readonly string[] };
  const secrets = typeof proofs.secret === 'string' ? [proofs.secret] : [...proofs.secret];
  const weak = secrets.length === 0 ? 'give at least one secret' : secrets.map(weakSecret).find(Boolean);
  if (weak) throw new TypeError(`[conversion-kit] createCollector: proofs.secret: ${weak}`);
  const unknown = proofs.events.filter((event) => !definitionOf(contract, event));
  if (unknown.length > 0) {
    throw new TypeError(`[conversion-kit] createCollector: proofs.events names ${unknown.map((e) => `"${e}"`).join(', ')}, not in the contract`);
  }
  return { events: new Set<string>(proofs.events), secrets };
}

/**
 * Creates the collector: a Fetch API handler that accepts the beacon batch format
 * (`{ "v": 1, "events": [envelope, ...] }` as `application/json` or `text/plain`), validates every
 * envelope with the contract, dedups by `eventId` through `store`, and forwards each new event to
 * every destination independently. A request bad as a whole gets a 4xx `{ error: { code, message } }`;
 * a batch with some good events gets 200 `{ accepted, duplicates, skipped, rejected, failed }`. Bad input never
 * causes a 500.
 *
 * @example
 * // app/api/collect/route.ts (Next.js)
 * const collector = createCollector({
 *   contract,
 *   store: redisDedupeStore(redis),
 *   destinations: [
 *     ga4MeasurementProtocol({ measurementId: 'G-XXXXXXX', apiSecret, events: { purchase_completed: 'purchase' } }),
 *     metaConversionsApi({ pixelId, accessToken, siteUrl: 'https://shop.example', events: { purchase_completed: 'Purchase' } }),
 *   ],
 * });
 * // One argument only: Next.js may reject a handler whose second parameter is not its route context.
 * export const POST = (request: Request) => collector(request);
 * export const OPTIONS = (request: Request) => collector(request);
 */
export function createCollector<C extends AnyContract>(options: CollectorOptions<C>): Collector {
  const { contract } = options;
  if (!contract || typeof contract.events !== 'object') {
    throw new TypeError('[conversion-kit] createCollector needs the `contract` from defineContract');
  }
  const forwarder = createForwarder(options);
  for (const warning of configurationWarnings(options)) console.warn(warning);
  const cors = corsPolicy(options.allowedOrigins);
  const limits = {
    maxBodyBytes: options.maxBodyBytes ?? 65_536,
    maxEvents: options.maxEvents ?? 50,
    bodyTimeoutMs: positive(options.bodyTimeoutMs, 10_000, 'bodyTimeoutMs'),
  };
  const requestTimeoutMs = positive(options.requestTimeoutMs, 8000, 'requestTimeoutMs');
  const proofs = checkProofs(contract, options.proofs);
  const counting = createCounting({ ...options, source: 'client' });
  // Health judges what counting writes: the same store (an empty one when counting is off).
  const health = createHealth(options, counting?.stats ?? memoryStatsStore());

  const report = (error: TrackingError) => {
    try {
      options.onError?.(error);
    } catch {
      // The app's error callback failed too.
    }
  };
  const callbackFailed = (envelope: Envelope, what: string, error: unknown) =>
    report(new TrackingError(`${envelope.event}: ${what}: ${error instanceof Error ? error.message : String(error)}`, 'callback_failed', envelope.event, [], undefined, error));

  /** The context of one event; synchronous unless the app's `consent` function returns a promise. */
  const contextFor = (incoming: Incoming, envelope: Envelope): MaybePromise<ForwardContext> => {
    const client: { -readonly [K in keyof ClientInfo]: ClientInfo[K] } = {};
    if (options.clientInfo?.userAgent) client.userAgent = incoming.headers.get('user-agent') ?? undefined;
    if (options.clientInfo?.ipAddress) {
      try {
        client.ipAddress = options.clientInfo.ipAddress(incoming.request(), incoming.connection) ?? undefined;
      } catch (error) {
        callbackFailed(envelope, 'the clientInfo.ipAddress function failed, the event goes on without an IP', error);
      }
    }
    return settle(
      () => options.consent?.(incoming.request(), envelope),
      (consent): ForwardContext => ({ client, ...(consent && { consent }) }),
      (error): ForwardContext => {
        // Consent unknown because your function failed: hold back everything that needs consent.
        callbackFailed(envelope, 'the consent function failed, consent-gated destinations were skipped', error);
        return { client, consent: { analytics: 'pending', ads: 'pending' } };
      },
    );
  };

  const collect = async (incoming: Incoming, cors: Record<string, string>): Promise<Answer> => {
    const refuse = (error: CollectorError, extra: object = {}) => jsonAnswer({ ...errorBody(error), ...extra }, error.status, cors);
    // A request refused as a whole (wrong type, too large, slow, not the batch format) counts once,
    // under no event: a page that posts garbage after a release shows in the stats too.
    const refuseBatch = (error: CollectorError) => {
      counting?.collected([{ reason: error.code, errors: [] }], []);
      return refuse(error);
    };
    const typeError = checkContentType(incoming.headers.get('content-type'));
    if (typeError) return refuseBatch(typeError);
    const body = await incoming.readBody(limits);
    if (!body.ok) return refuseBatch(body.error);
    const batch = parseBatch(body.value, limits);
    if (!batch.ok) return refuseBatch(batch.error);

    const rejected: RejectedEvent[] = [];
    const parsed: { index: number; envelope: Envelope }[] = [];
    const refusals: CountedRefusal[] = [];
    batch.value.forEach((value, index) => {
      const result = parseEnvelope(contract, value);
      if (result.ok) parsed.push({ index, envelope: result.envelope });
      else rejected.push({ index, ...(result.eventId && { eventId: result.eventId }), ...(result.event && { event: result.event }), errors: result.errors });
      if (!result.ok && counting) refusals.push(result);
    });
    // Proofs take a promise (Web Crypto); without them nothing waits here.
    const problems =
      proofs.events.size === 0
        ? []
        : await Promise.all(parsed.map(({ envelope }) => (proofs.events.has(envelope.event) ? proofProblem(envelope, proofs.secrets) : undefined)));
    const valid = parsed.filter(({ index, envelope }, i) => {
      const problem = problems[i];
      if (problem !== undefined) rejected.push({ index, eventId: envelope.eventId, event: envelope.event, errors: [problem] });
      if (problem !== undefined && counting) refusals.push({ ...envelope, reason: 'invalid_proof', errors: [problem] });
      return problem === undefined;
    });
    rejected.sort((a, b) => a.index - b.index);
    if (valid.length === 0) {
      counting?.collected(refusals, []);
      const summary = rejected.slice(0, 3).map((item) => `events[${item.index}]: ${item.errors.join('; ')}`).join(' | ');
      return refuse(collectorError(400, 'invalid_events', `no event was accepted: ${summary}`), { rejected });
    }

    type Report = ForwardReport & { reason?: string };
    const forward = (envelope: Envelope): MaybePromise<Report> => {
      if (definitionOf(contract, envelope.event)?.confirmedBy === 'server') {
        const reason = `${envelope.event} is confirmedBy: 'server'; only the server tracker reports it to server destinations`;
        return { status: 'skipped', destinations: [], reason };
      }
      return andThen(contextFor(incoming, envelope), (context) => forwarder.forward(envelope, context));
    };
    // Copies of one event in one batch (a page that resent it) share one forwarding: the first counts,
    // the others are duplicates of it, or share its failure. origin[i]: the copy that forwards event i.
    const first = new Map<string, number>();
    const origin = valid.map(({ envelope }, index) => {
      const key = `${envelope.event}:${envelope.eventId}`;
      const earlier = first.get(key);
      if (earlier === undefined) first.set(key, index);
      return earlier ?? index;
    });
    const forwardings = valid.map(({ envelope }, index) => (origin[index] === index ? forward(envelope) : undefined));
    // With the memory store and synchronous destinations everything is known now; otherwise the answer
    // waits for the deliveries, but never past requestTimeoutMs: what is still under way is pending.
    const settled = forwardings.map((forwarding) => (isPromise(forwarding) ? undefined : forwarding));
    const waiting = forwardings.flatMap((forwarding, index) => (isPromise(forwarding) ? [forwarding.then((report) => void (settled[index] = report))] : []));
    if (waiting.length > 0) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, requestTimeoutMs)));
      await Promise.race([Promise.all(waiting), late]);
      clearTimeout(timer);
    }
    const reports = origin.map((from, index): Report => {
      const report = settled[from];
      if (report === undefined) return { status: 'pending', destinations: [] };
      return from !== index && report.status === 'sent' ? { ...report, status: 'duplicate' } : report;
    });
    const result = summarise(valid, reports, rejected);
    // Copies share their origin's forwarding: only the origin carries it, so its deliveries count once.
    counting?.collected(refusals, valid.map(({ envelope }, i) => ({ envelope, outcome: reports[i]!.status, forwarding: forwardings[i] })));
    return jsonAnswer(result, 200, cors);
  };

  const handle: IncomingHandler = async (incoming) => {
    try {
      if (incoming.method === 'OPTIONS') return cors.preflight(incoming);
      const healthAnswer = health.answer(incoming); // GET .../health, when healthToken is set
      if (healthAnswer) return await healthAnswer;
      const corsHeaders = cors.headers(incoming);
      if (incoming.method !== 'POST') {
        const error = collectorError(405, 'method_not_allowed', `${incoming.method} is not accepted; send the batch with POST`);
        return jsonAnswer(errorBody(error), 405, { ...corsHeaders, allow: 'POST, OPTIONS' });
      }
      const origin = incoming.headers.get('origin');
      if (origin !== null && !cors.allows(incoming, origin)) {
        const error = collectorError(403, 'origin_not_allowed', `origin ${origin} may not call this collector; add it to allowedOrigins`);
        return jsonAnswer(errorBody(error), 403, corsHeaders);
      }
      return await collect(incoming, corsHeaders);
    } catch (error) {
      // Only a bug gets here: bad input is answered above.
      report(new TrackingError(`the collector failed: ${String(error)}`, 'destination_failed', '', [], undefined, error));
      const internal = collectorError(500, 'internal_error', 'the collector failed; this is a bug, the request was not processed');
      return jsonAnswer(errorBody(internal), 500);
    }
  };
  const collector: CollectorHandler = async (request, connection = {}) => toResponse(await handle(fromRequest(request, connection)));
  // toNodeHandler reads node:http requests straight into `handle`, without Fetch objects per request.
  return Object.assign(collector, { [INCOMING]: handle, health: health.report });
}
