import type { AnyContract, EventName, PayloadOutput } from '../core/contract';
import type { Envelope } from '../core/envelope';

/**
 * The envelope of event `E` of contract `C`, with its payload typed: what a conversion map's
 * `params` functions receive.
 *
 * @example
 * const params = (envelope: EnvelopeFor<typeof contract, 'purchase_completed'>) => ({ value: envelope.payload.value });
 */
export type EnvelopeFor<C extends AnyContract, E extends EventName<C>> = Envelope<E, PayloadOutput<C, E>>;

/**
 * A conversion tracking map: at most one entry per contract event, so a key that is not an event of
 * the contract is a type error.
 *
 * @example
 * const map: ConversionMap<typeof contract, string> = { purchase_completed: 'Purchase' };
 */
export type ConversionMap<C extends AnyContract, Entry> = { readonly [E in EventName<C>]?: Entry };

/**
 * What a destination does with `event`, from its map: an entry object as it is; a string entry (the
 * platform's name for the event) as `{ [key]: entry }`; `false` (kept out) as `false`; `fallback`
 * (the contract name, for destinations that send unmapped events) when the map has no entry, else
 * `undefined`. Own keys only, so `constructor` never resolves to Object's.
 */
export function resolveEntry<K extends string, E extends { readonly [P in K]: string }>(
  map: Readonly<Record<string, string | false | E>> | undefined,
  event: string,
  key: K,
  fallback?: string,
): E | false | undefined {
  // Not through ownEntry: inlined, it keeps each destination within its size budget.
  const entry = (map && Object.hasOwn(map, event) ? map[event] : undefined) ?? fallback;
  return typeof entry === 'string' ? ({ [key]: entry } as E) : entry;
}
