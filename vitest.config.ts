import { fileURLToPath } from 'node:url';
import { storybookTest } from '@storybook/addon-vitest/vitest-plugin';
import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './scripts/chromium.mjs';

// Kept for tests that still import them from here; new code imports scripts/chromium.mjs.
export { CHROMIUM_ARGS, CHROMIUM_PATH };

const src = (path: string) => fileURLToPath(new URL(`./src/${path}`, import.meta.url));

// Tests import the package by its public names, as users do.
const alias = [
  { find: /^conversion-kit$/, replacement: src('index.ts') },
  { find: /^conversion-kit\/(core|testing|destinations|server)$/, replacement: src('$1/index.ts') },
];


// A new options object per project: vitest rejects one shared between projects.
const browser = () => ({
  enabled: true,
  headless: true,
  provider: playwright({ launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS } }),
  instances: [{ browser: 'chromium' as const }],
});

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: { name: 'core', environment: 'node', include: ['test/core/**/*.test.ts'] },
      },
      {
        resolve: { alias },
        test: {
          name: 'server',
          environment: 'node',
          include: ['test/server/**/*.test.ts', 'test/cli/**/*.test.ts'],
          globalSetup: ['test/setup/redis.ts'],
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'jsdom',
          environment: 'jsdom',
          include: ['test/react/**/*.test.{ts,tsx}', 'test/testing/**/*.test.{ts,tsx}', 'test/destinations/**/*.test.ts'],
          setupFiles: ['test/setup/jsdom.ts'],
        },
      },
      {
        resolve: { alias },
        test: { name: 'e2e', environment: 'node', include: ['test/e2e/**/*.test.ts'], testTimeout: 30_000 },
      },
      {
        resolve: { alias },
        optimizeDeps: { include: ['react', 'react-dom', 'react-dom/client', 'react/jsx-runtime', 'react/jsx-dev-runtime', 'zod'] },
        test: { name: 'browser', include: ['test/browser/**/*.test.{ts,tsx}'], browser: browser() },
      },
      {
        resolve: { alias },
        // Every story's play function, in chromium, with the a11y checks of .storybook/preview.tsx.
        plugins: [storybookTest({ configDir: fileURLToPath(new URL('./.storybook', import.meta.url)) })],
        optimizeDeps: { include: ['react', 'react-dom', 'react-dom/client', 'react/jsx-runtime', 'react/jsx-dev-runtime', 'zod'] },
        test: { name: 'storybook', browser: browser() },
      },
      {
        test: {
          name: 'types',
          include: [],
          typecheck: { enabled: true, only: true, include: ['test/**/*.test-d.{ts,tsx}'], tsconfig: './tsconfig.json' },
        },
      },
    ],
  },
});
