import { act } from 'react';
import { createRoot } from 'react-dom/client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConversionProvider, TrackedForm } from 'conversion-kit';
import { createTestTracker } from 'conversion-kit/testing';
import { contract } from '../fixtures/contract';

const cleanups: Array<() => void> = [];
afterEach(() => {
  cleanups.splice(0).forEach((cleanup) => cleanup());
  document.body.innerHTML = '';
});

/** What reaches the page: errors (`window` `error`) and unhandled rejections. */
function pageFailures() {
  const errors: unknown[] = [];
  const rejections: unknown[] = [];
  const onError = (event: ErrorEvent) => {
    event.preventDefault();
    errors.push(event.error);
  };
  const onRejection = (event: PromiseRejectionEvent) => {
    event.preventDefault();
    rejections.push(event.reason);
  };
  window.addEventListener('error', onError);
  window.addEventListener('unhandledrejection', onRejection);
  cleanups.push(() => {
    window.removeEventListener('error', onError);
    window.removeEventListener('unhandledrejection', onRejection);
  });
  return { errors, rejections };
}

describe('TrackedForm callbacks, in a real browser', () => {
  it('reports an onSuccess that throws as an error of the page, not an unhandled rejection, and keeps the success', async () => {
    const failures = pageFailures();
    const tracker = createTestTracker({ contract });
    const container = document.createElement('div');
    document.body.append(container);
    const root = createRoot(container);
    cleanups.push(() => root.unmount());
    (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
    await act(async () =>
      root.render(
      <ConversionProvider tracker={tracker}>
        <TrackedForm
          conversion="lead_submitted"
          formId="demo"
          aria-label="Demo"
          onSubmit={async () => ({})}
          onSuccess={() => {
            throw new Error('router.push failed');
          }}
        >
          <button type="submit">Send</button>
        </TrackedForm>
      </ConversionProvider>,
      ),
    );
    const form = container.querySelector('form')!;
    await act(async () => container.querySelector('button')!.click());
    await vi.waitFor(() => expect(failures.errors).toHaveLength(1));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(failures.rejections).toEqual([]);
    expect((failures.errors[0] as Error).message).toBe('router.push failed');
    expect(form.dataset.state).toBe('success');
    expect(tracker.conversions('lead_submitted')).toHaveLength(1);
  });
});
