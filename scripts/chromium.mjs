// Debian's chromium, driven by playwright; never a downloaded browser. One place for the path and
// the flags: vitest.config.ts (browser mode), the end-to-end tests and `npm run screenshot` use it.

/** The chromium binary: Debian's, unless `CHROMIUM_PATH` says otherwise. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Headless, no sandbox (CI runs as root), and nothing that reaches beyond 127.0.0.1. */
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
