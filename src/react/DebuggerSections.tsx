import type { CampaignContext } from '../core/campaign';
import type { ConsentState } from '../core/consent';
import {
  describeCampaign,
  describeConsentValue,
  type DecisionDescription,
  type EventCount,
} from '../core/describe-records';
import * as styles from './debuggerStyles';

/** The parts of <ConversionDebugger>'s panel; each renders plain data, none subscribes. */

export function ConsentSection({ consent }: { consent: ConsentState }) {
  return (
    <section style={styles.detailStyle}>
      <h2 style={styles.headingStyle}>Consent</h2>
      <dl style={styles.definitionListStyle}>
        <dt style={styles.termStyle}>Analytics</dt>
        <dd style={styles.detailStyle}>{describeConsentValue(consent.analytics)}</dd>
        <dt style={styles.termStyle}>Ads</dt>
        <dd style={styles.detailStyle}>{describeConsentValue(consent.ads)}</dd>
      </dl>
    </section>
  );
}

export function CampaignSection({ campaign }: { campaign: CampaignContext }) {
  const { first, last } = describeCampaign(campaign);
  return (
    <section style={styles.detailStyle}>
      <h2 style={styles.headingStyle}>Campaign</h2>
      <dl style={styles.definitionListStyle}>
        <dt style={styles.termStyle}>First touch</dt>
        <dd style={styles.detailStyle}>{first}</dd>
        <dt style={styles.termStyle}>Last touch</dt>
        <dd style={styles.detailStyle}>{last}</dd>
      </dl>
    </section>
  );
}

const COLUMNS = [
  ['counted', 'Counted'],
  ['held', 'Held'],
  ['dropped', 'Dropped'],
  ['duplicates', 'Duplicates'],
  ['rejected', 'Rejected'],
] as const;

export function CountsSection({ counts }: { counts: readonly EventCount[] }) {
  // Counted always; the other columns only when some event has one, to fit a narrow panel.
  const columns = COLUMNS.filter(([column], index) => index === 0 || counts.some((count) => count[column] > 0));
  return (
    <section style={styles.detailStyle}>
      <h2 style={styles.headingStyle}>Counts per event</h2>
      {counts.length === 0 ? (
        <p style={styles.mutedStyle}>No event yet.</p>
      ) : (
        <table style={styles.tableStyle}>
          <thead>
            <tr>
              <th scope="col" style={styles.cellStyle}>Event</th>
              {columns.map(([, label]) => (
                <th key={label} scope="col" style={styles.numberCellStyle}>{label}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {counts.map((count) => (
              <tr key={count.event}>
                <th scope="row" style={{ ...styles.cellStyle, fontWeight: 600 }}>{count.event}</th>
                {columns.map(([column]) => (
                  <td key={column} style={styles.numberCellStyle}>{count[column]}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function timeOf(at: number): string {
  return new Date(at).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

function DecisionItem({ decision }: { decision: DecisionDescription }) {
  return (
    <li style={styles.itemStyle} data-tone={decision.tone}>
      <span style={styles.badgeStyle(decision.tone)}>{decision.status}</span>{' '}
      <span style={styles.eventNameStyle}>{decision.event}</span>
      {decision.summary && <span style={styles.detailStyle}> · {decision.summary}</span>}{' '}
      <time dateTime={new Date(decision.at).toISOString()} style={styles.mutedStyle}>
        {timeOf(decision.at)}
      </time>
      {decision.reasons.length > 0 && (
        <ul style={styles.subListStyle} aria-label="Why">
          {decision.reasons.map((reason, index) => (
            <li key={index} style={styles.subItemStyle}>{reason}</li>
          ))}
        </ul>
      )}
      {decision.outcomes.length > 0 && (
        <ul style={styles.subListStyle} aria-label="Destinations">
          {decision.outcomes.map((outcome) => (
            <li key={outcome.seq} style={{ ...styles.subItemStyle, ...styles.toneTextStyle(outcome.tone) }} data-tone={outcome.tone}>
              {outcome.text}
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

export function DecisionsSection({
  decisions,
  placement,
}: {
  decisions: readonly DecisionDescription[];
  placement: 'overlay' | 'inline';
}) {
  return (
    <section style={styles.detailStyle}>
      <h2 style={styles.headingStyle}>Decisions</h2>
      {/* Scrollable, so it must be reachable by keyboard; role=log announces new decisions politely. */}
      <div role="log" aria-label="Decisions" tabIndex={0} style={styles.logStyle(placement)}>
        {decisions.length === 0 ? (
          <p style={styles.mutedStyle}>Nothing tracked yet. Every decision appears here as it happens.</p>
        ) : (
          <ol style={styles.listStyle}>
            {decisions.map((decision) => (
              <DecisionItem key={decision.seq} decision={decision} />
            ))}
          </ol>
        )}
      </div>
    </section>
  );
}
