/**
 * The value of `map[key]` when `key` is the map's own key, else `undefined`: a contract event or a
 * conversion map entry named `constructor` or `__proto__` never resolves to a prototype member.
 */
export function ownEntry<T>(map: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return map && Object.hasOwn(map, key) ? map[key] : undefined;
}
