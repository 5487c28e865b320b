const warned = new Set<string>();

/**
 * Warns once per message with the `[conversion-kit]` prefix. Call it behind
 * `typeof process !== 'undefined' && process.env.NODE_ENV !== 'production'` so production bundles
 * drop the message too, and a page whose bundler left `process` undefined does not crash.
 */
export function warnOnce(message: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  console.warn(`[conversion-kit] ${message}`);
}
