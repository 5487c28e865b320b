// The sentences of contract changes, for marketers, and the one type rule the diff can tell reliably.
import type { ChangeDraft } from './contract-diff';

const quote = (value: unknown) => JSON.stringify(value);

function literal(member: string): unknown {
  try {
    return JSON.parse(member) as unknown;
  } catch {
    return undefined;
  }
}

/** Whether every value of the member type `member` is a value of `wider` (`"a"` of `string`, `integer` of `number`). */
function fits(member: string, wider: string): boolean {
  if (member === wider || wider === 'any') return true;
  if (member === 'integer') return wider === 'number';
  const value = literal(member);
  if (typeof value === 'string') return wider === 'string';
  if (typeof value === 'number') return wider === 'number' || (wider === 'integer' && Number.isInteger(value));
  if (typeof value === 'boolean') return wider === 'boolean';
  return false;
}

/**
 * Whether the type `after` accepts every value of `before` (`"a" | "b"` -> `"a" | "b" | "c"`,
 * `integer` -> `number`, `string` -> `string | null`). Lists and objects are never judged widened:
 * their type words do not say enough, so such changes count as breaking.
 */
export function isWidening(before: string, after: string): boolean {
  if (/\barray of\b|\bobject\b/.test(before + after)) return false;
  const wider = after.split(' | ');
  return before.split(' | ').every((member) => wider.some((candidate) => fits(member, candidate)));
}

const none = (value: unknown) => (value === '' || value === null || value === undefined ? 'none' : String(value));

/** The sentence of one change. */
export function describeChange(change: ChangeDraft): string {
  const { event: e, before, after } = change;
  const f = quote(change.field);
  switch (change.kind) {
    case 'event_removed':
      return change.isConversion
        ? `${e} was removed: it is no longer sent, so the ad-platform conversions, GA4 key events and GTM triggers built on it stop counting.`
        : `${e} was removed: it is no longer sent, so GTM triggers and reports built on it get nothing.`;
    case 'event_renamed':
      return `${String(before)} was renamed to ${String(after)} (likely: same fields); GTM triggers, reports and ad-platform conversions keyed on ${quote(before)} stop counting until they use ${quote(after)}.`;
    case 'event_added':
      return `${e} was added (${change.isConversion ? 'a conversion' : 'a supporting event'}); nothing counts it until GTM, the reports or the ad platforms are set up for it.`;
    case 'field_removed':
      return `${e}: field ${f} was removed; GTM triggers or reports reading it get nothing.`;
    case 'required_field_added':
      return `${e}: new required field ${f} (${String(after)}); pages still running the previous release send ${e} without it, and the collector rejects those reports until the pages reload.`;
    case 'field_added':
      return `${e}: new optional field ${f} (${String(after)}); GTM and reports can read it, though not every ${e} carries it.`;
    case 'field_type_changed':
      return `${e}: field ${f} changed from ${String(before)} to ${String(after)}; GTM variables, filters and reports that expect ${String(before)} may break.`;
    case 'field_type_widened':
      return `${e}: field ${f} now accepts ${String(after)} (was ${String(before)}); every value that fitted before still fits, but lookup tables and filters may need the new values.`;
    case 'field_now_required':
      return `${e}: field ${f} is now required; reports without it (from pages still running the previous release) are rejected.`;
    case 'field_now_optional':
      return `${e}: field ${f} is now optional; GTM variables and reports reading it get nothing when it is left out.`;
    case 'field_constraints_changed':
      return `${e}: the rules of field ${f} changed from ${quote(none(before))} to ${quote(none(after))}; values accepted before may now be rejected, from pages still running the previous release too.`;
    case 'field_constraints_relaxed':
      return `${e}: field ${f} is less strict (rules now ${quote(none(after))}, were ${quote(none(before))}); values refused before are now accepted.`;
    case 'field_schema_changed':
      return `${e}: field ${f} changed inside (nested fields or rules this summary does not put in words); check the GTM variables and reports that read it.`;
    case 'schema_changed':
      return `${e}: the payload's rules changed beyond its fields (for example extra fields now refused); reports from pages still running the previous release may be rejected.`;
    case 'dedupe_changed':
      if (before === null) return `${e} is now deduplicated by ${quote(after)}; repeats of one ${String(after)} count once from now on, so totals may drop.`;
      if (after === null) return `${e} is no longer deduplicated (was by ${quote(before)}); a repeated ${String(before)} counts again, so totals may rise.`;
      return `${e}: the dedup key changed from ${quote(before)} to ${quote(after)}; one occurrence reported before and after the release can count twice, and reports or platforms matching on ${quote(before)} no longer match.`;
    case 'conversion_changed':
      return after
        ? `${e} is now a conversion; ad platforms start receiving it as one, which changes conversion totals and bidding.`
        : `${e} is no longer a conversion; ad platforms stop receiving it as one and their bidding loses the signal.`;
    case 'confirmed_by_changed':
      return after === 'server'
        ? `${e} is now confirmed by the server only; server-side destinations (GA4 Measurement Protocol, Meta Conversions API) get it from the server tracker, no longer from browsers, so it stops there if the backend does not report it.`
        : `${e} is no longer confirmed by the server only; browser reports of it reach server-side destinations again, forged ones included.`;
    case 'description_changed':
      return `${e}: the description${change.field ? ` of field ${f}` : ''} ${after ? `changed to ${quote(after)}` : 'was removed'}.`;
  }
}
