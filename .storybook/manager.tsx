// The manager bundle compiles JSX to React.createElement (classic runtime): React must be in scope.
import React, { useEffect, useState } from 'react';
import { addons, types, useChannel, useStorybookState } from 'storybook/manager-api';
import { AddonPanel } from 'storybook/internal/components';
import { useTheme } from 'storybook/theming';
import { ADDON_ID, EVENTS, PANEL_ID, type PanelPageLoad, type PanelPayload } from './conversions/channel';

const TONE_LABELS = { success: '●', pending: '◐', warning: '▲', error: '✕' } as const;

function PageLoadRecords({ load }: { load: PanelPageLoad }) {
  const theme = useTheme();
  const muted = { color: theme.textMutedColor };
  return (
    <section style={{ marginBottom: 16 }}>
      <h2 style={{ fontSize: 13, margin: '0 0 6px' }}>
        Page load {load.number} <span style={{ ...muted, fontWeight: 400 }}>{load.url}</span>
      </h2>
      {load.decisions.length === 0 ? (
        <p style={{ ...muted, margin: 0 }}>Nothing tracked on this page.</p>
      ) : (
        <ol style={{ listStyle: 'none', margin: 0, padding: 0 }}>
          {load.decisions.map((decision) => (
            <li key={decision.seq} style={{ padding: '6px 0', borderTop: `1px solid ${theme.appBorderColor}` }}>
              <span aria-hidden="true">{TONE_LABELS[decision.tone]} </span>
              <strong>{decision.status}</strong> · <code>{decision.event}</code>
              {decision.summary && <span> · {decision.summary}</span>}
              {[...decision.reasons, ...decision.outcomes.map((outcome) => outcome.text)].map((line, index) => (
                <div key={index} style={{ ...muted, paddingLeft: 16 }}>
                  {line}
                </div>
              ))}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

const SERVER_NOTES: Record<PanelPayload['server']['status'], string> = {
  idle: '',
  checking: 'Waiting for the collector to accept the rest.',
  done: 'The collector accepted every event the browser sent.',
  unreachable: 'No collector answers at /api/collect (a static build has none): unknown.',
};

function ServerRecords({ server }: { server: PanelPayload['server'] }) {
  const theme = useTheme();
  const muted = { color: theme.textMutedColor };
  if (server.events.length === 0) return null;
  return (
    <section style={{ marginBottom: 16 }}>
      <h2 style={{ fontSize: 13, margin: '0 0 6px' }}>
        Server <span style={{ ...muted, fontWeight: 400 }}>the collector at /api/collect · {SERVER_NOTES[server.status]}</span>
      </h2>
      <ol style={{ listStyle: 'none', margin: 0, padding: 0 }}>
        {server.events.map((event) => (
          <li key={event.eventId} style={{ padding: '6px 0', borderTop: `1px solid ${theme.appBorderColor}` }}>
            <span aria-hidden="true">{event.acceptedAt === null ? TONE_LABELS.pending : TONE_LABELS.success} </span>
            <strong>{event.acceptedAt === null ? 'Not accepted yet' : 'Accepted'}</strong> · <code>{event.event}</code>
            {event.summary && <span> · {event.summary}</span>}
            {event.acceptedAt !== null && <span style={muted}> · {new Date(event.acceptedAt).toLocaleTimeString()}</span>}
          </li>
        ))}
      </ol>
    </section>
  );
}

/** State lives here, outside AddonPanel, which freezes its children while the tab is hidden. */
function ConversionsPanel({ active }: { active: boolean }) {
  const { storyId } = useStorybookState();
  const [payload, setPayload] = useState<PanelPayload | null>(null);
  const emit = useChannel({ [EVENTS.RECORDS]: (next: PanelPayload) => setPayload(next) });
  // The story may have rendered before this panel mounted: ask for its records again.
  useEffect(() => emit(EVENTS.REQUEST), [emit, storyId]);
  const current = payload?.storyId === storyId ? payload : null;
  const loads = current?.loads ?? [];
  const total = loads.reduce((sum, load) => sum + load.decisions.length, 0);
  return (
    <AddonPanel active={active}>
      <div style={{ padding: 12, fontSize: 13, lineHeight: 1.5 }}>
        {total === 0 && loads.length <= 1 ? (
          <p style={{ margin: 0 }}>No conversion event yet. Interact with the story: every decision of the tracker shows here.</p>
        ) : (
          <>
            {loads.map((load) => (
              <PageLoadRecords key={load.number} load={load} />
            ))}
            {current && <ServerRecords server={current.server} />}
          </>
        )}
      </div>
    </AddonPanel>
  );
}

// Open on the Conversions tab: it is what QA comes to watch.
addons.setConfig({ selectedPanel: PANEL_ID });

addons.register(ADDON_ID, () => {
  addons.add(PANEL_ID, {
    type: types.PANEL,
    title: 'Conversions',
    match: ({ viewMode }) => viewMode === 'story',
    render: ({ active }) => <ConversionsPanel active={Boolean(active)} />,
  });
});

/**
 * Storybook's UniversalStore followers (`storybook/status`, `storybook/test`, `storybook/test-provider`,
 * `storybook/checklist`) wait a fixed second for the dev server's state, then reject with
 * `UniversalStoreFollowerTimeoutError` (storybook/dist/manager/globals-runtime.js, `prepareThis`), an
 * unhandled rejection the console shows. On a busy 2-core machine the server answers later than
 * that on every full page load, although it is there. So such a rejection is held and the store's
 * leader asked again: when it answers within PROBE_MS, the error was only the slow first answer and
 * a `console.info` says so; when it does not, the error is reported as it was (`console.error`), so
 * a store with no leader still shows. No other rejection is touched.
 */
const PROBE_MS = 15_000;
const FOLLOWER_TIMEOUT = /UniversalStoreFollowerTimeoutError[\s\S]*follower with id: '([^']+)'/;

globalThis.addEventListener('unhandledrejection', (rejection: PromiseRejectionEvent) => {
  const id = FOLLOWER_TIMEOUT.exec(`${(rejection.reason as Error | undefined)?.name}: ${(rejection.reason as Error | undefined)?.message}`)?.[1];
  if (!id) return;
  rejection.preventDefault();
  const channel = addons.getChannel();
  const name = `UNIVERSAL_STORE:${id}`;
  const stop = () => {
    clearTimeout(timer);
    channel.off(name, onEvent);
  };
  const onEvent = ({ event }: { event?: { type?: string } }) => {
    if (event?.type !== '__EXISTING_STATE_RESPONSE') return;
    stop();
    console.info(`[conversion-kit demo] Storybook's "${id}" store answered after its follower's 1 s wait (a slow page load); its UniversalStoreFollowerTimeoutError is not shown.`);
  };
  const timer = setTimeout(() => {
    stop();
    console.error(rejection.reason);
  }, PROBE_MS);
  channel.on(name, onEvent);
  // What a follower sends to get the leader's state (the leader answers any actor but itself).
  channel.emit(name, { event: { type: '__EXISTING_STATE_REQUEST' }, eventInfo: { actor: { id: `conversion-kit-probe:${id}`, type: 'FOLLOWER', environment: 'MANAGER' } } });
});
