import { afterEach, describe, expect, it } from 'vitest';
import { createTracker, memoryStorage, type Destination, type Envelope } from 'conversion-kit/core';
import { contract } from '../fixtures/contract';

describe("the envelope's page", () => {
  const original = Object.getOwnPropertyDescriptor(Document.prototype, 'referrer')!;
  afterEach(() => {
    Object.defineProperty(document, 'referrer', original);
    delete (document as { referrer?: string }).referrer;
  });

  it('carries the referrer without its query and fragment: click ids and UTMs travel in campaign, nothing else leaves the page', () => {
    Object.defineProperty(document, 'referrer', {
      configurable: true,
      value: 'https://www.google.com/aclk?sa=l&ai=DChcSE&gclid=Cj0KCQ&email=ada%40example.com#section',
    });
    const sent: Envelope[] = [];
    const recorder: Destination = { name: 'recorder', send: (envelope) => void sent.push(envelope) };
    const tracker = createTracker({ contract, storage: memoryStorage(), destinations: [recorder] });
    tracker.track('cta_clicked', { cta_id: 'hero' });
    expect(sent[0]?.page.referrer).toBe('https://www.google.com/aclk');
  });
});
