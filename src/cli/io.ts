import { readFile } from 'node:fs/promises';

/**
 * What a command reads and writes, passed in so tests run commands in-process and read what they
 * printed.
 */
export interface CliIO {
  /** Writes to standard output: the result (text or JSON). */
  stdout(text: string): void;
  /** Writes to standard error: usage and file errors. */
  stderr(text: string): void;
  /** Reads a file as UTF-8 text; rejects as `fs.readFile` does (`code: 'ENOENT'`). */
  readFile(path: string): Promise<string>;
  /** Environment variables (`CONVERSION_KIT_HEALTH_TOKEN` stands for `health --token`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Exit codes shared by every command: `0` nothing to report, `1` a finding that should fail a CI
 * step (a breaking contract change, an unhealthy conversion), `2` the command could not run (usage,
 * unreadable or invalid file).
 */
export type ExitCode = 0 | 1 | 2;

/** Thrown by a command for a usage or file problem: printed with the command's usage, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The real process's streams and file system. */
export function nodeIO(): CliIO {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    readFile: (path) => readFile(path, 'utf8'),
    env: process.env,
  };
}
