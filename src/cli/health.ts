import type { EventHealth, HealthReport } from '../server/index';
import type { CliCommand } from './commands';
import type { CliIO, ExitCode } from './io';

export const HEALTH_USAGE = `Usage: conversion-kit health <collector url> [--token <token>] [--json] [--timeout <ms>]

Fetches the collector's health report (GET <url>/health, with the collector's healthToken) and
prints it as a table. The token may come from CONVERSION_KIT_HEALTH_TOKEN instead of --token.

Exit codes: 0 every conversion is recording (or has none in the last 24 h at low volume),
            1 a conversion is inactive, dropped, spiking, invalid_rising or delivery_failing,
            2 a usage error, or the report could not be fetched.
`;

const OK = new Set(['recording', 'no_recent']);

interface Parsed {
  readonly url: string;
  readonly token: string;
  readonly json: boolean;
  readonly timeoutMs: number;
}

function parse(args: readonly string[], env: CliIO['env']): Parsed | string {
  let url: string | undefined;
  let token = env?.CONVERSION_KIT_HEALTH_TOKEN;
  let json = false;
  let timeoutMs = 10_000;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const value = () => (i + 1 < args.length ? args[++i]! : undefined);
    if (arg === '--token') token = value();
    else if (arg.startsWith('--token=')) token = arg.slice(8);
    else if (arg === '--json') json = true;
    else if (arg === '--timeout') timeoutMs = Number(value());
    else if (arg.startsWith('-')) return `unknown option ${arg}`;
    else if (url === undefined) url = arg;
    else return `one url only, got also ${arg}`;
  }
  if (url === undefined) return 'give the collector url';
  if (!token) return 'give the health token with --token <token> or CONVERSION_KIT_HEALTH_TOKEN';
  if (!(timeoutMs > 0)) return '--timeout must be a positive number of milliseconds';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `not a url: ${url}`;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return `not an http(s) url: ${url}`;
  // The collector's url or its health route: both work.
  if (!parsed.pathname.endsWith('/health')) parsed.pathname = `${parsed.pathname.replace(/\/+$/, '')}/health`;
  return { url: parsed.href, token, json, timeoutMs };
}

const pad = (text: string, width: number) => text + ' '.repeat(Math.max(0, width - text.length));
const change = (value: number | null) => (value === null ? '-' : `${value > 0 ? '+' : ''}${Math.round(value * 100)}%`);

/** The report as a plain-text table, one event a line, then what to check first for those not recording. */
function healthTable(report: HealthReport): string {
  const rows = report.events.map((e: EventHealth) => [
    `${e.event}${e.conversion ? ' *' : ''}`,
    e.status,
    String(e.last24h.unique),
    e.baseline ? String(Math.round(e.baseline.perDay * 10) / 10) : '-',
    change(e.change),
    String(e.last24h.rejected),
    e.lastSeen ? `${e.lastSeen.slice(0, 16).replace('T', ' ')} UTC` : 'never',
  ]);
  const header = ['EVENT', 'STATUS', 'LAST 24H', 'USUAL', 'CHANGE', 'REJECTED', 'LAST SEEN'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: readonly string[]) => cells.map((cell, column) => pad(cell, widths[column]!)).join('  ').trimEnd();
  const checks = report.events.filter((e) => e.status !== 'recording').map((e) => `- ${e.event} (${e.status}): ${e.check}`);
  return [line(header), ...rows.map(line), '', '* conversion', ...(checks.length ? ['', 'Check first:', ...checks] : [])].join('\n') + '\n';
}

/**
 * `conversion-kit health <url> --token <token>`: fetches the collector's health report and prints it
 * as a table (or as JSON with `--json`). Resolves to the exit code: 0 when every conversion is
 * `recording` or `no_recent`, 1 when one is not, 2 on a usage error or when the report could not be
 * fetched. For a cron job, or a CI step after a deploy.
 *
 * @example
 * process.exitCode = await health(process.argv.slice(3), { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t), env: process.env });
 */
export async function health(args: readonly string[], io: CliIO): Promise<ExitCode> {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout(HEALTH_USAGE);
    return 0;
  }
  const options = parse(args, io.env);
  if (typeof options === 'string') {
    io.stderr(`conversion-kit health: ${options}\n\n${HEALTH_USAGE}`);
    return 2;
  }
  let report: HealthReport;
  try {
    const response = await fetch(options.url, {
      headers: { authorization: `Bearer ${options.token}`, accept: 'application/json' },
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    const text = await response.text();
    if (!response.ok) {
      const hint = response.status === 401 ? ' (check the token)' : response.status === 405 ? ' (is healthToken set on the collector?)' : '';
      io.stderr(`conversion-kit health: ${options.url} answered ${response.status}${hint}: ${text.slice(0, 300)}\n`);
      return 2;
    }
    report = JSON.parse(text) as HealthReport;
    if (!Array.isArray(report?.events)) throw new Error('the answer is not a health report');
  } catch (error) {
    const reason = error instanceof Error ? (error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message) : String(error);
    io.stderr(`conversion-kit health: could not read the report from ${options.url}: ${reason}\n`);
    return 2;
  }
  io.stdout(options.json ? `${JSON.stringify(report, null, 2)}\n` : healthTable(report));
  const failing = report.events.filter((e) => e.conversion && !OK.has(e.status));
  if (!options.json) io.stdout(failing.length === 0 ? '\nEvery conversion is recording.\n' : `\n${failing.length} conversion${failing.length > 1 ? 's' : ''} not recording: ${failing.map((e) => `${e.event} (${e.status})`).join(', ')}\n`);
  return failing.length === 0 ? 0 : 1;
}

/** `conversion-kit health`, as the CLI's command table runs it. */
export const healthCommand: CliCommand = {
  summary: '<collector url> --token <t>: the health of every conversion; exit 1 when one broke',
  run: health,
};
