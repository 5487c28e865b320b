/**
 * The demo collector's `healthToken` (stories/demo/server/collector.ts): `GET /api/collect/health`
 * with `Authorization: Bearer <token>`, or in a browser any user name and this as password. A demo
 * value, published on purpose: never reuse it.
 */
export const DEMO_HEALTH_TOKEN = 'demo-health-token-published-do-not-reuse';
