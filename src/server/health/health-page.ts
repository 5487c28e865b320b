import type { EventHealth, HealthReport, HealthStatus } from './health-report';
import { escapeHtml, sparkline } from './sparkline';

const LABELS: Record<HealthStatus, string> = {
  recording: 'recording',
  no_recent: 'none recently',
  inactive: 'inactive',
  dropped: 'dropped',
  spiking: 'spiking',
  invalid_rising: 'invalid rising',
  delivery_failing: 'delivery failing',
};

const STYLE = `
:root{color-scheme:light;font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1f2328;background:#f6f7f9}
main{max-width:1120px;margin:0 auto;padding:24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:28px 0 6px}
.meta{color:#59636e;margin:0 0 16px}
.summary{padding:10px 14px;border-radius:8px;font-weight:600;margin:0 0 16px}
.summary[data-state=ok]{background:#dafbe1;color:#116329}.summary[data-state=alert]{background:#ffebe9;color:#a40e26}
table{border-collapse:collapse;width:100%;background:#fff;border:1px solid #d1d9e0;border-radius:8px}
th,td{padding:8px 10px;text-align:left;vertical-align:top;border-top:1px solid #e6eaef}
thead th{border-top:0;font-size:12px;color:#59636e;font-weight:600;background:#f6f8fa;white-space:nowrap}
.n{text-align:right;font-variant-numeric:tabular-nums}.t{white-space:nowrap}
.check td{border-top:0;padding-top:0;color:#3d444d}
.tag{font-size:11px;color:#59636e;border:1px solid #d1d9e0;border-radius:10px;padding:0 6px;margin-left:6px;font-weight:400}
.status{display:inline-block;border-radius:10px;padding:1px 8px;font-size:12px;font-weight:600;white-space:nowrap}
.s-recording{background:#dafbe1;color:#116329}.s-no_recent{background:#ddf4ff;color:#0a3069}.s-inactive{background:#eaeef2;color:#424a53}
.s-dropped,.s-invalid_rising,.s-delivery_failing{background:#ffebe9;color:#a40e26}.s-spiking{background:#fff1c2;color:#7d4e00}
.sparkline polyline{stroke:#0969da;stroke-width:1.6}.sparkline circle{fill:#0969da}.sparkline .rejected{fill:#cf222e;opacity:.75}
.sparkline .release{stroke:#8250df;stroke-width:1.2;stroke-dasharray:3 2}
code{font:12px ui-monospace,SFMono-Regular,Menlo,monospace;background:#eff1f3;border-radius:4px;padding:1px 4px}
ul{margin:4px 0 8px;padding-left:18px}section table{margin-top:10px}
`;

const time = (iso: string | null) => (iso === null ? 'never' : `${iso.slice(0, 16).replace('T', ' ')} UTC`);
const change = (value: number | null) => (value === null ? '–' : `${value > 0 ? '+' : ''}${Math.round(value * 100)}%`);
const share = (value: number | null) => (value === null ? '–' : `${Math.round(value * 100)}%`);

function row(event: EventHealth, releases: HealthReport['releases']): string {
  const e = escapeHtml;
  return (
    `<tr data-event="${e(event.event)}" data-status="${event.status}"><th scope="row"><code>${e(event.event)}</code>${event.conversion ? '<span class="tag">conversion</span>' : ''}</th>` +
    `<td><span class="status s-${event.status}">${LABELS[event.status]}</span></td>` +
    `<td class="n">${event.last24h.unique}</td><td class="n">${event.baseline ? e(String(Math.round(event.baseline.perDay * 10) / 10)) : '–'}</td>` +
    `<td class="n">${change(event.change)}</td><td class="n">${event.last24h.rejected}</td><td class="t">${time(event.lastSeen)}</td><td>${sparkline(event, releases)}</td></tr>` +
    `<tr class="check"><td></td><td colspan="7">${e(event.check)}</td></tr>`
  );
}

function details(event: EventHealth): string {
  const e = escapeHtml;
  if (event.findings.length === 0 && event.releases.length === 0 && event.destinations.length === 0) return '';
  const findings = event.findings.length ? `<ul>${event.findings.map((f) => `<li>${e(f.message)}</li>`).join('')}</ul>` : '';
  const releases = event.releases.length
    ? `<table><thead><tr><th>Release</th><th>First seen</th><th class="n">Reports</th><th class="n">Valid, new</th><th class="n">Rejected</th><th class="n">Duplicates</th><th>Top issue</th></tr></thead><tbody>${event.releases
        .map((r) => `<tr><td>${r.release ? `<code>${e(r.release)}</code>` : 'none'}</td><td class="t">${time(r.firstSeen)}</td><td class="n">${r.counts.received}</td><td class="n">${r.counts.unique}</td><td class="n">${r.counts.rejected}</td><td class="n">${r.counts.duplicate}</td><td>${r.topIssue ? `<code>${e(r.topIssue.message)}</code> (${r.topIssue.count})` : ''}</td></tr>`)
        .join('')}</tbody></table>`
    : '';
  const destinations = event.destinations.length
    ? `<table><thead><tr><th>Destination</th><th class="n">Delivered</th><th class="n">Failed</th><th class="n">Failure rate</th><th class="n">Skipped (consent)</th><th>Last error</th></tr></thead><tbody>${event.destinations
        .map((d) => `<tr><td><code>${e(d.destination)}</code></td><td class="n">${d.delivered}</td><td class="n">${d.failed}</td><td class="n">${share(d.failureRate)}</td><td class="n">${d.skipped}</td><td>${d.lastError ? e(d.lastError) : ''}</td></tr>`)
        .join('')}</tbody></table>`
    : '';
  return `<section aria-labelledby="h-${e(event.event)}"><h2 id="h-${e(event.event)}"><code>${e(event.event)}</code>: last 24 hours</h2>${findings}${releases}${destinations}</section>`;
}

/**
 * The health report as a page: a server-rendered HTML string with inline styles and SVG sparklines,
 * no script. Every value from the report is escaped.
 *
 * @example
 * new Response(renderHealthPage(await collector.health()), { headers: { 'content-type': 'text/html; charset=utf-8' } })
 */
export function renderHealthPage(report: HealthReport): string {
  const alerts = report.events.filter((event) => event.conversion && event.status !== 'recording' && event.status !== 'no_recent');
  const summary = alerts.length === 0 ? 'Every conversion is recording.' : `${alerts.length} conversion${alerts.length > 1 ? 's need' : ' needs'} attention: ${alerts.map((a) => `${a.event} (${LABELS[a.status]})`).join(', ')}.`;
  const releases = report.releases.length ? ` · releases: ${report.releases.map((r) => `${escapeHtml(r.release)} (${time(r.firstSeen)})`).join(', ')}` : '';
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<title>Conversion health</title><style>${STYLE}</style></head><body><main>` +
    `<h1>Conversion health</h1><p class="meta">Generated ${time(report.generatedAt)}: the last 24 hours against the usual day of the week before${releases}</p>` +
    `<p class="summary" role="status" data-state="${report.ok ? 'ok' : 'alert'}">${escapeHtml(summary)}</p>` +
    `<table><thead><tr><th>Event</th><th>Status</th><th class="n">Last 24 h</th><th class="n">Usual day</th><th class="n">Change</th><th class="n">Rejected</th><th>Last seen</th><th>14 days</th></tr></thead>` +
    `<tbody>${report.events.map((event) => row(event, report.releases)).join('')}</tbody></table>` +
    report.events.map(details).join('') +
    `</main></body></html>`
  );
}
