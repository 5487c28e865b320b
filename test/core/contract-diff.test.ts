import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { contractToJSON, defineContract, diffContracts, type ContractDocument, type EventDefinitions } from 'conversion-kit/core';

const purchase = {
  description: 'A paid order',
  schema: z.object({
    order_id: z.string().min(1),
    value: z.number().nonnegative(),
    currency: z.string().length(3),
    coupon: z.string().optional(),
  }),
  dedupeBy: 'order_id' as const,
  conversion: true,
};
const lead = {
  description: 'A demo request',
  schema: z.object({ form_id: z.string(), plan: z.enum(['starter', 'team']).optional() }),
  conversion: true,
};
const cta = { schema: z.object({ cta_id: z.string() }) };

const doc = (events: EventDefinitions) => contractToJSON(defineContract(events));
const base = () => doc({ purchase_completed: purchase, lead_submitted: lead, cta_clicked: cta });
const kinds = (changes: readonly { kind: string }[]) => changes.map((change) => change.kind);

describe('diffContracts: breaking changes', () => {
  it('reports nothing for the same contract', () => {
    expect(diffContracts(base(), base())).toEqual({ breaking: [], additive: [] });
  });

  it('reports a removed field with the sentence a marketer reads', () => {
    const { coupon: _, ...fields } = purchase.schema.shape;
    const after = doc({ purchase_completed: { ...purchase, schema: z.object(fields) }, lead_submitted: lead, cta_clicked: cta });
    expect(diffContracts(base(), after)).toEqual({
      breaking: [{
        kind: 'field_removed', event: 'purchase_completed', field: 'coupon', before: 'string',
        message: 'purchase_completed: field "coupon" was removed; GTM triggers or reports reading it get nothing.',
      }],
      additive: [],
    });
  });

  it('reports a removed event, saying a conversion stops counting', () => {
    const { breaking, additive } = diffContracts(base(), doc({ purchase_completed: purchase, cta_clicked: cta }));
    expect(additive).toEqual([]);
    expect(breaking).toHaveLength(1);
    expect(breaking[0]).toMatchObject({ kind: 'event_removed', event: 'lead_submitted' });
    expect(breaking[0]!.message).toMatch(/^lead_submitted was removed: .*ad-platform conversions.*stop counting/);
  });

  it('reports a removed and an added event with the same fields as a likely rename, still breaking', () => {
    const after = doc({ order_completed: purchase, lead_submitted: lead, cta_clicked: cta });
    const { breaking, additive } = diffContracts(base(), after);
    expect(additive).toEqual([]);
    expect(breaking).toEqual([expect.objectContaining({ kind: 'event_renamed', event: 'order_completed', before: 'purchase_completed', after: 'order_completed' })]);
    expect(breaking[0]!.message).toContain('purchase_completed was renamed to order_completed');
  });

  it('reports what else changed on a renamed event', () => {
    const after = doc({ order_completed: { ...purchase, conversion: false }, lead_submitted: lead, cta_clicked: cta });
    expect(kinds(diffContracts(base(), after).breaking)).toEqual(['event_renamed', 'conversion_changed']);
  });

  it('does not pair events with different fields as a rename', () => {
    const after = doc({ lead_submitted: lead, cta_clicked: cta, order_completed: { schema: z.object({ order_id: z.string() }) } });
    const { breaking, additive } = diffContracts(base(), after);
    expect(kinds(breaking)).toEqual(['event_removed']);
    expect(additive).toEqual([expect.objectContaining({ kind: 'event_added', event: 'order_completed' })]);
  });

  it('reports a changed type, a field turned required and a new required field', () => {
    const after = doc({
      purchase_completed: {
        ...purchase,
        schema: purchase.schema.extend({ value: z.string(), coupon: z.string(), tax: z.number() }),
      },
      lead_submitted: lead,
      cta_clicked: cta,
    });
    const { breaking, additive } = diffContracts(base(), after);
    expect(additive).toEqual([]);
    expect(breaking.map(({ kind, field, before, after }) => ({ kind, field, before, after }))).toEqual([
      { kind: 'field_type_changed', field: 'value', before: 'number', after: 'string' },
      { kind: 'field_now_required', field: 'coupon', before: undefined, after: undefined },
      { kind: 'required_field_added', field: 'tax', before: undefined, after: 'number' },
    ]);
    expect(breaking[0]!.message).toBe(
      'purchase_completed: field "value" changed from number to string; GTM variables, filters and reports that expect number may break.',
    );
    expect(breaking[2]!.message).toBe(
      'purchase_completed: new required field "tax" (number); pages still running the previous release send purchase_completed without it, and the collector rejects those reports until the pages reload.',
    );
  });

  it('reports a changed, an added and a dropped dedup key', () => {
    const changed = diffContracts(base(), doc({ purchase_completed: { ...purchase, dedupeBy: 'currency' }, lead_submitted: lead, cta_clicked: cta }));
    expect(changed.breaking).toEqual([expect.objectContaining({ kind: 'dedupe_changed', before: 'order_id', after: 'currency' })]);
    expect(changed.breaking[0]!.message).toContain('can count twice');
    const dropped = diffContracts(base(), doc({ purchase_completed: { ...purchase, dedupeBy: undefined }, lead_submitted: lead, cta_clicked: cta }));
    expect(dropped.breaking).toEqual([expect.objectContaining({ kind: 'dedupe_changed', before: 'order_id', after: null })]);
    const added = diffContracts(base(), doc({ purchase_completed: purchase, lead_submitted: { ...lead, dedupeBy: 'form_id' }, cta_clicked: cta }));
    expect(added.breaking).toEqual([expect.objectContaining({ kind: 'dedupe_changed', event: 'lead_submitted', before: null, after: 'form_id' })]);
  });

  it('reports the conversion flag turned on and off', () => {
    const after = doc({ purchase_completed: { ...purchase, conversion: false }, lead_submitted: lead, cta_clicked: { ...cta, conversion: true } });
    const { breaking } = diffContracts(base(), after);
    expect(breaking.map(({ event, kind, after }) => [event, kind, after])).toEqual([
      ['purchase_completed', 'conversion_changed', false],
      ['cta_clicked', 'conversion_changed', true],
    ]);
    expect(breaking[0]!.message).toContain('no longer a conversion');
    expect(breaking[1]!.message).toContain('is now a conversion');
  });

  it('reports confirmedBy: server added and removed', () => {
    const serverOnly = doc({ purchase_completed: { ...purchase, confirmedBy: 'server' }, lead_submitted: lead, cta_clicked: cta });
    expect(serverOnly.events[0]).toMatchObject({ confirmedBy: 'server' });
    expect(diffContracts(base(), serverOnly).breaking).toEqual([expect.objectContaining({ kind: 'confirmed_by_changed', before: null, after: 'server' })]);
    expect(diffContracts(serverOnly, base()).breaking).toEqual([expect.objectContaining({ kind: 'confirmed_by_changed', before: 'server', after: null })]);
  });

  it('reports a new rule on a field as breaking', () => {
    const after = doc({ purchase_completed: { ...purchase, schema: purchase.schema.extend({ coupon: z.string().max(20).optional() }) }, lead_submitted: lead, cta_clicked: cta });
    expect(diffContracts(base(), after).breaking).toEqual([
      expect.objectContaining({ kind: 'field_constraints_changed', field: 'coupon', before: '', after: 'max length 20' }),
    ]);
  });

  it('reports a change inside a list of objects, which the type words do not show', () => {
    const items = (item: z.ZodObject) => ({ schema: z.object({ items: z.array(item) }) });
    const before = doc({ cart_viewed: items(z.object({ sku: z.string(), price: z.number() })) });
    const after = doc({ cart_viewed: items(z.object({ sku: z.string() })) });
    expect(before.events[0]!.attributes[0]!.type).toBe(after.events[0]!.attributes[0]!.type);
    expect(diffContracts(before, after).breaking).toEqual([expect.objectContaining({ kind: 'field_schema_changed', field: 'items' })]);
  });

  it('reports a payload that now refuses extra fields', () => {
    const before = doc({ cta_clicked: cta });
    const after = doc({ cta_clicked: { schema: z.strictObject({ cta_id: z.string() }) } });
    expect(kinds(diffContracts(before, after).breaking)).toEqual(['schema_changed']);
  });

  it('counts a type change of a list as breaking, even when it may be wider', () => {
    const before = doc({ cart_viewed: { schema: z.object({ skus: z.array(z.string()) }) } });
    const after = doc({ cart_viewed: { schema: z.object({ skus: z.array(z.union([z.string(), z.number()])) }) } });
    expect(kinds(diffContracts(before, after).breaking)).toEqual(['field_type_changed']);
  });
});

