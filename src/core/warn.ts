const warned = new Set<string>();

/**
 * Warns once per message with the `[conversion-kit]` prefix. Call it behind
 * `if (typeof process !== 'undefined') { if (process.env.NODE_ENV !== 'production') ... }` so
 * production bundles drop the message too, and a page whose bundler left `process` undefined does
 * not crash. Two nested ifs rather than one `&&`: esbuild (which size-limit measures with) then drops
 * the `typeof process` test as well, where with `&&` it leaves it in every call site.
 */
export function warnOnce(message: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  console.warn(`[conversion-kit] ${message}`);
}
