import { fileURLToPath } from 'node:url';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { StorybookConfig } from '@storybook/react-vite';
import type { Plugin } from 'vite';

const src = (path: string) => fileURLToPath(new URL(`../src/${path}`, import.meta.url));

/** The stories import the kit by its public names, resolved to the sources. */
const alias = [
  { find: /^conversion-kit$/, replacement: src('index.ts') },
  { find: /^conversion-kit\/(core|testing|destinations|server)$/, replacement: src('$1/index.ts') },
];

/**
 * Mounts the demo collector at `/api/collect`, so the stories' beacon posts to a real endpoint.
 * A Vite plugin rather than `.storybook/middleware.js`: Vite's middlewares run in `storybook dev`
 * AND in the Vitest `storybook` project (middleware.js only runs in `storybook dev`). The handler
 * is loaded through Vite, so it can be TypeScript and import 'conversion-kit/server' by its alias.
 */
function demoCollector(): Plugin {
  return {
    name: 'conversion-kit:demo-collector',
    configureServer(server) {
      server.middlewares.use('/api/collect', (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => {
        server
          .ssrLoadModule('/stories/demo/server/collector.ts')
          .then((route) => route.handleCollect(req, res))
          .catch(next);
      });
    },
  };
}

const config: StorybookConfig = {
  framework: { name: '@storybook/react-vite', options: { strictMode: true } },
  stories: ['../stories/**/*.stories.@(ts|tsx)'],
  addons: ['@storybook/addon-vitest', '@storybook/addon-a11y'],
  core: { disableTelemetry: true, disableWhatsNewNotifications: true },
  async viteFinal(viteConfig) {
    const { mergeConfig } = await import('vite');
    return mergeConfig(viteConfig, {
      resolve: { alias },
      plugins: [demoCollector()],
      optimizeDeps: { include: ['react', 'react-dom', 'react-dom/client', 'react/jsx-runtime', 'react/jsx-dev-runtime', 'zod'] },
    });
  },
};
export default config;
