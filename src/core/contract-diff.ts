import type { ContractDocument } from './contract-document';
import { readContractDocument, type DiffAttribute, type DiffEvent } from './contract-diff-input';
import { describeChange, isWidening } from './contract-diff-words';

/**
 * What changed between two contract documents. Breaking kinds: `event_removed`, `event_renamed`,
 * `field_removed`, `required_field_added`, `field_type_changed`, `field_now_required`,
 * `field_constraints_changed`, `field_schema_changed`, `schema_changed`, `dedupe_changed`,
 * `conversion_changed`, `confirmed_by_changed`. Additive kinds: `event_added`, `field_added`,
 * `field_type_widened`, `field_now_optional`, `field_constraints_relaxed`, `description_changed`.
 */
export type ContractChangeKind =
  | 'event_removed'
  | 'event_renamed'
  | 'event_added'
  | 'field_removed'
  | 'required_field_added'
  | 'field_added'
  | 'field_type_changed'
  | 'field_type_widened'
  | 'field_now_required'
  | 'field_now_optional'
  | 'field_constraints_changed'
  | 'field_constraints_relaxed'
  | 'field_schema_changed'
  | 'schema_changed'
  | 'dedupe_changed'
  | 'conversion_changed'
  | 'confirmed_by_changed'
  | 'description_changed';

/** One change between two contract documents, with a sentence a marketer can act on. */
export interface ContractChange {
  readonly kind: ContractChangeKind;
  /** The event (its new name for `event_renamed`). */
  readonly event: string;
  /** The payload field, for `field_*` changes and field descriptions. */
  readonly field?: string;
  /** The value before: a type, a dedup key, a flag, the old name of a renamed event. */
  readonly before?: string | boolean | null;
  /** The value after. */
  readonly after?: string | boolean | null;
  /** For example `purchase_completed: field "coupon" was removed; GTM triggers or reports reading it get nothing.` */
  readonly message: string;
}

/** The result of {@link diffContracts}: what breaks downstream mappings, and what only adds. */
export interface ContractDiff {
  /** Changes that can break a GTM trigger, a report, an ad-platform conversion or an older page. */
  readonly breaking: readonly ContractChange[];
  /** Changes that break nothing downstream but make the old document out of date. */
  readonly additive: readonly ContractChange[];
}

/** A change before it is worded; `isConversion` only words added and removed events. */
export type ChangeDraft = Omit<ContractChange, 'message'> & { readonly isConversion?: boolean };
type Draft = ChangeDraft;

const BREAKING: ReadonlySet<ContractChangeKind> = new Set<ContractChangeKind>([
  'event_removed', 'event_renamed', 'field_removed', 'required_field_added', 'field_type_changed',
  'field_now_required', 'field_constraints_changed', 'field_schema_changed', 'schema_changed',
  'dedupe_changed', 'conversion_changed', 'confirmed_by_changed',
]);

/** JSON equality of two parsed JSON values, ignoring key order. */
function sameJSON(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const aKeys = Object.keys(a);
  const bRecord = b as Record<string, unknown>;
  if (aKeys.length !== Object.keys(b).length) return false;
  return aKeys.every((key) => key in bRecord && sameJSON((a as Record<string, unknown>)[key], bRecord[key]));
}

/** A schema without the keys the attribute list already compares. */
function withoutKeys(schema: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(schema).filter(([key]) => !keys.includes(key)));
}

function diffField(event: string, before: DiffAttribute, after: DiffAttribute): Draft[] {
  const field = before.name;
  const changes: Draft[] = [];
  if (before.type !== after.type) {
    const kind = isWidening(before.type, after.type) ? 'field_type_widened' : 'field_type_changed';
    changes.push({ kind, event, field, before: before.type, after: after.type });
  }
  if (before.required !== after.required) {
    changes.push({ kind: after.required ? 'field_now_required' : 'field_now_optional', event, field });
  }
  const added = after.constraints.filter((c) => !before.constraints.includes(c));
  const removed = before.constraints.filter((c) => !after.constraints.includes(c));
  // Rules of another type say nothing about this one: the type change covers them.
  if ((added.length || removed.length) && before.type === after.type) {
    // A new or changed rule may refuse what passed before; a dropped default leaves the field empty.
    const tighter = added.length > 0 || removed.some((c) => c.startsWith('default '));
    const kind = tighter ? 'field_constraints_changed' : 'field_constraints_relaxed';
    changes.push({ kind, event, field, before: before.constraints.join(', '), after: after.constraints.join(', ') });
  }
  // What the words above cannot show (fields inside an object or a list): compare the JSON Schema.
  if (!changes.length && before.schema && after.schema && !sameJSON(withoutKeys(before.schema, ['description']), withoutKeys(after.schema, ['description']))) {
    changes.push({ kind: 'field_schema_changed', event, field });
  }
  if (before.description !== after.description) {
    changes.push({ kind: 'description_changed', event, field, before: before.description, after: after.description });
  }
  return changes;
}

