import type { ConsentState } from 'conversion-kit';
import { createDemoBackend, type DemoBackend, type DemoBackendOptions } from './backend';
import { createDemoVisit, type DemoVisit } from './visit';

/**
 * What a story says about its demo, in `parameters.demo`: plain data, merged from the meta and the
 * story like any parameter (arrays replace).
 *
 * @example
 * parameters: { demo: { url: 'https://www.example.com/demo', backend: { leads: ['network-error', 'ok'] } } }
 */
export interface DemoParameters {
  /** The first page of the visit. Default `https://www.example.com/`. */
  url?: string;
  /** Consent when the visit starts. Default: no banner, everything granted. */
  consent?: Partial<ConsentState>;
  backend?: DemoBackendOptions;
}

/** What every story gets, fresh for each render: its own visit (storage, trackers) and backend. */
export interface Demo {
  visit: DemoVisit;
  backend: DemoBackend;
}

/** The loader of .storybook/preview.tsx: nothing is shared between stories or between renders. */
export function createDemo(parameters: DemoParameters = {}): Demo {
  return {
    visit: createDemoVisit({ url: parameters.url ?? 'https://www.example.com/', consent: parameters.consent }),
    backend: createDemoBackend(parameters.backend),
  };
}

/** The story's demo, from the `loaded` of a render, decorator or play context. */
export function demoOf(context: { loaded: Record<string, unknown> }): Demo {
  const { visit, backend } = context.loaded as Partial<Demo>;
  if (!visit || !backend) throw new Error('No demo in context.loaded: is the loader of .storybook/preview.tsx applied?');
  return { visit, backend };
}
