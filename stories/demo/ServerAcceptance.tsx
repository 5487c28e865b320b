import { useId, useSyncExternalStore } from 'react';
import { summarizePayload } from '../../src/core/describe-records';
import type { ServerView } from './serverView';
import { COLLECT_URL } from './tracker';
import type { DemoVisit } from './visit';

const NOTES: Record<ServerView['status'], string> = {
  idle: `Nothing sent to the server yet. Each event the browser sends shows here, then turns to Accepted once the collector at ${COLLECT_URL} has it.`,
  checking: `Each event this visit fired, on any page load, and whether the collector at ${COLLECT_URL} accepted it.`,
  done: `Each event this visit fired, on any page load, and whether the collector at ${COLLECT_URL} accepted it.`,
  unreachable: `No collector answers at ${COLLECT_URL} (a static Storybook has none): whether the server got these events is unknown.`,
};

const timeOf = (at: number) => new Date(at).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/**
 * The server's side, next to the debugger (the browser's side): each event the visit fired, and
 * whether the collector accepted it. "Delivered to beacon" in the debugger means the browser handed
 * the event over; "Accepted" here means the collector validated it against the contract, deduped it
 * and forwarded it.
 */
export function ServerAcceptance({ visit }: { visit: DemoVisit }) {
  const { status, events } = useSyncExternalStore(visit.subscribe, visit.server, visit.server);
  const headingId = useId();
  return (
    <section className="demo-server" aria-labelledby={headingId} data-state={status}>
      <h2 id={headingId}>Accepted by the server</h2>
      <p className="demo-server-note">{NOTES[status]}</p>
      {events.length > 0 && (
        <ol className="demo-server-list" aria-label="Events at the collector" aria-live="polite">
          {events.map(({ envelope, accepted }) => {
            const summary = summarizePayload(envelope.payload);
            return (
              <li key={envelope.eventId} data-state={accepted ? 'accepted' : 'waiting'}>
                <strong>{accepted ? 'Accepted' : status === 'unreachable' ? 'Unknown' : 'Waiting'}</strong>{' '}
                <code>{envelope.event}</code>
                {summary && <span> · {summary}</span>}
                {accepted && (
                  <>
                    {' '}
                    <time dateTime={new Date(accepted.acceptedAt).toISOString()}>{timeOf(accepted.acceptedAt)}</time>
                  </>
                )}
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
