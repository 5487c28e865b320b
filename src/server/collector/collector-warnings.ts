import type { ClientInfo, ServerDestination } from '../delivery/server-destination';

/** The collector options the configuration checks read. */
interface WarningInputs {
  readonly destinations?: readonly ServerDestination[];
  readonly consent?: unknown;
  readonly clientInfo?: { readonly userAgent?: boolean; readonly ipAddress?: unknown };
}

const READS: Record<keyof ClientInfo, string> = {
  userAgent: "the visitor's user agent",
  ipAddress: "the visitor's IP address",
};

/**
 * What a collector's configuration gets silently wrong, worded with the fix. Empty when nothing is.
 * Checked once, at creation: a setup choice, not a tracking failure, so it goes to `console.warn`
 * (in production too) rather than to `onError`.
 */
export function configurationWarnings(options: WarningInputs): string[] {
  const destinations = options.destinations ?? [];
  const warnings: string[] = [];
  if (destinations.length === 0) {
    warnings.push(
      '[conversion-kit] createCollector: no destinations, so every valid event is answered `accepted` and forwarded nowhere. ' +
        'Pass destinations: [ga4MeasurementProtocol(...), metaConversionsApi(...)] (or httpForward to your own pipeline).',
    );
  }
  const ads = destinations.filter((destination) => destination.consent === 'ads').map((destination) => destination.name);
  if (ads.length > 0 && options.consent === undefined) {
    warnings.push(
      `[conversion-kit] createCollector: no \`consent\` option, so consent is unknown and ads destinations (${ads.join(', ')}) ` +
        'get every event. With a consent banner, pass consent: (request) => ({ ads: ... }) read from your consent cookie; ' +
        "without one, pass consent: () => ({ ads: 'granted', analytics: 'granted' }) to say so and silence this warning.",
    );
  }
  for (const destination of destinations) {
    for (const field of destination.requiresClientInfo ?? []) {
      if (options.clientInfo?.[field] !== undefined) continue;
      warnings.push(
        `[conversion-kit] createCollector: ${destination.name} needs ${READS[field]}, which the collector does not forward. ` +
          (field === 'userAgent'
            ? 'Pass clientInfo: { userAgent: true }, or clientInfo: { userAgent: false } to keep it back and silence this warning.'
            : 'Pass clientInfo: { ipAddress: (request, connection) => ... }.'),
      );
    }
  }
  return warnings;
}
