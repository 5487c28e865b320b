import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import * as zm from 'zod/mini';
import { ContractError, defineContract, toSnakeCase } from 'conversion-kit/core';

const schema = z.object({ order_id: z.string() });

function problemsOf(define: () => unknown): readonly string[] {
  try {
    define();
  } catch (error) {
    expect(error).toBeInstanceOf(ContractError);
    return (error as ContractError).problems;
  }
  throw new Error('expected a ContractError');
}

describe('defineContract', () => {
  it('returns the events of a valid contract', () => {
    const contract = defineContract({ purchase_completed: { schema, dedupeBy: 'order_id', conversion: true } });
    expect(Object.keys(contract.events)).toEqual(['purchase_completed']);
    expect(contract.events.purchase_completed.dedupeBy).toBe('order_id');
  });

  it('names every event that is not snake_case and suggests the snake_case form', () => {
    const problems = problemsOf(() =>
      defineContract({ PurchaseComplete: { schema }, checkoutDone: { schema }, lead_submitted: { schema } } as never),
    );
    expect(problems).toEqual([
      '"PurchaseComplete" is not lowercase snake_case; use "purchase_complete"',
      '"checkoutDone" is not lowercase snake_case; use "checkout_done"',
    ]);
  });

  it('puts the problems in the error message', () => {
    expect(() => defineContract({ 'Sign Up': { schema } } as never)).toThrow(/"Sign Up" is not lowercase snake_case; use "sign_up"/);
  });

  it('rejects a dedupeBy that names no field, listing the fields', () => {
    const problems = problemsOf(() =>
      defineContract({ purchase_completed: { schema, dedupeBy: 'orderId' } } as never),
    );
    expect(problems).toEqual(['"purchase_completed".dedupeBy is "orderId", which is not a field of its schema (fields: order_id)']);
  });

  it('rejects a key an event does not have, so a typo never switches a rule off silently', () => {
    const problems = problemsOf(() =>
      defineContract({ purchase_completed: { schema, dedupBy: 'order_id', conversion: true } } as never),
    );
    expect(problems).toEqual([
      '"purchase_completed".dedupBy is not a key of an event (expected schema, dedupeBy, conversion, description, confirmedBy)',
    ]);
  });

  it("accepts confirmedBy: 'server' and refuses any other value", () => {
    expect(() => defineContract({ purchase_completed: { schema, confirmedBy: 'server' } })).not.toThrow();
    const problems = problemsOf(() => defineContract({ purchase_completed: { schema, confirmedBy: 'backend' } } as never));
    expect(problems).toEqual(['"purchase_completed".confirmedBy must be \'server\' or left out']);
  });

  it('checks dedupeBy against zod/mini schemas too', () => {
    const mini = zm.object({ order_id: zm.string() });
    expect(() => defineContract({ purchase_completed: { schema: mini, dedupeBy: 'order_id' } })).not.toThrow();
    expect(() => defineContract({ purchase_completed: { schema: mini, dedupeBy: 'id' } } as never)).toThrow(ContractError);
  });

  it('rejects a schema that is not a Standard Schema', () => {
    const problems = problemsOf(() => defineContract({ lead_submitted: { schema: { parse() {} } } } as never));
    expect(problems[0]).toMatch(/"lead_submitted".schema is not a Standard Schema/);
  });

  it('rejects names GA4 would refuse', () => {
    const long = `a_${'b'.repeat(40)}`;
    const problems = problemsOf(() => defineContract({ [long]: { schema }, google_purchase: { schema } }));
    expect(problems[0]).toMatch(/is 42 characters; GA4 accepts at most 40/);
    expect(problems[1]).toMatch(/"google_purchase" starts with a prefix GA4 reserves/);
  });

  // The reserved names of the GA4 Measurement Protocol reference:
  // https://developers.google.com/analytics/devguides/collection/protocol/ga4/reference#reserved_names
  it('rejects event names GA4 reserves (and drops), not names that merely start like them', () => {
    const problems = problemsOf(() => defineContract({ session_start: { schema }, first_visit: { schema }, ad_click: { schema }, user_engagement: { schema } }));
    expect(problems).toEqual([
      '"session_start" is an event name GA4 reserves and drops; choose another',
      '"first_visit" is an event name GA4 reserves and drops; choose another',
      '"ad_click" is an event name GA4 reserves and drops; choose another',
      '"user_engagement" is an event name GA4 reserves and drops; choose another',
    ]);
    expect(() => defineContract({ session_started: { schema }, ad_clicked: { schema }, error_shown: { schema } })).not.toThrow();
  });

  it('does not let contract events resolve to prototype members', async () => {
    const contract = defineContract({ lead_submitted: { schema } });
    const { createTestTracker } = await import('conversion-kit/testing');
    const tracker = createTestTracker({ contract });
    expect(tracker.track('constructor' as never, {} as never).status).toBe('invalid');
  });
});

describe('toSnakeCase', () => {
  it.each([
    ['PurchaseComplete', 'purchase_complete'],
    ['checkoutDone', 'checkout_done'],
    ['HTMLFormSent', 'html_form_sent'],
    ['lead-form submitted', 'lead_form_submitted'],
    ['__Signup__', 'signup'],
    ['2fa_enabled', 'fa_enabled'],
  ])('%s -> %s', (input, expected) => {
    expect(toSnakeCase(input)).toBe(expected);
  });
});
