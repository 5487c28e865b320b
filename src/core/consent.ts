/** The consent categories, after Google Consent Mode v2: analytics storage, and advertising. */
export type ConsentCategory = 'analytics' | 'ads';

/** A category's state: `pending` until the visitor decides. */
export type ConsentValue = 'granted' | 'denied' | 'pending';

/** The consent state of every category. */
export type ConsentState = Readonly<Record<ConsentCategory, ConsentValue>>;

/** A consent decision, for some or all categories. */
export type ConsentUpdate = Partial<Record<ConsentCategory, 'granted' | 'denied'>>;

/** Every category granted: the state without a `consent` option, for sites that need no banner. */
export const ALL_GRANTED: ConsentState = { analytics: 'granted', ads: 'granted' };

/** Every category pending: where a `consent` option starts for the categories it does not name. */
export const ALL_PENDING: ConsentState = { analytics: 'pending', ads: 'pending' };

/**
 * Merges an update (if any) into a state, keeping the same object when nothing changes. A value other than
 * `granted` or `pending` counts as denied where it is read (see `createDelivery`), never as granted.
 */
export function mergeConsent(
  state: ConsentState,
  update?: Partial<Record<ConsentCategory, ConsentValue>>,
): ConsentState {
  const next = { ...state, ...update };
  return next.analytics === state.analytics && next.ads === state.ads ? state : next;
}
