import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { defineConfig, type Options } from 'tsup';

// One output file per source module, as TanStack Query ships: the modules that hold components and
// hooks start with 'use client' in src/react, and that directive must reach the built file of the
// same module. A bundle would drop it (esbuild keeps directives of entry points only) or spread it to
// the whole entry, and then Next.js server code could not call `defineContract` through
// 'conversion-kit'. So every module is an entry and every relative import stays an import, of the
// built file with its extension (`./core/tracker.js`, or `.cjs` in the CommonJS build).

const SOURCE = 'src';

/** Every .ts/.tsx module under src, as `{ 'react/TrackedForm': 'src/react/TrackedForm.tsx' }`. */
function modules(dir: string): Record<string, string> {
  const entries: Record<string, string> = {};
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) Object.assign(entries, modules(path));
    else if (/\.tsx?$/.test(name) && !name.endsWith('.d.ts')) entries[relative(SOURCE, path).replace(/\.tsx?$/, '')] = path;
  }
  return entries;
}

/**
 * Keeps each relative import external, pointing at the built file: `./x` -> `./x.js` or `./x/index.js`
 * (`.cjs` in the CommonJS build).
 */
const keepModulesSeparate: NonNullable<Options['esbuildPlugins']>[number] = {
  name: 'keep-modules-separate',
  setup(build) {
    const extension = build.initialOptions.format === 'cjs' ? '.cjs' : '.js';
    build.onResolve({ filter: /^\.\.?(\/|$)/ }, ({ path, resolveDir, kind }) => {
      if (kind === 'entry-point') return undefined;
      const target = resolve(resolveDir, path);
      const isFile = ['.ts', '.tsx'].some((ext) => existsSync(target + ext));
      if (!isFile && !existsSync(join(target, 'index.ts'))) {
        return { errors: [{ text: `cannot resolve ${path} from ${resolveDir}` }] };
      }
      return { path: (isFile ? path : `${path.replace(/\/$/, '')}/index`) + extension, external: true };
    });
  },
};

/** The public entries: their declarations are bundled, one .d.ts per entry, as before. */
const publicEntries = {
  index: 'src/index.ts',
  'core/index': 'src/core/index.ts',
  'testing/index': 'src/testing/index.ts',
  'destinations/index': 'src/destinations/index.ts',
  'server/index': 'src/server/index.ts',
};

export default defineConfig({
  entry: modules(SOURCE),
  format: ['esm', 'cjs'],
  bundle: true,
  splitting: false,
  // Rollup's tree shaking would drop the directives; every module is its own file anyway.
  treeshake: false,
  dts: { entry: publicEntries },
  esbuildPlugins: [keepModulesSeparate],
  sourcemap: true,
  clean: true,
  target: 'es2022',
  // src/cli imports the package by its public names, as a user would: the built CLI resolves them
  // through the package's own `exports` (self-reference), so it runs the very files users import.
  external: ['react', 'react-dom', 'zod', /^node:/, /^conversion-kit(\/|$)/],
});
