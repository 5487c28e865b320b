import { memoryStorage, type ConsentState, type EventName, type TrackingRecord } from 'conversion-kit';
import type { contract } from '../../test/fixtures/contract';
import { watchServer, type ServerView } from './serverView';
import { createDemoTracker, firedOf, type DemoTracker } from './tracker';

/** One page load of a demo visit: its URL and the tracker that page created. */
export interface DemoPageLoad {
  /** 1 for the first page of the visit. */
  readonly number: number;
  readonly url: string;
  /** The URL's path, which picks the page to render. */
  readonly path: string;
  readonly referrer: string;
  readonly tracker: DemoTracker;
}

/**
 * One visitor's visit across page loads: each navigation or reload creates a new tracker over the
 * same storage, exactly as a real page load does, so campaign touches, the dedup ledger and
 * handoffs carry over only through storage. Every story gets its own visit (fresh storage).
 */
export interface DemoVisit {
  /** The page in view. */
  current(): DemoPageLoad;
  /** Every page load, oldest first. */
  loads(): readonly DemoPageLoad[];
  /** Opens a URL (absolute, or a path on the current origin) as a full page load. */
  open(url: string): DemoPageLoad;
  /** Loads the current URL again. */
  reload(): DemoPageLoad;
  /**
   * Told about every page load, every record of any page and every answer of the collector. While
   * someone listens, the visit asks the collector which of its fired events it accepted.
   */
  subscribe(listener: () => void): () => void;
  /** Conversions (or events of one name) the trackers of all page loads fired, in order. */
  fired(event?: EventName<typeof contract>): DemoTracker['fired'][number][];
  /** What the collector accepted of the fired events; a new object on every change. */
  server(): ServerView;
  /** Every record of every page load, in order. */
  records(): TrackingRecord[];
}

export interface DemoVisitOptions {
  /** The first page's URL. */
  url: string;
  /** The consent state when the visit starts; the visitor's decisions carry over to later pages. */
  consent?: Partial<ConsentState>;
}

export function createDemoVisit({ url, consent }: DemoVisitOptions): DemoVisit {
  const storage = memoryStorage();
  const listeners = new Set<() => void>();
  const notify = () => listeners.forEach((listener) => listener());
  const collector = watchServer();
  const loads: DemoPageLoad[] = [];
  let decided: Partial<ConsentState> | undefined = consent;

  const load = (target: string, referrer: string): DemoPageLoad => {
    const absolute = new URL(target, loads.at(-1)?.url ?? 'https://www.example.com/');
    const tracker = createDemoTracker({ url: absolute.href, referrer, storage, consent: decided, onFired: collector.fired });
    // A consent banner stores the decision; the next page starts from it.
    tracker.subscribeState(() => (decided = tracker.getConsent()));
    tracker.subscribe(notify);
    const page = { number: loads.length + 1, url: absolute.href, path: absolute.pathname, referrer, tracker };
    loads.push(page);
    notify();
    return page;
  };
  load(url, '');

  return {
    current: () => loads.at(-1)!,
    loads: () => loads,
    open: (target) => load(target, loads.at(-1)!.url),
    // A reload keeps the page's referrer, as browsers do.
    reload: () => load(loads.at(-1)!.url, loads.at(-1)!.referrer),
    subscribe(listener) {
      listeners.add(listener);
      const unwatch = collector.watch(listener);
      return () => {
        listeners.delete(listener);
        unwatch();
      };
    },
    fired: (event) => loads.flatMap((page) => firedOf(page.tracker.fired, event)),
    server: collector.view,
    records: () => loads.flatMap((page) => page.tracker.records),
  };
}
