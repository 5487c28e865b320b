import { useSyncExternalStore, type ReactNode } from 'react';
import { ConversionDebugger, ConversionProvider } from 'conversion-kit';
import { ServerAcceptance } from './ServerAcceptance';
import type { DemoVisit } from './visit';

/** Opens a URL as a full page load, or reloads. What the demo pages get to navigate with. */
export interface DemoNavigation {
  open: (url: string) => void;
  reload: () => void;
}

export interface DemoSiteProps {
  visit: DemoVisit;
  /** The site's pages by path; the current page load's path picks one. */
  pages: Record<string, (navigation: DemoNavigation) => ReactNode>;
}

/**
 * A small browser (address bar, reload button, the page) next to what the collector accepted (the
 * server's side) and, under it, the conversion debugger (the browser's side). Every navigation is a full
 * page load: a new tracker over the visit's storage, a fresh debugger.
 */
export function DemoSite({ visit, pages }: DemoSiteProps) {
  const page = useSyncExternalStore(visit.subscribe, visit.current);
  const navigation: DemoNavigation = { open: (url) => void visit.open(url), reload: () => void visit.reload() };
  const render = pages[page.path];
  return (
    <ConversionProvider tracker={page.tracker} key={page.number}>
      <div className="demo-site">
        <div className="demo-browser">
          <div className="demo-toolbar">
            <button type="button" className="demo-reload" onClick={navigation.reload}>
              Reload
            </button>
            <input className="demo-address" aria-label="Address" value={page.url} readOnly />
            <span className="demo-load">Page load {page.number}</span>
          </div>
          <main className="demo-page">{render ? render(navigation) : <p>Page not found: {page.path}</p>}</main>
        </div>
        {/* The server's answer first: under the open debugger it fell below the preview's fold at
            1440x900 (scripts/storybook-timing.mjs measures it). */}
        <aside className="demo-debugger" aria-label="Tracking">
          <ServerAcceptance visit={visit} />
          <ConversionDebugger placement="inline" defaultOpen />
        </aside>
      </div>
    </ConversionProvider>
  );
}
