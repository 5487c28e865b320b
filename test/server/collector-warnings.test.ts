import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCollector, memoryDedupeStore, metaConversionsApi } from 'conversion-kit/server';
import { contract } from '../fixtures/contract';
import { recording } from './recording';

describe('configuration warnings at creation', () => {
  const meta = () => metaConversionsApi({ pixelId: '1', accessToken: 't', siteUrl: 'https://shop.example' });
  const warnings = () => vi.mocked(console.warn).mock.calls.map((call) => String(call[0]));
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('warns once that ads destinations get every event when no consent option is given', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    createCollector({ contract, store: memoryDedupeStore(), destinations: [recording('ga4', 'analytics'), recording('meta', 'ads')] });
    expect(warnings().filter((message) => message.includes('no `consent` option'))).toEqual([
      expect.stringMatching(/^\[conversion-kit\] createCollector: no `consent` option.*meta/),
    ]);
  });

  it.each([['destinations: []', { destinations: [] }], ['no destinations option', {}]])(
    'warns that a collector with %s accepts everything and forwards nothing',
    (_, options) => {
      vi.spyOn(console, 'warn').mockImplementation(() => {});
      createCollector({ contract, store: memoryDedupeStore(), consent: () => undefined, ...options });
      expect(warnings()).toEqual([expect.stringMatching(/^\[conversion-kit\] createCollector: no destinations, so every valid event is answered `accepted` and forwarded nowhere/)]);
    },
  );

  it('does not warn about consent when the consent option is given', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    createCollector({ contract, store: memoryDedupeStore(), destinations: [recording('meta', 'ads')], consent: () => ({ ads: 'granted' }) });
    expect(warnings()).toEqual([]);
  });

  it('warns once that Meta CAPI needs the user agent when clientInfo does not forward it', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    createCollector({ contract, store: memoryDedupeStore(), destinations: [meta()], consent: () => undefined });
    expect(warnings()).toEqual([expect.stringMatching(/^\[conversion-kit\] createCollector: meta-conversions-api needs the visitor's user agent/)]);
  });

  it('does not warn about the user agent when clientInfo.userAgent is set, to true or false', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    createCollector({ contract, store: memoryDedupeStore(), destinations: [meta()], consent: () => undefined, clientInfo: { userAgent: true } });
    createCollector({ contract, store: memoryDedupeStore(), destinations: [meta()], consent: () => undefined, clientInfo: { userAgent: false } });
    expect(warnings()).toEqual([]);
  });
});
