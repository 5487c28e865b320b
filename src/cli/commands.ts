import type { CliIO, ExitCode } from './io';

/** One top-level command of the `conversion-kit` CLI. */
export interface CliCommand {
  /** One line for `conversion-kit --help`. */
  readonly summary: string;
  /** Runs with the arguments after the command's name; throws `UsageError` for bad usage. */
  run(args: readonly string[], io: CliIO): Promise<ExitCode>;
}

/**
 * The commands, by name. Each module is loaded only when its command runs, so a command's
 * dependencies cost nothing to the others. Adding one is one line here (see CONTRIBUTING.md).
 */
export const commands: Readonly<Record<string, () => Promise<CliCommand>>> = {
  contract: () => import('./contract').then((module) => module.contractCommand),
  health: () => import('./health').then((module) => module.healthCommand),
};
