// `npm pack` of this repository, for the checks that install the package as a user would.
import { execFileSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root folder. */
export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Runs `npm pack` into `destination` (the build must have run) and returns the tarball's path. */
export function packTarball(destination) {
  const output = execFileSync('npm', ['pack', '--silent', '--pack-destination', destination], { cwd: root, encoding: 'utf8' });
  return join(destination, output.trim().split('\n').pop());
}
