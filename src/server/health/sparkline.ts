import type { EventHealth, HealthReport } from './health-report';

/** Escapes text for HTML content and attribute values. */
export const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const DAY_MS = 24 * 3_600_000;
const WIDTH = 168;
const HEIGHT = 36;
const PAD = 3;

/**
 * An event's 14 days as an inline SVG: its valid reports per day as a line, rejected ones as red
 * bars, and each release first seen in the span as a dashed mark with its name as a tooltip.
 */
export function sparkline(event: EventHealth, releases: HealthReport['releases']): string {
  const days = event.daily;
  if (days.length === 0) return '';
  const start = Date.parse(days[0]!.start);
  const span = days.length * DAY_MS;
  const top = Math.max(1, ...days.map((day) => Math.max(day.unique, day.rejected)));
  const x = (time: number) => PAD + ((time - start) / span) * (WIDTH - 2 * PAD);
  const y = (value: number) => HEIGHT - PAD - (value / top) * (HEIGHT - 2 * PAD);
  const middle = (i: number) => x(start + (i + 0.5) * DAY_MS);
  const points = days.map((day, i) => `${middle(i).toFixed(1)},${y(day.unique).toFixed(1)}`).join(' ');
  const barWidth = ((WIDTH - 2 * PAD) / days.length) * 0.5;
  const bars = days
    .map((day, i) => (day.rejected > 0 ? `<rect class="rejected" x="${(middle(i) - barWidth / 2).toFixed(1)}" y="${y(day.rejected).toFixed(1)}" width="${barWidth.toFixed(1)}" height="${(HEIGHT - PAD - y(day.rejected)).toFixed(1)}"><title>${day.rejected} rejected on ${day.start.slice(0, 10)}</title></rect>` : ''))
    .join('');
  const marks = releases
    .filter((release) => Date.parse(release.firstSeen) >= start && Date.parse(release.firstSeen) < start + span)
    .map((release) => {
      const at = x(Date.parse(release.firstSeen)).toFixed(1);
      return `<line class="release" x1="${at}" x2="${at}" y1="0" y2="${HEIGHT}"><title>release ${escapeHtml(release.release)}, ${release.firstSeen.slice(0, 16).replace('T', ' ')} UTC</title></line>`;
    })
    .join('');
  const marked = releases.filter((release) => Date.parse(release.firstSeen) >= start).map((release) => `release ${release.release} on ${release.firstSeen.slice(0, 10)}`);
  const label = `${event.event}, valid reports a day over 14 days: ${days.map((day) => day.unique).join(', ')}${marked.length ? `; ${marked.join('; ')}` : ''}`;
  return (
    `<svg class="sparkline" role="img" aria-label="${escapeHtml(label)}" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}">` +
    `${bars}${marks}<polyline fill="none" points="${points}"/>` +
    `<circle r="2.5" cx="${middle(days.length - 1).toFixed(1)}" cy="${y(days.at(-1)!.unique).toFixed(1)}"/></svg>`
  );
}
