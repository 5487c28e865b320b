import { parseArgs } from 'node:util';
import { diffContracts, type ContractChange, type ContractDiff, type ContractDocument } from 'conversion-kit/core';
import type { CliCommand } from './commands';
import { UsageError, type CliIO } from './io';

const USAGE = `Usage: conversion-kit contract diff <before.json> <after.json> [--json]

Compares two contract documents written by contractToJSON (for example the one of main and the one
of this release) and prints what changed, breaking changes first.
  --json   print the result as JSON: { "breaking": [...], "additive": [...] }
Exit code: 1 when a change breaks downstream mappings (GTM, reports, ad-platform conversions),
0 otherwise, 2 when the files cannot be read or are not contract documents.
`;

function plural(count: number, word: string): string {
  return `${count} ${word} change${count === 1 ? '' : 's'}`;
}

/** The diff as text: a summary line, then the breaking changes, then the additive ones. */
function formatDiff(diff: ContractDiff, before: string, after: string): string {
  if (!diff.breaking.length && !diff.additive.length) return `No changes between ${before} and ${after}.\n`;
  const section = (title: string, changes: readonly ContractChange[]) =>
    changes.length ? ['', `${title}:`, ...changes.map((change) => `  - ${change.message}`)] : [];
  return [
    `${plural(diff.breaking.length, 'breaking')}, ${plural(diff.additive.length, 'additive')} from ${before} to ${after}.`,
    ...section('Breaking (update GTM, reports and ad platforms before or with this release)', diff.breaking),
    ...section('Additive', diff.additive),
    '',
  ].join('\n');
}

async function readDocument(io: CliIO, path: string): Promise<ContractDocument> {
  let text: string;
  try {
    text = await io.readFile(path);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (error as Error).message;
    throw new UsageError(`contract diff: cannot read ${path}: ${why}`);
  }
  try {
    return JSON.parse(text) as ContractDocument;
  } catch (error) {
    throw new UsageError(`contract diff: ${path} is not JSON (${(error as Error).message}); write it with JSON.stringify(contractToJSON(contract))`);
  }
}

async function diff(args: readonly string[], io: CliIO) {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
  });
  if (values.help) {
    io.stdout(USAGE);
    return 0;
  }
  if (positionals.length !== 2) {
    throw new UsageError(`contract diff needs two files, got ${positionals.length}\n\n${USAGE}`);
  }
  const [beforePath, afterPath] = positionals as [string, string];
  const [before, after] = [await readDocument(io, beforePath), await readDocument(io, afterPath)];
  let result: ContractDiff;
  try {
    result = diffContracts(before, after);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    const reason = error.message.replace(/^\[conversion-kit\] diffContracts: /, '');
    throw new UsageError(`contract diff: ${reason} (before is ${beforePath}, after is ${afterPath})`);
  }
  io.stdout(values.json ? `${JSON.stringify(result, null, 2)}\n` : formatDiff(result, beforePath, afterPath));
  return result.breaking.length ? 1 : 0;
}

/** `conversion-kit contract <subcommand>`: `diff` compares two contract documents. */
export const contractCommand: CliCommand = {
  summary: 'diff <before.json> <after.json>: what changed between two contract documents',
  async run(args, io) {
    const [subcommand, ...rest] = args;
    if (subcommand === 'diff') {
      try {
        return await diff(rest, io);
      } catch (error) {
        // parseArgs's errors (an unknown option) are usage errors too.
        const code = (error as { code?: unknown }).code;
        if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) throw new UsageError(`contract diff: ${(error as Error).message}\n\n${USAGE}`);
        throw error;
      }
    }
    if (subcommand === '--help' || subcommand === '-h') {
      io.stdout(USAGE);
      return 0;
    }
    throw new UsageError(`${subcommand === undefined ? 'contract needs a subcommand' : `unknown subcommand "contract ${subcommand}"`}\n\n${USAGE}`);
  },
};
