import { readFile, writeFile } from 'node:fs/promises';
import { defineConfig } from 'tsup';

// The React entry must start with 'use client' (Next.js App Router). esbuild drops directives from
// bundled sources, so it is prepended after the build, to the entry files only: core, testing,
// destinations and server stay usable from server code.
const CLIENT_ENTRIES = ['dist/index.js', 'dist/index.cjs'];

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    core: 'src/core/index.ts',
    testing: 'src/testing/index.ts',
    destinations: 'src/destinations/index.ts',
    server: 'src/server/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  splitting: true,
  sourcemap: true,
  treeshake: true,
  clean: true,
  target: 'es2022',
  external: ['react', 'react-dom', 'zod', /^node:/],
  async onSuccess() {
    for (const file of CLIENT_ENTRIES) {
      const code = await readFile(file, 'utf8');
      if (!code.startsWith("'use client'")) await writeFile(file, `'use client';\n${code}`);
    }
  },
});
