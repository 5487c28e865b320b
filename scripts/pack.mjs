// `npm pack` of this repository, for the checks that install the package as a user would.
import { execFileSync } from 'node:child_process';
import { renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root folder. */
export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Runs `npm pack` into `destination` (the build must have run) and returns the tarball's path. */
export function packTarball(destination) {
  const output = execFileSync('npm', ['pack', '--silent', '--pack-destination', destination], { cwd: root, encoding: 'utf8' });
  return join(destination, output.trim().split('\n').pop());
}

/**
 * Packs the package into an example app as `conversion-kit.tgz` (its package.json depends on
 * `file:conversion-kit.tgz`) and installs the app's dependencies. Those stay in its node_modules and
 * are reused by the next run; the kit is always the tarball just packed.
 */
export function installExample(example, env = process.env) {
  renameSync(packTarball(example), join(example, 'conversion-kit.tgz'));
  // npm would keep an installed copy of the same version.
  rmSync(join(example, 'node_modules/conversion-kit'), { recursive: true, force: true });
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error'], { cwd: example, env, stdio: 'inherit' });
}
