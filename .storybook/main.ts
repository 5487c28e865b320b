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

type Route = 'handleCollect' | 'handleAccepted';

/**
 * Mounts the demo's server side (stories/demo/server/collector.ts): the kit's collector at
 * `/api/collect`, where the stories' beacon posts, and `/api/collect/accepted`, which the demo polls
 * to show what the collector accepted. A Vite plugin rather than `.storybook/middleware.js`: Vite's
 * middlewares run in `storybook dev` AND in the Vitest `storybook` project (middleware.js only runs
 * in `storybook dev`). The module is loaded through Vite, so it can be TypeScript and import
 * 'conversion-kit/server' by its alias; it stays loaded, so the collector's state lives as long as
 * the server.
 */
function demoCollector(): Plugin {
  return {
    name: 'conversion-kit:demo-collector',
    configureServer(server) {
      const mount = (path: string, route: Route) =>
        server.middlewares.use(path, (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => {
          server
            .ssrLoadModule('/stories/demo/server/collector.ts')
            .then((module) => module[route](req, res))
            .catch(next);
        });
      // The longer path first: a middleware mounted at /api/collect also sees /api/collect/accepted.
      mount('/api/collect/accepted', 'handleAccepted');
      mount('/api/collect', 'handleCollect');
    },
  };
}

const config: StorybookConfig = {
  framework: { name: '@storybook/react-vite', options: { strictMode: true } },
  stories: ['../stories/**/*.stories.@(ts|tsx)'],
  addons: ['@storybook/addon-vitest', '@storybook/addon-a11y'],
  core: { disableTelemetry: true, disableWhatsNewNotifications: true },
  // The demo opens on the kit's stories, not on Storybook's own "Get started" checklist.
  features: { sidebarOnboardingChecklist: false },
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
