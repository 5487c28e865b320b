import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url));

/** The `storybook` command, as its package.json declares it (not a guess at its dist layout). */
function storybookBin() {
  const manifest = createRequire(import.meta.url).resolve('storybook/package.json');
  const { bin } = JSON.parse(readFileSync(manifest, 'utf8'));
  const command = typeof bin === 'string' ? bin : bin?.storybook;
  if (!command) throw new Error(`${manifest} declares no storybook command`);
  return join(dirname(manifest), command);
}

/**
 * Builds the Storybook into `outputDir` (about 4 s). Resolves when done, rejects with the build's
 * output when it fails.
 *
 * @param {string} outputDir
 * @returns {Promise<void>}
 */
export function buildStorybook(outputDir) {
  return new Promise((done, fail) => {
    const build = spawn(process.execPath, [storybookBin(), 'build', '-o', outputDir, '--quiet', '--disable-telemetry'], {
      cwd: repo,
      env: { ...process.env, STORYBOOK_DISABLE_TELEMETRY: '1' },
    });
    let output = '';
    build.stdout.on('data', (chunk) => (output += chunk));
    build.stderr.on('data', (chunk) => (output += chunk));
    build.on('error', fail);
    build.on('close', (code) => (code === 0 ? done() : fail(new Error(`storybook build failed (${code}):\n${output}`))));
  });
}
