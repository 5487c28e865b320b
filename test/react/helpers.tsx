import { render, type RenderOptions } from '@testing-library/react';
import { StrictMode, type ReactNode } from 'react';
import { ConversionProvider } from 'conversion-kit';
import { createTestTracker, type TestTracker, type TestTrackerOptions } from 'conversion-kit/testing';
import { contract } from '../fixtures/contract';

export type DemoTracker = TestTracker<typeof contract>;

export function demoTracker(options: Partial<TestTrackerOptions<typeof contract>> = {}): DemoTracker {
  return createTestTracker({ contract, ...options });
}

/** Renders `ui` inside a provider (and StrictMode unless told otherwise). */
export function renderWithTracker(
  ui: ReactNode,
  { tracker = demoTracker(), strict = true, ...options }: { tracker?: DemoTracker; strict?: boolean } & RenderOptions = {},
) {
  const wrap = (node: ReactNode) => {
    const provided = <ConversionProvider tracker={tracker}>{node}</ConversionProvider>;
    return strict ? <StrictMode>{provided}</StrictMode> : provided;
  };
  const result = render(wrap(ui), options);
  return { ...result, tracker, rerender: (next: ReactNode) => result.rerender(wrap(next)) };
}

/** A promise whose settlement the test controls. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
