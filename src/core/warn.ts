const warned = new Set<string>();

/** Warns once per message, in development only, with the `[conversion-kit]` prefix. */
export function warnOnce(message: string): void {
  if (typeof process !== 'undefined' && process.env?.NODE_ENV === 'production') return;
  if (warned.has(message)) return;
  warned.add(message);
  console.warn(`[conversion-kit] ${message}`);
}
