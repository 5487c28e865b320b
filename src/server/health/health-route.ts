import type { AnyContract } from '../../core/contract';
import { collectorError, jsonAnswer, type Answer } from '../collector/collector-error';
import type { Incoming } from '../collector/incoming';
import { weakSecret } from '../collector/sign-conversion';
import type { StatsStore } from '../stats/stats-store';
import { renderHealthPage } from './health-page';
import type { HealthReport, HealthThresholds } from './health-report';
import { healthRange, judgeHealth, resolveThresholds } from './judge-health';

/**
 * The collector's health options (part of `CollectorOptions`).
 *
 * @example
 * createCollector({ contract, store, healthToken: process.env.HEALTH_TOKEN, healthThresholds: { dropBelow: 0.4 } })
 */
export interface HealthOptions {
  /**
   * Turns on the health route: `GET` on any path ending in `/health` answers the report, as JSON or,
   * for `Accept: text/html`, as a page. Requests must carry the token, as `Authorization: Bearer
   * <token>` (or as the password of HTTP Basic, which a browser asks for); without it, or with another,
   * the answer is 401. At least 32 characters. Without this option the route is off (`GET` is 405).
   *
   * @example
   * createCollector({ contract, store, healthToken: process.env.HEALTH_TOKEN })
   * // curl -H "Authorization: Bearer $HEALTH_TOKEN" https://shop.example/api/collect/health
   */
  healthToken?: string;
  /**
   * Overrides of the thresholds `collector.health()` judges with (see `HealthThresholds` for the
   * defaults).
   *
   * @example
   * healthThresholds: { dropBelow: 0.3, minBaseline: 50 }
   */
  healthThresholds?: Partial<HealthThresholds>;
}

/**
 * What `collector.health()` takes.
 *
 * @example
 * await collector.health({ now: Date.parse('2026-12-04T09:00:00Z') })
 */
export interface HealthCheckOptions {
  /** The time to judge at, epoch ms. Default now. */
  readonly now?: number;
}

const REALM = 'realm="conversion-kit health"';
const encoder = new TextEncoder();

/** Compares two strings in constant time: their SHA-256 digests, every byte, whatever their lengths. */
async function sameToken(given: string, expected: string): Promise<boolean> {
  const [a, b] = await Promise.all([given, expected].map(async (text) => new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(text)))));
  let difference = 0;
  for (let i = 0; i < a!.length; i++) difference |= a![i]! ^ b![i]!;
  return difference === 0;
}

/** The token a request carries: a Bearer token, or the password of HTTP Basic credentials. */
function tokenOf(authorization: string | null): string | undefined {
  const match = /^(Bearer|Basic)\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!match) return undefined;
  if (match[1]!.toLowerCase() === 'bearer') return match[2];
  try {
    const decoded = new TextDecoder().decode(Uint8Array.from(atob(match[2]!), (c) => c.charCodeAt(0)));
    return decoded.includes(':') ? decoded.slice(decoded.indexOf(':') + 1) : undefined;
  } catch {
    return undefined;
  }
}

const isHealthPath = (url: string) => {
  try {
    return new URL(url, 'http://localhost').pathname.endsWith('/health');
  } catch {
    return false;
  }
};

const HTML_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  // The page is static: inline styles and SVG, no script, nothing loaded from elsewhere.
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
};

/**
 * The collector's health: `report` judges its stats store (`collector.health()`), `answer` serves the
 * route. `answer` returns `undefined` for every request that is not for the route (the route is off
 * without a token), which the collector then handles as before.
 */
export function createHealth(options: HealthOptions & { readonly contract: AnyContract }, stats: StatsStore) {
  const token = options.healthToken;
  if (token !== undefined) {
    const weak = weakSecret(token);
    if (weak) throw new TypeError(`[conversion-kit] createCollector: healthToken: ${weak.replace('a secret', 'the token')}`);
  }
  const thresholds = resolveThresholds(options.healthThresholds);

  const report = async (check: HealthCheckOptions = {}): Promise<HealthReport> => {
    const now = check.now ?? Date.now();
    return judgeHealth(await stats.read(healthRange(now)), { contract: options.contract, now, thresholds });
  };

  const serve = async (incoming: Incoming): Promise<Answer> => {
    const html = (incoming.headers.get('accept') ?? '').includes('text/html');
    const given = tokenOf(incoming.headers.get('authorization'));
    if (given === undefined || !(await sameToken(given, token!))) {
      const error = collectorError(401, 'unauthorized', given === undefined ? 'the health report needs the collector\'s healthToken, as "Authorization: Bearer <token>"' : 'wrong health token');
      // A browser asks for Basic credentials (the token as password); other clients send a Bearer token.
      return jsonAnswer({ error: { code: error.code, message: error.message } }, 401, { 'www-authenticate': html ? `Basic ${REALM}, charset="UTF-8"` : `Bearer ${REALM}` });
    }
    let judged: HealthReport;
    try {
      judged = await report();
    } catch (cause) {
      const error = collectorError(503, 'stats_unavailable', `the stats store could not be read: ${cause instanceof Error ? cause.message : String(cause)}`);
      return jsonAnswer({ error: { code: error.code, message: error.message } }, 503);
    }
    if (html) return { status: 200, headers: HTML_HEADERS, body: renderHealthPage(judged) };
    return jsonAnswer(judged, 200);
  };

  return {
    report,
    answer: (incoming: Incoming): Promise<Answer> | undefined =>
      token !== undefined && incoming.method === 'GET' && isHealthPath(incoming.url) ? serve(incoming) : undefined,
  };
}
