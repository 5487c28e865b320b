import type { IncomingMessage, ServerResponse } from 'node:http';

/** See static-server.mjs. */
export declare function serveStatic(
  root: string,
  options?: { routes?: Record<string, (req: IncomingMessage, res: ServerResponse) => unknown> },
): Promise<{ url: string; close: () => Promise<void> }>;
