import { ContractError } from './errors';
import type { StandardSchemaV1 } from './standard-schema';

/** A schema for one event's payload: any Standard Schema object schema (zod 4, zod/mini, valibot). */
export type PayloadSchema = StandardSchemaV1<Record<string, unknown>, Record<string, unknown>>;

/**
 * One event of the contract.
 *
 * @example
 * { schema: z.object({ order_id: z.string(), value: z.number() }), dedupeBy: 'order_id', conversion: true }
 */
export interface EventDefinition<Schema extends PayloadSchema = PayloadSchema> {
  /** The payload's schema. Validated through its Standard Schema `validate`, synchronously. */
  readonly schema: Schema;
  /** The payload field that identifies one real-world occurrence (an order id): the dedup key. */
  readonly dedupeBy?: string;
  /** `true` for business conversions sent to ad platforms; supporting events leave it out. */
  readonly conversion?: boolean;
  /** What the event means, for the marketing document. */
  readonly description?: string;
  /**
   * `'server'`: only the backend can confirm this event (a payment webhook). The collector then never
   * forwards a browser's report of it to server destinations (anyone can post to a collector; a forged
   * order must not win over the webhook's): only the server tracker reports it there. The browser's
   * own pixel and gtag calls still go out, with the shared `eventId` the platforms dedup on.
   */
  readonly confirmedBy?: 'server';
}

/** The events of a contract, by snake_case name. */
export type EventDefinitions = Record<string, EventDefinition>;

/**
 * The event contract: the single source of truth for every event's name, payload and dedup key.
 * Created by {@link defineContract}.
 */
export interface Contract<Events extends EventDefinitions = EventDefinitions> {
  readonly events: Events;
}

/** Any contract; what untyped code sees. */
export type AnyContract = Contract<EventDefinitions>;

/** The event names of a contract. */
export type EventName<C extends AnyContract> = keyof C['events'] & string;

/** The events a contract marks `conversion: true`. */
export type ConversionName<C extends AnyContract> = {
  [E in EventName<C>]: C['events'][E]['conversion'] extends true ? E : never;
}[EventName<C>];

/** What `track` accepts for an event: the schema's input type. */
export type PayloadInput<C extends AnyContract, E extends EventName<C>> = StandardSchemaV1.InferInput<
  C['events'][E]['schema']
>;

/** What destinations receive for an event: the schema's output type. */
export type PayloadOutput<C extends AnyContract, E extends EventName<C>> = StandardSchemaV1.InferOutput<
  C['events'][E]['schema']
>;

type FieldOf<Schema extends PayloadSchema> = keyof StandardSchemaV1.InferOutput<Schema> & string;

/** `true` when a name is not lowercase snake_case: upper case, or a separator other than `_`. */
type NotSnakeCase<E> = string extends E
  ? false // a name only known at run time: defineContract checks it then
  : E extends Lowercase<E & string>
  ? E extends `${string}${'-' | ' ' | '.' | '/' | ':'}${string}` | `_${string}` | `${string}_`
    ? true
    : false
  : true;

/**
 * What `defineContract` accepts, with type errors that say what is wrong: a name that is not
 * snake_case must be one (the error names the rule), and `dedupeBy` must be one of the schema's
 * field names (the error lists them).
 */
type CheckedDefinitions<Events extends EventDefinitions> = {
  [E in keyof Events]: NotSnakeCase<E> extends true
    ? { readonly 'event names are lowercase snake_case, like purchase_completed': E }
    : Events[E]['dedupeBy'] extends FieldOf<Events[E]['schema']> | undefined
      ? Events[E]
      : Omit<Events[E], 'dedupeBy'> & { readonly dedupeBy?: Extract<keyof StandardSchemaV1.InferOutput<Events[E]['schema']>, string> };
};

const KNOWN_KEYS = new Set(['schema', 'dedupeBy', 'conversion', 'description', 'confirmedBy']);
const SNAKE_CASE = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/;
const GA4_MAX_NAME = 40;
const GA4_RESERVED_PREFIX = /^(?:ga_|google_|firebase_)/;
// Event names GA4 reserves (Measurement Protocol reference, "Reserved names"): sent under one of them,
// the event is dropped.
const GA4_RESERVED_NAME =
  /^(?:ad_(?:activeview|click|exposure|impression|query|reward)|adunit_exposure|app_(?:clear_data|exception|install|remove|store_refund|update|upgrade)|dynamic_link_(?:app_open|app_update|first_open)|error|first_open|first_visit|in_app_purchase|notification_(?:dismiss|foreground|open|receive|send)|os_update|screen_view|session_start|user_engagement)$/;