function diffEvent(before: DiffEvent, after: DiffEvent): Draft[] {
  const event = after.name;
  const changes: Draft[] = [];
  if (before.conversion !== after.conversion) changes.push({ kind: 'conversion_changed', event, before: before.conversion, after: after.conversion });
  if (before.dedupeBy !== after.dedupeBy) changes.push({ kind: 'dedupe_changed', event, before: before.dedupeBy, after: after.dedupeBy });
  if (before.confirmedBy !== after.confirmedBy) changes.push({ kind: 'confirmed_by_changed', event, before: before.confirmedBy, after: after.confirmedBy });
  const afterFields = new Map(after.attributes.map((a) => [a.name, a]));
  const beforeFields = new Set(before.attributes.map((a) => a.name));
  for (const attribute of before.attributes) {
    const next = afterFields.get(attribute.name);
    if (next) changes.push(...diffField(event, attribute, next));
    else changes.push({ kind: 'field_removed', event, field: attribute.name, before: attribute.type });
  }
  for (const attribute of after.attributes) {
    if (beforeFields.has(attribute.name)) continue;
    changes.push({ kind: attribute.required ? 'required_field_added' : 'field_added', event, field: attribute.name, after: attribute.type });
  }
  // The payload's other rules (extra keys refused, ...), beyond its fields.
  const ignored = ['properties', 'required', 'description', '$schema'];
  if (before.jsonSchema && after.jsonSchema && !sameJSON(withoutKeys(before.jsonSchema, ignored), withoutKeys(after.jsonSchema, ignored))) {
    changes.push({ kind: 'schema_changed', event });
  }
  if (before.description !== after.description) changes.push({ kind: 'description_changed', event, before: before.description, after: after.description });
  return changes;
}

/** The same fields with the same types and requirements: what makes a removed and an added event a likely rename. */
const fieldsKey = (event: DiffEvent) =>
  event.attributes.map((a) => `${a.name}:${a.type}:${a.required}`).sort().join('\n');

/**
 * Compares two contract documents written by `contractToJSON` (for example the one committed on
 * main and the one of a release) and sorts the changes into those that break downstream mappings
 * (GTM triggers and variables, reports, ad-platform conversions, pages still running the previous
 * release) and those that only add. A removed event and an added one with the same fields are
 * reported as a likely rename, which still breaks. Documents of older kit versions are read with
 * the meaning of the time; anything that is not a contract document throws a TypeError naming what
 * is wrong.
 *
 * @example
 * const { breaking, additive } = diffContracts(
 *   JSON.parse(fs.readFileSync('contract.main.json', 'utf8')),
 *   contractToJSON(contract),
 * );
 * for (const change of breaking) console.log(change.message);
 * // purchase_completed: field "coupon" was removed; GTM triggers or reports reading it get nothing.
 */
export function diffContracts(before: ContractDocument, after: ContractDocument): ContractDiff {
  const old = readContractDocument('before', before);
  const next = readContractDocument('after', after);
  const nextByName = new Map(next.map((e) => [e.name, e]));
  const oldNames = new Set(old.map((e) => e.name));
  const added = next.filter((e) => !oldNames.has(e.name));
  const drafts: Draft[] = [];
  for (const event of old) {
    const same = nextByName.get(event.name);
    if (same) {
      drafts.push(...diffEvent(event, same));
      continue;
    }
    const key = fieldsKey(event);
    const renamed = event.attributes.length ? added.find((candidate) => fieldsKey(candidate) === key) : undefined;
    if (renamed) {
      added.splice(added.indexOf(renamed), 1);
      drafts.push({ kind: 'event_renamed', event: renamed.name, before: event.name, after: renamed.name }, ...diffEvent(event, renamed));
    } else {
      drafts.push({ kind: 'event_removed', event: event.name, isConversion: event.conversion });
    }
  }
  for (const event of added) drafts.push({ kind: 'event_added', event: event.name, isConversion: event.conversion });
  const changes = drafts.map(({ isConversion, ...change }): ContractChange => ({
    ...change,
    message: describeChange({ ...change, isConversion }),
  }));
  return {
    breaking: changes.filter((change) => BREAKING.has(change.kind)),
    additive: changes.filter((change) => !BREAKING.has(change.kind)),
  };
}
