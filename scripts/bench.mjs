// Builds bench/<name>.ts with esbuild (sources resolved through tsconfig paths, dependencies left
// external) into node_modules/.cache/conversion-kit-bench/<name>.mjs and runs it with node.
// Usage: node scripts/bench.mjs <name> [--build-only] [node flags...]
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const [name, ...rest] = process.argv.slice(2);
if (!name) throw new Error('usage: node scripts/bench.mjs <name> [--build-only] [node flags...]');
const root = fileURLToPath(new URL('..', import.meta.url));
const outfile = `${root}node_modules/.cache/conversion-kit-bench/${name}.mjs`;
await build({ entryPoints: [`${root}bench/${name}.ts`], bundle: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'warning', outfile });
if (!rest.includes('--build-only')) {
  const { status } = spawnSync(process.execPath, [...rest, outfile], { stdio: 'inherit' });
  process.exit(status ?? 1);
}
