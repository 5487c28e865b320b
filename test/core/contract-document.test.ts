import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import * as zm from 'zod/mini';
import { contractToJSON, contractToMarkdown, defineContract } from 'conversion-kit/core';
import { contract } from '../fixtures/contract';

describe('contractToJSON', () => {
  it('documents each event with its attributes, types, requirement and constraints', () => {
    const doc = contractToJSON(contract);
    const purchase = doc.events.find((event) => event.name === 'purchase_completed')!;
    expect(purchase).toMatchObject({
      description: 'A paid order, confirmed by the payment provider',
      conversion: true,
      dedupeBy: 'order_id',
    });
    expect(purchase.attributes).toEqual([
      { name: 'order_id', type: 'string', required: true, constraints: ['min length 1'] },
      { name: 'value', type: 'number', required: true, constraints: ['>= 0'] },
      { name: 'currency', type: 'string', required: true, constraints: ['matches /^[A-Z]{3}$/'] },
      { name: 'coupon', type: 'string', required: false, constraints: [] },
    ]);
    const lead = doc.events.find((event) => event.name === 'lead_submitted')!;
    expect(lead.attributes.find((a) => a.name === 'plan')).toEqual({
      name: 'plan', type: '"starter" | "team" | "enterprise"', required: false, constraints: [],
    });
    expect(doc.events.find((event) => event.name === 'cta_clicked')).toMatchObject({ conversion: false, dedupeBy: null });
  });

  it('words exact lengths, exclusive bounds, defaults and descriptions', () => {
    const doc = contractToJSON(
      defineContract({
        subscription_started: {
          schema: z.object({
            currency: z.string().length(3).describe('ISO 4217 code'),
            value: z.number().positive(),
            seats: z.number().int().default(1),
            tags: z.array(z.string()).max(5),
          }),
        },
      }),
    );
    expect(doc.events[0]!.attributes).toEqual([
      { name: 'currency', type: 'string', required: true, constraints: ['exactly 3 characters'], description: 'ISO 4217 code' },
      { name: 'value', type: 'number', required: true, constraints: ['> 0'] },
      expect.objectContaining({ name: 'seats', type: 'integer', required: false, constraints: expect.arrayContaining(['default 1']) }),
      { name: 'tags', type: 'array of string', required: true, constraints: ['at most 5 items'] },
    ]);
  });

  it('asks for a converter when the schema cannot describe itself', () => {
    const mini = defineContract({ lead_submitted: { schema: zm.object({ form_id: zm.string() }) } });
    expect(() => contractToJSON(mini)).toThrow(/schema of "lead_submitted" cannot describe itself as JSON Schema/);
    const doc = contractToJSON(mini, { toJSONSchema: (schema) => zm.toJSONSchema(schema as never, { io: 'input' }) as never });
    expect(doc.events[0]!.attributes).toEqual([{ name: 'form_id', type: 'string', required: true, constraints: [] }]);
  });
});

describe('contractToMarkdown', () => {
  it('renders a summary table and one attribute table per event', () => {
    const markdown = contractToMarkdown(contract);
    expect(markdown).toContain('| `purchase_completed` | yes | `order_id` | A paid order, confirmed by the payment provider |');
    expect(markdown).toContain('## `purchase_completed`\n\nConversion, deduplicated by `order_id`.');
    expect(markdown).toContain('| `currency` | string | yes | matches /^[A-Z]{3}$/ |  |');
    expect(markdown).toContain('| `plan` | "starter" \\| "team" \\| "enterprise" | no | - |  |');
    expect(markdown).toContain('## `cta_clicked`\n\nSupporting event.');
  });
});