describe('diffContracts: additive changes', () => {
  it('reports an added event, an optional field, a field turned optional and relaxed rules', () => {
    const after = doc({
      purchase_completed: {
        ...purchase,
        schema: purchase.schema.extend({ currency: z.string().optional(), affiliate: z.string().optional() }),
      },
      lead_submitted: lead,
      cta_clicked: cta,
      newsletter_signup: { schema: z.object({ form_id: z.string() }), conversion: true },
    });
    const { breaking, additive } = diffContracts(base(), after);
    expect(breaking).toEqual([]);
    expect(additive.map(({ kind, event, field }) => [kind, event, field])).toEqual([
      ['field_now_optional', 'purchase_completed', 'currency'],
      ['field_constraints_relaxed', 'purchase_completed', 'currency'],
      ['field_added', 'purchase_completed', 'affiliate'],
      ['event_added', 'newsletter_signup', undefined],
    ]);
    expect(additive[3]!.message).toBe(
      'newsletter_signup was added (a conversion); nothing counts it until GTM, the reports or the ad platforms are set up for it.',
    );
  });

  it('reports an enum with a new value, integer -> number and a nullable field as widened', () => {
    const before = doc({ lead_submitted: { schema: z.object({ plan: z.enum(['starter', 'team']), seats: z.number().int(), company: z.string() }) } });
    const after = doc({ lead_submitted: { schema: z.object({ plan: z.enum(['starter', 'team', 'enterprise']), seats: z.number(), company: z.string().nullable() }) } });
    const { breaking, additive } = diffContracts(before, after);
    expect(additive.map((change) => [change.kind, change.field, change.before, change.after])).toEqual([
      ['field_type_widened', 'plan', '"starter" | "team"', '"starter" | "team" | "enterprise"'],
      ['field_type_widened', 'seats', 'integer', 'number'],
      ['field_type_widened', 'company', 'string', 'string | null'],
    ]);
    expect(additive[0]!.message).toBe(
      'lead_submitted: field "plan" now accepts "starter" | "team" | "enterprise" (was "starter" | "team"); every value that fitted before still fits, but lookup tables and filters may need the new values.',
    );
    expect(breaking).toEqual([]);
  });

  it('reports an enum that lost a value as breaking', () => {
    const before = doc({ lead_submitted: { schema: z.object({ plan: z.enum(['starter', 'team']) }) } });
    const after = doc({ lead_submitted: { schema: z.object({ plan: z.enum(['starter']) }) } });
    expect(kinds(diffContracts(before, after).breaking)).toEqual(['field_type_changed']);
  });

  it('reports changed descriptions, so a snapshot of the document stays true', () => {
    const after = doc({ purchase_completed: { ...purchase, description: 'A paid order, after the webhook' }, lead_submitted: lead, cta_clicked: cta });
    expect(diffContracts(base(), after).additive).toEqual([
      expect.objectContaining({
        kind: 'description_changed', event: 'purchase_completed', after: 'A paid order, after the webhook',
        message: 'purchase_completed: the description changed to "A paid order, after the webhook".',
      }),
    ]);
    const { coupon, ...fields } = purchase.schema.shape;
    const described = doc({ purchase_completed: { ...purchase, schema: z.object({ ...fields, coupon: coupon.describe('A promotion code') }) } });
    expect(diffContracts(described, doc({ purchase_completed: purchase })).additive).toEqual([
      expect.objectContaining({ kind: 'description_changed', field: 'coupon', message: 'purchase_completed: the description of field "coupon" was removed.' }),
    ]);
  });
});

