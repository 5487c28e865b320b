/**
 * A fake backend for the demos: the lead API, the newsletter API and the payment provider. Each
 * story scripts what they answer, so every scenario is deterministic: the n-th call gets the n-th
 * outcome (the last one repeats), after a fixed delay. Lead and order ids are new for every visit,
 * as a real CRM's and payment provider's are: the collector behind the demo is shared by every story
 * run, and dedups by the event id these ids derive.
 */

/** What one call answers. */
export type Outcome =
  /** A 2xx answer. */
  | 'ok'
  /** No answer: `fetch` rejects with `TypeError: Failed to fetch`, as it does offline. */
  | 'network-error'
  /** The server refuses: 4xx with a message (a payment provider declines with 402). */
  | { status: number; message: string };

/** The order the payment provider confirms, as its API returns it (amounts in major units). */
export interface ProviderOrder {
  id: string;
  total: number;
  currency: string;
  coupon?: string;
}

/** How a story's backend behaves. Plain data, so it fits in story `parameters`. */
export interface DemoBackendOptions {
  /** Answers of the lead API, call after call. Default `['ok']`. */
  leads?: Outcome[];
  /** Answers of the newsletter API. Default `['ok']`. */
  newsletter?: Outcome[];
  /** Answers of the payment provider. Default `['ok']`. */
  payments?: Outcome[];
  /** Overrides fields of the order a successful payment confirms (the id stays the visit's own). */
  order?: Partial<ProviderOrder>;
  /** How long every answer takes, in ms. Default 150: long enough to see the pending state. */
  delayMs?: number;
}

/** A refusal from the server: the request arrived and was answered with a 4xx. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export interface LeadRequest {
  name: string;
  email: string;
  plan: string;
}

/** The demo backend of one story. */
export interface DemoBackend {
  /** How many times each API was called. */
  readonly calls: { readonly leads: number; readonly newsletter: number; readonly payments: number };
  /** The order a successful payment confirms: the same every time, as a provider does for one cart. */
  readonly order: ProviderOrder;
  /** The ids of the leads the CRM accepted, in order. */
  readonly leadIds: readonly string[];
  submitLead(lead: LeadRequest): Promise<{ lead_id: string }>;
  subscribe(email: string): Promise<{ subscribed: true }>;
  /** Charges the card; resolves to the confirmed order or rejects (declined, network). */
  pay(card: string): Promise<ProviderOrder>;
}

/** The order of the demo cart: 150 EUR in the cart, 135 EUR once the provider applies the coupon. */
export const DEMO_ORDER: Omit<ProviderOrder, 'id'> = { total: 135, currency: 'EUR', coupon: 'SPRING10' };

/** Four characters, new for each visit: `K7Q2`. */
const visitTag = () => Math.random().toString(36).slice(2, 6).toUpperCase().padEnd(4, '0');

export function createDemoBackend(options: DemoBackendOptions = {}): DemoBackend {
  const delayMs = options.delayMs ?? 150;
  const calls = { leads: 0, newsletter: 0, payments: 0 };
  const tag = visitTag();
  const order: ProviderOrder = { id: `A-${tag}`, ...DEMO_ORDER, ...options.order };
  const leadIds: string[] = [];

  const answer = async <T>(api: keyof typeof calls, script: Outcome[] | undefined, ok: () => T): Promise<T> => {
    const outcomes = script?.length ? script : (['ok'] as Outcome[]);
    const outcome = outcomes[Math.min(calls[api], outcomes.length - 1)]!;
    calls[api] += 1;
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    if (outcome === 'network-error') throw new TypeError('Failed to fetch');
    if (outcome !== 'ok') throw new ApiError(outcome.status, outcome.message);
    return ok();
  };

  return {
    calls,
    order,
    leadIds,
    submitLead: () =>
      answer('leads', options.leads, () => {
        leadIds.push(`lead-${tag}-${leadIds.length + 1}`);
        return { lead_id: leadIds.at(-1)! };
      }),
    subscribe: () => answer('newsletter', options.newsletter, () => ({ subscribed: true as const })),
    pay: () => answer('payments', options.payments, () => ({ ...order })),
  };
}
