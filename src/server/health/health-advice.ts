import type { DestinationHealth, HealthCounts, HealthFinding, HealthStatus } from './health-report';

// The sentences of the health report: what was seen (a finding's message) and what to check first.

/** What judgeHealth found about one event, for its sentences. */
export interface HealthFacts {
  readonly event: string;
  readonly last: HealthCounts;
  readonly expectedDuplicate: number;
  readonly baseline: { readonly perDay: number; readonly days: number } | null;
  readonly change: number | null;
  readonly lastSeen: number | null;
  readonly topIssue: { readonly message: string; readonly count: number } | null;
  readonly worstDestination: DestinationHealth | undefined;
  /** Volume above the spike threshold (rather than duplicates only). */
  readonly spikes: boolean;
}

const percent = (share: number) => `${Math.round(share * 100)}%`;
const usual = (facts: HealthFacts) => (facts.baseline ? `a usual ${round(facts.baseline.perDay)} a day` : 'no usual day yet');
const round = (value: number) => (Number.isInteger(value) ? String(value) : value.toFixed(1));
const since = (release: string | undefined) => (release ? ` since release ${release}` : '');
const when = (time: number | null) => (time === null ? 'not in the last 14 days' : `last on ${new Date(time).toISOString().slice(0, 16).replace('T', ' ')} UTC`);

/** What was seen for one finding, in a sentence. */
export function findingMessage(finding: HealthFinding, facts: HealthFacts): string {
  const { last } = facts;
  switch (finding.status) {
    case 'inactive':
      return `No ${facts.event} in the last 7 days (${when(facts.lastSeen)}).`;
    case 'no_recent':
      return `No ${facts.event} in the last 24 hours (${when(facts.lastSeen)}); ${usual(facts)}.`;
    case 'invalid_rising':
      return `${percent(last.received > 0 ? last.rejected / last.received : 0)} of ${facts.event} reports rejected in the last 24 hours${since(finding.release)}${facts.topIssue ? `; top issue: ${facts.topIssue.message} (${facts.topIssue.count})` : ''}.`;
    case 'delivery_failing': {
      const d = facts.worstDestination;
      return d ? `${d.destination} failed ${percent(d.failureRate ?? 0)} of ${facts.event} deliveries in the last 24 hours${d.lastError ? `; last error: ${d.lastError}` : ''}.` : '';
    }
    case 'dropped':
      return `${last.unique} ${facts.event} in the last 24 hours against ${usual(facts)} (${percent(facts.change ?? -1)})${since(finding.release)}.`;
    case 'spiking':
      return facts.spikes
        ? `${last.unique} ${facts.event} in the last 24 hours against ${usual(facts)} (+${percent(facts.change ?? 0)})${since(finding.release)}.`
        : `${percent((last.duplicate - facts.expectedDuplicate) / Math.max(1, last.received - last.rejected))} of valid ${facts.event} reports in the last 24 hours were duplicates.`;
    case 'recording':
      return '';
  }
}

/** What to check first, for the event's status. */
export function adviceFor(status: HealthStatus, release: string | undefined, facts: HealthFacts): string {
  const event = facts.event;
  switch (status) {
    case 'recording':
      return `Nothing to check: ${facts.last.unique} in the last 24 hours, ${usual(facts)}.`;
    case 'no_recent':
      return `None in the last 24 hours, which is normal at ${usual(facts)}; if ${event} should come every day, go through the step that fires it once.`;
    case 'inactive':
      return facts.lastSeen === null
        ? `Never seen: check that the page (or server) that should report ${event} calls track('${event}') and that its requests reach this collector.`
        : `None for 7 days: check that the page that fired ${event} still exists and still calls track('${event}') (a removed component, a new route, a consent change).`;
    case 'invalid_rising':
      return `Fix the payload${release ? ` release ${release} sends` : ' the page sends'}${facts.topIssue ? ` for "${facts.topIssue.message}"` : ''}, or change the contract if the new shape is right: rejected ${event} reports are lost conversions.`;
    case 'delivery_failing': {
      const d = facts.worstDestination;
      return `Check ${d?.destination ?? 'the destination'}'s credentials, quota and status${d?.lastError ? ` (last error: ${d.lastError})` : ''}: failed deliveries are retried only when the page or server reports the event again.`;
    }
    case 'dropped':
      return release
        ? `Check what release ${release} changed on the way to ${event} (the success step, the form, the consent banner, the tracker's setup).`
        : `Check the way to ${event}: the success step, the consent rate, the landing pages and campaigns that feed it, and that the collector is reachable.`;
    case 'spiking':
      return facts.spikes
        ? `Check for ${event} firing more than once per success${release ? ` since release ${release}` : ''} (a double mount, a reload of the success page), or for bot or test traffic.`
        : `Check for ${event} reported twice with different event ids (a retry that mints a new id, two trackers on one page); duplicates with the same id are harmless.`;
  }
}
