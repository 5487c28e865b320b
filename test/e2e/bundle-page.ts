import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const file = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * Bundles a page script of test/e2e/page from the sources with Vite, as an app would ship it: one
 * minified IIFE exposing `name`, with `conversion-kit/core` and `/destinations` resolved to src.
 */
export async function bundlePage(entry: string, name: string): Promise<string> {
  const result = await build({
    configFile: false,
    logLevel: 'silent',
    resolve: { alias: [{ find: /^conversion-kit\/(core|destinations)$/, replacement: file('../../src/$1/index.ts') }] },
    build: { write: false, minify: true, lib: { entry: file(`./page/${entry}`), formats: ['iife'], name } },
  });
  const output = Array.isArray(result) ? result[0]! : result;
  if (!('output' in output)) throw new Error('vite did not return a bundle');
  return output.output[0].code;
}
