import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url));

/**
 * Builds the Storybook into `outputDir` (about 4 s). Resolves when done, rejects with the build's
 * output when it fails.
 *
 * @param {string} outputDir
 * @returns {Promise<void>}
 */
export function buildStorybook(outputDir) {
  return new Promise((done, fail) => {
    const build = spawn(process.execPath, ['node_modules/storybook/dist/bin/dispatcher.js', 'build', '-o', outputDir, '--quiet', '--disable-telemetry'], {
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
