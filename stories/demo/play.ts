import { expect, waitFor, within } from 'storybook/test';

/**
 * What `play` functions read from the conversion debugger next to the demo: the same words a
 * marketer reads, so a story fails when the debugger would mislead them.
 */

/** The decisions the debugger lists (`<li>` of its log), oldest first. */
export function decisionItems(canvasElement: HTMLElement): HTMLElement[] {
  const log = within(canvasElement).getByRole('log', { name: 'Decisions' });
  return [...log.querySelectorAll<HTMLElement>(':scope > ol > li')];
}

/** Waits for the decision whose text starts with `status event` and returns its `<li>`. */
export function findDecision(canvasElement: HTMLElement, status: string, event: string): Promise<HTMLElement> {
  return waitFor(() => {
    const items = decisionItems(canvasElement);
    const match = items.find((item) => item.textContent?.startsWith(`${status} ${event}`));
    if (!match) {
      const shown = items.map((item) => item.textContent).join('\n  ') || '(nothing)';
      throw new Error(`The debugger shows no "${status} ${event}" decision. It shows:\n  ${shown}`);
    }
    return match;
  });
}

/** Asserts the debugger lists no decision about `event`. */
export async function expectNoDecision(canvasElement: HTMLElement, event: string) {
  const about = decisionItems(canvasElement).filter((item) => item.textContent?.includes(` ${event}`));
  await expect(about.map((item) => item.textContent)).toEqual([]);
}

/** The debugger's definition of `term` (a consent category, a touch). */
export function debuggerDetail(canvasElement: HTMLElement, term: string): HTMLElement {
  const debug = within(within(canvasElement).getByRole('region', { name: 'Conversion debugger' }));
  return debug.getByText(term, { selector: 'dt' }).nextElementSibling as HTMLElement;
}
