import type { DecisionDescription } from '../../src/core/describe-records';
import type { ServerView } from '../../stories/demo/serverView';

/**
 * What the preview (the story) tells the manager (the "Conversions" panel). Kept free of runtime
 * imports: both bundles load it.
 */
export const ADDON_ID = 'conversion-kit/conversions';
export const PANEL_ID = `${ADDON_ID}/panel`;
export const EVENTS = {
  /** preview -> manager: the records of the story in view. */
  RECORDS: `${ADDON_ID}/records`,
  /** manager -> preview: send the records again (the panel mounted after the story). */
  REQUEST: `${ADDON_ID}/request`,
} as const;

export interface PanelPageLoad {
  number: number;
  url: string;
  decisions: DecisionDescription[];
}

/** One event the story fired, and whether the collector accepted it. */
export interface PanelServerEvent {
  eventId: string;
  event: string;
  summary: string;
  /** When the collector accepted it; `null` while not (yet) accepted. */
  acceptedAt: number | null;
}

export interface PanelPayload {
  storyId: string;
  loads: PanelPageLoad[];
  server: { status: ServerView['status']; events: PanelServerEvent[] };
}