/**
 * Declares the event contract. Throws a {@link ContractError} listing every problem: names that are
 * not lowercase snake_case (with the suggested form), names GA4 would reject, a `dedupeBy` that names
 * no field of the schema, a schema that is not a Standard Schema, a key an event does not have (a
 * typo such as `dedupBy` would otherwise switch its rule off silently). The checks run in development and
 * tests (`process.env.NODE_ENV !== 'production'`); production bundles leave them out.
 *
 * @example
 * export const contract = defineContract({
 *   purchase_completed: {
 *     description: 'A paid order, confirmed by the payment provider',
 *     schema: z.object({ order_id: z.string().min(1), value: z.number().nonnegative(), currency: z.string().length(3) }),
 *     dedupeBy: 'order_id',
 *     conversion: true,
 *   },
 *   cta_clicked: { schema: z.object({ cta_id: z.string() }) },
 * });
 */
export function defineContract<const Events extends EventDefinitions>(
  events: CheckedDefinitions<Events>,
): Contract<Events> {
  // The contract is static code: checking it in development and tests is enough, and production
  // bundles do not carry the checks. Without a `process` (a bundle that did not define NODE_ENV)
  // the checks are skipped rather than crashing the page.
  // Two nested ifs, not one `&&`: minifiers then drop the whole check, `typeof process` included.
  if (typeof process !== 'undefined') {
    if (process.env.NODE_ENV !== 'production') {
      const problems = contractProblems(events as EventDefinitions);
      if (problems.length > 0) throw new ContractError(problems);
    }
  }
  return { events: { ...events } as Events };
}

/** Every problem of a contract, in words; empty when it is valid. */
export function contractProblems(events: EventDefinitions): string[] {
  const problems: string[] = [];
  for (const [name, definition] of Object.entries(events)) {
    if (!SNAKE_CASE.test(name)) {
      problems.push(`"${name}" is not lowercase snake_case; use "${toSnakeCase(name)}"`);
    } else if (name.length > GA4_MAX_NAME) {
      problems.push(`"${name}" is ${name.length} characters; GA4 accepts at most ${GA4_MAX_NAME}`);
    } else if (GA4_RESERVED_PREFIX.test(name)) {
      problems.push(`"${name}" starts with a prefix GA4 reserves (ga_, google_, firebase_)`);
    } else if (GA4_RESERVED_NAME.test(name)) {
      problems.push(`"${name}" is an event name GA4 reserves and drops; choose another`);
    }
    const schema = (definition as Partial<EventDefinition> | undefined)?.schema;
    if (typeof schema?.['~standard']?.validate !== 'function') {
      problems.push(`"${name}".schema is not a Standard Schema (use zod 4, zod/mini or valibot)`);
      continue;
    }
    const { dedupeBy, conversion, confirmedBy } = definition;
    if (conversion !== undefined && typeof conversion !== 'boolean') {
      problems.push(`"${name}".conversion must be true or false`);
    }
    if (confirmedBy !== undefined && confirmedBy !== 'server') {
      problems.push(`"${name}".confirmedBy must be 'server' or left out`);
    }
    // A typo (`dedupBy`, `conversions`) would silently switch a rule off.
    for (const key of Object.keys(definition)) {
      if (!KNOWN_KEYS.has(key)) problems.push(`"${name}".${key} is not a key of an event (expected ${[...KNOWN_KEYS].join(', ')})`);
    }
    if (dedupeBy !== undefined) {
      const fields = schemaFields(schema);
      if (typeof dedupeBy !== 'string' || (fields && !fields.includes(dedupeBy))) {
        problems.push(
          `"${name}".dedupeBy is "${String(dedupeBy)}", which is not a field of its schema` +
            (fields ? ` (fields: ${fields.join(', ') || 'none'})` : ''),
        );
      }
    }
  }
  return problems;
}

/**
 * The definition of `event`, or `undefined` for a name the contract does not have (own keys only, so
 * `constructor` or `__proto__` never resolve to prototype members).
 */
export function definitionOf(contract: AnyContract, event: string): EventDefinition | undefined {
  return Object.hasOwn(contract.events, event) ? contract.events[event] : undefined;
}

/**
 * Suggests the snake_case form of a name: `PurchaseComplete` -> `purchase_complete`,
 * `checkoutDone` -> `checkout_done`, `Lead-Form Sent` -> `lead_form_sent`.
 */
export function toSnakeCase(name: string): string {
  const snake = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^[_0-9]+|_+$/g, '');
  return snake || 'event';
}

/** The top-level field names of an object schema, when the schema library exposes them. */
export function schemaFields(schema: PayloadSchema): string[] | undefined {
  const shaped = schema as { shape?: unknown; entries?: unknown };
  const fields = shaped.shape ?? shaped.entries;
  return fields && typeof fields === 'object' ? Object.keys(fields) : undefined;
}
