// Reads a contract document (from a file, so of any shape and any kit version) into the form the
// diff compares, or throws a TypeError that names what is wrong.

type JSONSchema = Record<string, unknown>;

/** An attribute as the diff compares it. */
export interface DiffAttribute {
  readonly name: string;
  readonly type: string;
  readonly required: boolean;
  readonly constraints: readonly string[];
  readonly description: string;
  /** The attribute's JSON Schema, when the document carries one. */
  readonly schema: JSONSchema | undefined;
}

/** An event as the diff compares it. */
export interface DiffEvent {
  readonly name: string;
  readonly description: string;
  readonly conversion: boolean;
  readonly dedupeBy: string | null;
  readonly confirmedBy: 'server' | null;
  readonly attributes: readonly DiffAttribute[];
  readonly jsonSchema: JSONSchema | undefined;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function shapeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

function fail(label: string, what: string): never {
  throw new TypeError(
    `[conversion-kit] diffContracts: ${label} ${what}. Expected a document written by contractToJSON ` +
      '({ "version": 1, "events": [...] }).',
  );
}

function optionalString(label: string, value: unknown, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string') fail(label, `must be a string, got ${shapeOf(value)}`);
  return value;
}

function readAttribute(label: string, value: unknown, properties: Record<string, unknown>): DiffAttribute {
  if (!isObject(value)) fail(label, `must be an attribute object, got ${shapeOf(value)}`);
  if (typeof value.name !== 'string' || !value.name) fail(`${label}.name`, `must be a non-empty string, got ${shapeOf(value.name)}`);
  if (typeof value.type !== 'string') fail(`${label}.type`, `must be a string, got ${shapeOf(value.type)}`);
  if (typeof value.required !== 'boolean') fail(`${label}.required`, `must be true or false, got ${shapeOf(value.required)}`);
  // Documents edited by hand or written by other tools may leave out the words; that is no change.
  const constraints = value.constraints ?? [];
  if (!Array.isArray(constraints) || !constraints.every((c) => typeof c === 'string')) {
    fail(`${label}.constraints`, `must be a list of strings, got ${shapeOf(constraints)}`);
  }
  const property = properties[value.name];
  return {
    name: value.name,
    type: value.type,
    required: value.required,
    constraints,
    description: optionalString(`${label}.description`, value.description, ''),
    schema: isObject(property) ? property : undefined,
  };
}

function readEvent(label: string, value: unknown): DiffEvent {
  if (!isObject(value)) fail(label, `must be an event object, got ${shapeOf(value)}`);
  if (typeof value.name !== 'string' || !value.name) fail(`${label}.name`, `must be a non-empty string, got ${shapeOf(value.name)}`);
  label = `${label} ("${value.name}")`;
  const conversion = value.conversion ?? false;
  if (typeof conversion !== 'boolean') fail(`${label}.conversion`, `must be true or false, got ${shapeOf(conversion)}`);
  const dedupeBy = value.dedupeBy ?? null;
  if (dedupeBy !== null && typeof dedupeBy !== 'string') fail(`${label}.dedupeBy`, `must be a field name or null, got ${shapeOf(dedupeBy)}`);
  // `confirmedBy` came after the first documents: absent means the browser may confirm it.
  const confirmedBy = value.confirmedBy ?? null;
  if (confirmedBy !== null && confirmedBy !== 'server') fail(`${label}.confirmedBy`, `must be "server" or left out, got ${shapeOf(confirmedBy)}`);
  if (!Array.isArray(value.attributes)) fail(`${label}.attributes`, `must be a list, got ${shapeOf(value.attributes)}`);
  const jsonSchema = isObject(value.jsonSchema) ? value.jsonSchema : undefined;
  const properties = jsonSchema && isObject(jsonSchema.properties) ? jsonSchema.properties : {};
  const attributes = value.attributes.map((a, i) => readAttribute(`${label}.attributes[${i}]`, a, properties));
  const seen = new Set<string>();
  for (const attribute of attributes) {
    if (seen.has(attribute.name)) fail(`${label}.attributes`, `lists "${attribute.name}" twice`);
    seen.add(attribute.name);
  }
  return {
    name: value.name,
    description: optionalString(`${label}.description`, value.description, ''),
    conversion,
    dedupeBy,
    confirmedBy,
    attributes,
    jsonSchema,
  };
}

/**
 * The events of a contract document, checked. `label` (`before`, `after`) starts every error message.
 * Unknown keys (from newer kit versions) are ignored; keys older versions did not write get their
 * meaning of the time.
 */
export function readContractDocument(label: string, value: unknown): readonly DiffEvent[] {
  if (!isObject(value)) fail(label, `is not a contract document: got ${shapeOf(value)}`);
  if (!Array.isArray(value.events)) fail(label, `is not a contract document: "events" must be a list, got ${shapeOf(value.events)}`);
  if (value.version !== undefined && value.version !== 1) {
    throw new TypeError(
      `[conversion-kit] diffContracts: ${label} is a version ${JSON.stringify(value.version)} contract document; ` +
        'this conversion-kit reads version 1. Upgrade conversion-kit to compare it.',
    );
  }
  const events = value.events.map((event, i) => readEvent(`${label}.events[${i}]`, event));
  const seen = new Set<string>();
  for (const event of events) {
    if (seen.has(event.name)) fail(`${label}.events`, `lists "${event.name}" twice`);
    seen.add(event.name);
  }
  return events;
}
