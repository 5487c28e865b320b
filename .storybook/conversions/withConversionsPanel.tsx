import { useEffect, type ReactNode } from 'react';
import type { Decorator } from '@storybook/react-vite';
import { addons } from 'storybook/preview-api';
import { describeDecisions, summarizePayload } from '../../src/core/describe-records';
import { demoOf } from '../../stories/demo/story';
import type { DemoVisit } from '../../stories/demo/visit';
import { EVENTS, type PanelPayload } from './channel';

function payloadOf(storyId: string, visit: DemoVisit): PanelPayload {
  const { status, events } = visit.server();
  return {
    storyId,
    loads: visit.loads().map((page) => ({
      number: page.number,
      url: page.url,
      decisions: describeDecisions(page.tracker.records),
    })),
    server: {
      status,
      events: events.map(({ envelope, accepted }) => ({
        eventId: envelope.eventId,
        event: envelope.event,
        summary: summarizePayload(envelope.payload),
        acceptedAt: accepted?.acceptedAt ?? null,
      })),
    },
  };
}

/**
 * Forwards the story's records, in words, and what the collector accepted to the "Conversions" panel
 * as they happen.
 */
function RecordsBridge({ storyId, visit, children }: { storyId: string; visit: DemoVisit; children: ReactNode }) {
  useEffect(() => {
    const channel = addons.getChannel();
    let scheduled = false;
    // Several records arrive in one tick (a decision and its deliveries): send them once.
    const publish = () => {
      if (scheduled) return;
      scheduled = true;
      queueMicrotask(() => {
        scheduled = false;
        channel.emit(EVENTS.RECORDS, payloadOf(storyId, visit));
      });
    };
    publish();
    channel.on(EVENTS.REQUEST, publish);
    const unsubscribe = visit.subscribe(publish);
    return () => {
      unsubscribe();
      channel.off(EVENTS.REQUEST, publish);
    };
  }, [storyId, visit]);
  return children;
}

export const withConversionsPanel: Decorator = (Story, context) => (
  <RecordsBridge storyId={context.id} visit={demoOf(context).visit}>
    <Story />
  </RecordsBridge>
);
