const warned = new Set<string>();

/**
 * Warns once per message with the `[conversion-kit]` prefix. Call it behind
 * `process.env.NODE_ENV !== 'production'` so production bundles drop the message too.
 */
export function warnOnce(message: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  console.warn(`[conversion-kit] ${message}`);
}