describe('diffContracts: documents from files', () => {
  // What conversion-kit 0.1.0 wrote: no confirmedBy. Hand-edited plans may also leave out the
  // JSON Schema and the constraint words.
  const older = {
    version: 1,
    events: [{
      name: 'purchase_completed',
      description: 'A paid order',
      conversion: true,
      dedupeBy: 'order_id',
      attributes: [
        { name: 'order_id', type: 'string', required: true },
        { name: 'value', type: 'number', required: true, constraints: ['>= 0'] },
        { name: 'currency', type: 'string', required: true, constraints: ['exactly 3 characters'] },
        { name: 'coupon', type: 'string', required: false },
      ],
    }],
  } as unknown as ContractDocument;

  it('compares a document of an older kit version, without confirmedBy, JSON Schema or constraints', () => {
    const after = doc({ purchase_completed: { ...purchase, schema: purchase.schema.extend({ coupon: z.number().optional() }) } });
    const { breaking } = diffContracts(older, after);
    expect(breaking.map(({ kind, field }) => [kind, field])).toEqual([
      ['field_constraints_changed', 'order_id'],
      ['field_type_changed', 'coupon'],
    ]);
  });

  it('ignores keys a newer kit version may add', () => {
    const withExtra = { ...older, generator: 'conversion-kit 0.3', events: older.events.map((e) => ({ ...e, owner: 'growth' })) };
    expect(diffContracts(older, withExtra as ContractDocument)).toEqual({ breaking: [], additive: [] });
  });

  it.each([
    ['null', null, /before is not a contract document: got null/],
    ['an array', [], /before is not a contract document: got an array/],
    ['a package.json', { name: 'shop', version: '1.0.0' }, /before is not a contract document: "events" must be a list, got undefined/],
    ['a document without events', { version: 1 }, /before is not a contract document: "events" must be a list, got undefined/],
    ['an event without a name', { version: 1, events: [{ attributes: [] }] }, /before\.events\[0\]\.name must be a non-empty string/],
    ['an attribute with a numeric type', { version: 1, events: [{ name: 'x', attributes: [{ name: 'a', type: 3, required: true }] }] }, /before\.events\[0\] \("x"\)\.attributes\[0\]\.type must be a string, got number 3/],
    ['a conversion flag as text', { version: 1, events: [{ name: 'x', conversion: 'yes', attributes: [] }] }, /before\.events\[0\] \("x"\)\.conversion must be true or false/],
    ['an event listed twice', { version: 1, events: [{ name: 'x', attributes: [] }, { name: 'x', attributes: [] }] }, /before\.events lists "x" twice/],
    ['a newer document version', { version: 2, events: [] }, /version 2 contract document; this conversion-kit reads version 1/],
  ])('throws a TypeError naming what is wrong for %s', (_, value, message) => {
    expect(() => diffContracts(value as ContractDocument, base())).toThrow(TypeError);
    expect(() => diffContracts(value as ContractDocument, base())).toThrow(message);
  });

  it('names the second document "after" in its errors', () => {
    expect(() => diffContracts(base(), { version: 1, events: 'none' } as unknown as ContractDocument)).toThrow(/after is not a contract document/);
  });
});
