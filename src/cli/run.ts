import { commands } from './commands';
import { UsageError, type CliIO, type ExitCode } from './io';

async function usage(): Promise<string> {
  const lines = await Promise.all(
    Object.entries(commands).map(async ([name, load]) => `  ${name.padEnd(10)} ${(await load()).summary}`),
  );
  return ['Usage: conversion-kit <command> [arguments]', '', 'Commands:', ...lines, '', 'Run `conversion-kit <command> --help` for its arguments.', ''].join('\n');
}

/**
 * Runs the CLI with `args` (`process.argv.slice(2)`) and returns the exit code. Never throws: a usage
 * or file problem, or an unexpected failure, is printed to `io.stderr` and exits 2.
 *
 * @example
 * const code = await runCli(['contract', 'diff', 'contract.main.json', 'contract.json'], nodeIO());
 */
export async function runCli(args: readonly string[], io: CliIO): Promise<ExitCode> {
  const [name, ...rest] = args;
  try {
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      (name ? io.stdout : io.stderr)(await usage());
      return name ? 0 : 2;
    }
    const load = Object.hasOwn(commands, name) ? commands[name] : undefined;
    if (!load) throw new UsageError(`unknown command "${name}"\n\n${await usage()}`);
    return await (await load()).run(rest, io);
  } catch (error) {
    const message = error instanceof UsageError ? error.message : `unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
    io.stderr(`conversion-kit: ${message.trimEnd()}\n`);
    return 2;
  }
}
