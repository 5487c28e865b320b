import type { AnyContract, PayloadSchema } from './contract';

type JSONSchema = Record<string, unknown>;

/** One attribute (payload field) in the contract document. */
export interface AttributeDocument {
  readonly name: string;
  /** `string`, `number`, `integer`, `boolean`, `array of string`, `"a" | "b"`, ... */
  readonly type: string;
  readonly required: boolean;
  /** In words: `min length 1`, `> 0`, `exactly 3 characters`, `format email`. */
  readonly constraints: readonly string[];
  readonly description?: string;
}

/** One event in the contract document. */
export interface EventDocument {
  readonly name: string;
  readonly description: string;
  readonly conversion: boolean;
  readonly dedupeBy: string | null;
  /**
   * `'server'` when only the server tracker's report reaches server destinations. Left out
   * otherwise, and by documents of conversion-kit 0.1.0.
   */
  readonly confirmedBy?: 'server';
  readonly attributes: readonly AttributeDocument[];
  /** The payload's JSON Schema (draft 2020-12), for tools. */
  readonly jsonSchema: JSONSchema;
}

/** The event contract as a document for marketing and engineering. */
export interface ContractDocument {
  readonly version: 1;
  readonly events: readonly EventDocument[];
}

/** Options of {@link contractToJSON}. */
export interface ContractDocumentOptions {
  /**
   * Converts a schema that does not implement Standard JSON Schema (zod/mini) to JSON Schema.
   *
   * @example
   * import { toJSONSchema } from 'zod/mini';
   * contractToJSON(contract, { toJSONSchema: (schema) => toJSONSchema(schema as never) });
   */
  toJSONSchema?: (schema: PayloadSchema) => JSONSchema;
}

function jsonSchemaOf(event: string, schema: PayloadSchema, options: ContractDocumentOptions): JSONSchema {
  const converter = schema['~standard'].jsonSchema;
  if (converter) return converter.input({ target: 'draft-2020-12' });
  if (options.toJSONSchema) return options.toJSONSchema(schema);
  throw new Error(
    `[conversion-kit] contractToJSON: the schema of "${event}" cannot describe itself as JSON Schema ` +
      '(zod/mini, valibot). Pass { toJSONSchema } from your schema library.',
  );
}

function typeOf(property: JSONSchema): string {
  if (Array.isArray(property.enum)) return property.enum.map((value) => JSON.stringify(value)).join(' | ');
  if ('const' in property) return JSON.stringify(property.const);
  const union = (property.anyOf ?? property.oneOf) as JSONSchema[] | undefined;
  if (Array.isArray(union)) return union.map(typeOf).join(' | ');
  const type = property.type;
  if (Array.isArray(type)) return type.join(' | ');
  if (type === 'array') return `array of ${property.items ? typeOf(property.items as JSONSchema) : 'any'}`;
  return typeof type === 'string' ? type : 'any';
}

const CONSTRAINTS: ReadonlyArray<[string, (value: unknown) => string]> = [
  ['format', (v) => `format ${String(v)}`],
  ['minLength', (v) => `min length ${String(v)}`],
  ['maxLength', (v) => `max length ${String(v)}`],
  ['minimum', (v) => `>= ${String(v)}`],
  ['exclusiveMinimum', (v) => `> ${String(v)}`],
  ['maximum', (v) => `<= ${String(v)}`],
  ['exclusiveMaximum', (v) => `< ${String(v)}`],
  ['multipleOf', (v) => `multiple of ${String(v)}`],
  ['pattern', (v) => `matches /${String(v)}/`],
  ['minItems', (v) => `at least ${String(v)} items`],
  ['maxItems', (v) => `at most ${String(v)} items`],
  ['default', (v) => `default ${JSON.stringify(v)}`],
];

function constraintsOf(property: JSONSchema): string[] {
  if (property.minLength !== undefined && property.minLength === property.maxLength) {
    const rest = constraintsOf({ ...property, minLength: undefined, maxLength: undefined });
    return [`exactly ${String(property.minLength)} characters`, ...rest];
  }
  return CONSTRAINTS.filter(([key]) => property[key] !== undefined).map(([key, say]) => say(property[key]));
}

/**
 * The event contract as data: each event's description, whether it is a conversion, its dedup key,
 * and each attribute's type, required/optional and constraints, plus the JSON Schema.
 *
 * @example
 * fs.writeFileSync('tracking-plan.json', JSON.stringify(contractToJSON(contract), null, 2));
 */
export function contractToJSON(contract: AnyContract, options: ContractDocumentOptions = {}): ContractDocument {
  const events = Object.entries(contract.events).map(([name, definition]): EventDocument => {
    const jsonSchema = jsonSchemaOf(name, definition.schema, options);
    const properties = (jsonSchema.properties ?? {}) as Record<string, JSONSchema>;
    const required = new Set((jsonSchema.required ?? []) as string[]);
    return {
      name,
      description: definition.description ?? '',
      conversion: definition.conversion === true,
      dedupeBy: definition.dedupeBy ?? null,
      ...(definition.confirmedBy === 'server' ? { confirmedBy: 'server' as const } : {}),
      attributes: Object.entries(properties).map(([field, property]) => ({
        name: field,
        type: typeOf(property),
        required: required.has(field),
        constraints: constraintsOf(property),
        ...(typeof property.description === 'string' ? { description: property.description } : {}),
      })),
      jsonSchema,
    };
  });
  return { version: 1, events };
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

/**
 * The event contract as a Markdown document: a summary table, then one section per event with its
 * attributes.
 *
 * @example
 * fs.writeFileSync('TRACKING_PLAN.md', contractToMarkdown(contract));
 */
export function contractToMarkdown(contract: AnyContract, options: ContractDocumentOptions = {}): string {
  const { events } = contractToJSON(contract, options);
  const lines = [
    '# Event contract',
    '',
    '| Event | Conversion | Dedup key | Description |',
    '| --- | --- | --- | --- |',
    ...events.map((e) => `| \`${e.name}\` | ${e.conversion ? 'yes' : 'no'} | ${e.dedupeBy ? `\`${e.dedupeBy}\`` : '-'} | ${cell(e.description)} |`),
  ];
  for (const e of events) {
    lines.push('', `## \`${e.name}\``, '');
    lines.push(`${e.conversion ? 'Conversion' : 'Supporting event'}${e.dedupeBy ? `, deduplicated by \`${e.dedupeBy}\`` : ''}.`);
    if (e.description) lines.push('', cell(e.description));
    lines.push('', '| Attribute | Type | Required | Constraints | Description |', '| --- | --- | --- | --- | --- |');
    for (const a of e.attributes) {
      lines.push(`| \`${a.name}\` | ${cell(a.type)} | ${a.required ? 'yes' : 'no'} | ${cell(a.constraints.join(', ') || '-')} | ${cell(a.description ?? '')} |`);
    }
  }
  return `${lines.join('\n')}\n`;
}
