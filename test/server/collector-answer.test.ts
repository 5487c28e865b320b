import { describe, expect, it } from 'vitest';
import { randomEventId } from 'conversion-kit/core';
import { ForwardError, type ServerDestination } from 'conversion-kit/server';
import { lead, setup } from './collector-setup';
import { batchOf, purchaseEnvelope } from './envelopes';
import { recording } from './recording';

describe('the 200 answer', () => {
  it('counts every event of the batch exactly once: accepted + duplicates + skipped + rejected + failed + pending', async () => {
    const crm: ServerDestination = {
      name: 'crm',
      send: (envelope) => { if (envelope.event === 'newsletter_signup') throw new Error('CRM is down'); },
    };
    const { post } = setup({
      destinations: [recording('ga4', 'analytics'), crm],
      consent: (_request, envelope) => (envelope.event === 'cta_clicked' ? { analytics: 'denied' } : undefined),
    });
    const signup = purchaseEnvelope({ event: 'newsletter_signup', eventId: randomEventId(), dedupeKey: null, payload: { form_id: 'news' } });
    const click = purchaseEnvelope({ event: 'cta_clicked', eventId: randomEventId(), dedupeKey: null, payload: { cta_id: 'hero' } });
    const bad = { ...purchaseEnvelope(), payload: { order_id: 'A-1001' } };
    const answer = await post(batchOf(purchaseEnvelope(), purchaseEnvelope(), bad, signup, click, lead()));
    const { accepted, duplicates, skipped, rejected, failed, pending } = answer.body;
    expect({ accepted, duplicates, skipped, rejected: rejected.length, failed: failed.length, pending: pending.length }).toEqual({
      accepted: 2,
      duplicates: 1,
      skipped: 1,
      rejected: 1,
      failed: 1,
      pending: 0,
    });
  });

  it('marks a failure worth sending again as retryable', async () => {
    const { meta, post } = setup();
    meta.fail = new ForwardError('meta answered 503', true, 503);
    const answer = await post(batchOf(purchaseEnvelope()));
    expect(answer.body.failed).toEqual([expect.objectContaining({ index: 0, retryable: true })]);
  });

  it('marks a failure that sending again cannot fix as not retryable', async () => {
    const { meta, post } = setup();
    meta.fail = new ForwardError('meta did not send purchase_completed: its event_time is more than 7 days old', false);
    const answer = await post(batchOf(purchaseEnvelope()));
    expect(answer.body.failed).toEqual([expect.objectContaining({ index: 0, retryable: false })]);
  });
});
