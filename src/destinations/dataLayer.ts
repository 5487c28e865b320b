import type { AnyContract } from '../core/contract';
import type { Destination } from '../core/destination';
import type { RegisteredContract } from '../react/register';
import { ownEntry } from '../core/own-entry';
import type { ConversionMap } from './event-map';

/**
 * Options of {@link dataLayer}.
 *
 * @example
 * dataLayer({ name: 'dataLayer', events: { purchase_completed: 'purchase', cta_clicked: false } })
 */
export interface DataLayerOptions<C extends AnyContract = RegisteredContract> {
  /**
   * The global array Google Tag Manager reads. Default `'dataLayer'`.
   *
   * @example
   * name: 'gtmDataLayer'
   */
  name?: string;
  /**
   * GTM event names for contract events (default: the contract's name); `false` keeps one out.
   *
   * @example
   * events: { purchase_completed: 'purchase', cta_clicked: false }
   */
  events?: ConversionMap<C, string | false>;
}

/**
 * Google Tag Manager: pushes `{ event, event_id, ...payload, campaign }` to `window.dataLayer`.
 * Consent category `analytics`.
 *
 * When GTM has not loaded yet, the array is created the way Google's own snippet does
 * (`window.dataLayer = window.dataLayer || []`): the data layer is GTM's queue, and GTM processes
 * what was pushed before it loaded, in order. GTM merges pushes into one model, so a payload field an
 * event leaves out keeps the previous event's value in GTM variables; read fields per event.
 *
 * @example
 * createTracker({ contract, destinations: [dataLayer()] });
 * // window.dataLayer: [{ event: 'purchase_completed', event_id: '…', order_id: 'A-1001', value: 129, currency: 'EUR', campaign: { first, last } }]
 */
export function dataLayer<C extends AnyContract = RegisteredContract>(options: DataLayerOptions<C> = {}): Destination {
  const { name = 'dataLayer' } = options;
  const events = options.events as Record<string, string | false> | undefined;
  return {
    name: 'dataLayer',
    consent: 'analytics',
    accepts: (envelope) => ownEntry(events, envelope.event) !== false,
    send(envelope) {
      const scope = globalThis as Record<string, unknown>;
      const layer = (scope[name] ??= []) as { push?: (entry: unknown) => void };
      if (typeof layer.push !== 'function') throw new Error(`window.${name} is not an array`);
      // The kit's fields come last so a payload field named `event` cannot rename the GTM event.
      layer.push({
        ...envelope.payload,
        event: ownEntry(events, envelope.event) || envelope.event,
        event_id: envelope.eventId,
        campaign: envelope.campaign,
      });
    },
  };
}
