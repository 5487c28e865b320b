import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Benchmarks of the sources, in jsdom (cookies and document exist as in a browser); run with `npm run bench`.
const root = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  root,
  resolve: { alias: [{ find: /^conversion-kit\/(core|destinations)$/, replacement: `${root}src/$1/index.ts` }] },
  test: { environment: 'jsdom', benchmark: { include: ['bench/**/*.bench.ts'] } },
});
