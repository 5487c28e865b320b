'use client';

import {
  useCallback,
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
  type KeyboardEvent,
  type ReactElement,
} from 'react';
import type { CampaignContext } from '../core/campaign';
import { ALL_PENDING } from '../core/consent';
import { countConversions, describeDecisions } from '../core/describe-records';
import type { TrackingRecord } from '../core/records';
import { useTrackerFor } from './ConversionProvider';
import { createDecisionCounter } from './decisionCounter';
import { CampaignSection, ConsentSection, CountsSection, DecisionsSection } from './DebuggerSections';
import * as styles from './debuggerStyles';

/** Props of {@link ConversionDebugger}. */
export interface ConversionDebuggerProps {
  /**
   * Shows the panel from the first render, without moving focus to it. Default `false`: only the
   * toggle button shows.
   *
   * @example
   * <ConversionDebugger defaultOpen />
   */
  defaultOpen?: boolean;
  /**
   * `'overlay'` (default) floats in the bottom-right corner above the page; `'inline'` sits in the
   * flow, to put it in a side column (the Storybook demos do).
   *
   * @example
   * <aside><ConversionDebugger placement="inline" defaultOpen /></aside>
   */
  placement?: 'overlay' | 'inline';
}

const NO_RECORDS: readonly TrackingRecord[] = /* @__PURE__ */ Object.freeze([]);
const noRecords = () => NO_RECORDS;
const SERVER_CAMPAIGN: CampaignContext = /* @__PURE__ */ Object.freeze({ first: null, last: null });
const serverCampaign = () => SERVER_CAMPAIGN;
// As in useConsent: the server cannot know the visitor's choice, so server rendering and hydration
// show every category pending, and the real state follows right after hydration.
const serverConsent = () => ALL_PENDING;

/**
 * A live view of what the tracker decided, for QA and marketers: every event sent, held for consent,
 * deduplicated or rejected (with the failing fields in words), what each destination did with it,
 * the campaign's first and last touch, the consent state and counts per event.
 *
 * It reads the tracker of the nearest `<ConversionProvider>` through `subscribe`/`getRecords` and
 * re-renders only itself. Styles are inline, so nothing leaks into the page. A real button opens and
 * closes it; opening moves focus into the panel and Escape closes it and returns focus to the button.
 * Nothing of it is in your bundle unless you import it; render it only where you want it, e.g. in
 * development or behind a query parameter.
 *
 * @example
 * <ConversionProvider tracker={tracker}>
 *   <App />
 *   {process.env.NODE_ENV !== 'production' && <ConversionDebugger />}
 * </ConversionProvider>
 */
export function ConversionDebugger({ defaultOpen = false, placement = 'overlay' }: ConversionDebuggerProps): ReactElement {
  const tracker = useTrackerFor('ConversionDebugger');
  // Counts follow every record as it arrives, so they stay exact however few records are kept.
  const counter = useMemo(createDecisionCounter, [tracker]);
  const subscribeRecords = useCallback(
    (onChange: () => void) => {
      counter.add(tracker.getRecords());
      return tracker.subscribe((record) => {
        counter.add([record]);
        onChange();
      });
    },
    [tracker, counter],
  );
  const records = useSyncExternalStore(subscribeRecords, tracker.getRecords, noRecords);
  // What was tracked before the debugger subscribed (idempotent: each record counts once).
  counter.add(records);
  const campaign = useSyncExternalStore(tracker.subscribeState, tracker.getCampaign, serverCampaign);
  const consent = useSyncExternalStore(tracker.subscribeState, tracker.getConsent, serverConsent);

  const [open, setOpen] = useState(defaultOpen);
  const [clearedAfter, setClearedAfter] = useState(0);
  const panelId = useId();
  const toggleRef = useRef<HTMLButtonElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  const focusPanel = useRef(false);

  const shown = useMemo(() => records.filter((record) => record.seq > clearedAfter), [records, clearedAfter]);
  const decisions = useMemo(() => describeDecisions(shown), [shown]);
  const counts = counter.counts();

  // Focus follows a user's open, never a default one: the debugger must not steal focus on load.
  useEffect(() => {
    if (open && focusPanel.current) panelRef.current?.focus();
    focusPanel.current = false;
  }, [open]);

  const toggle = () => {
    focusPanel.current = !open;
    setOpen(!open);
  };
  const closeOnEscape = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key !== 'Escape') return;
    event.stopPropagation();
    setOpen(false);
    toggleRef.current?.focus();
  };
  const clear = () => {
    const last = records[records.length - 1];
    counter.clear();
    if (last) setClearedAfter(last.seq);
  };

  return (
    <section aria-label="Conversion debugger" data-conversion-debugger="" data-state={open ? 'open' : 'closed'} style={styles.rootStyle(placement)}>
      <button
        ref={toggleRef}
        type="button"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={toggle}
        style={styles.toggleStyle}
      >
        Conversions ({countConversions(counts)})
      </button>
      <div
        ref={panelRef}
        id={panelId}
        role="group"
        aria-label="Conversion debugger details"
        tabIndex={-1}
        hidden={!open}
        onKeyDown={closeOnEscape}
        style={open ? styles.panelStyle(placement) : { display: 'none' }}
      >
        <ConsentSection consent={consent} />
        <CampaignSection campaign={campaign} />
        <CountsSection counts={counts} />
        <DecisionsSection decisions={decisions} placement={placement} />
        <button type="button" onClick={clear} disabled={shown.length === 0} style={styles.clearStyle}>
          Clear the list
        </button>
      </div>
    </section>
  );
}
