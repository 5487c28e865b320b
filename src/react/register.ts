import type { AnyContract, ConversionName, EventName } from '../core/contract';
import type { Tracker } from '../core/tracker';

/**
 * Register your contract once so every hook and component is typed by it, with no generics:
 *
 * @example
 * declare module 'conversion-kit' {
 *   interface Register {
 *     contract: typeof contract;
 *   }
 * }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface Register {}

/** The registered contract, or any contract when none is registered. */
export type RegisteredContract = Register extends { contract: infer C extends AnyContract } ? C : AnyContract;

/** The registered tracker type. */
export type RegisteredTracker = Tracker<RegisteredContract>;

/** An event name of the registered contract. */
export type RegisteredEvent = EventName<RegisteredContract>;

/** A conversion (`conversion: true`) of the registered contract. */
export type RegisteredConversion = ConversionName<RegisteredContract>;
