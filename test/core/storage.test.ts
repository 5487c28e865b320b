import { describe, expect, it } from 'vitest';
import { resilientStorage, type KeyValueStorage } from 'conversion-kit/core';

function quotaLimited(maxChars: number): KeyValueStorage & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key) => items.get(key) ?? null,
    setItem(key, value) {
      if (value.length > maxChars) throw new DOMException('quota', 'QuotaExceededError');
      items.set(key, value);
    },
    removeItem: (key) => void items.delete(key),
  };
}

describe('resilientStorage', () => {
  it('passes through to a working storage', () => {
    const backing = quotaLimited(100);
    const storage = resilientStorage(() => backing);
    storage.setItem('a', '1');
    expect(backing.items.get('a')).toBe('1');
    expect(storage.getItem('a')).toBe('1');
  });

  it('keeps a value that exceeds the quota in memory for the page', () => {
    const backing = quotaLimited(5);
    const storage = resilientStorage(() => backing);
    storage.setItem('big', 'x'.repeat(50));
    expect(storage.getItem('big')).toBe('x'.repeat(50));
    expect(backing.items.has('big')).toBe(false);
    storage.setItem('big', 'ok');
    expect(backing.items.get('big')).toBe('ok');
    expect(storage.getItem('big')).toBe('ok');
    storage.removeItem('big');
    expect(storage.getItem('big')).toBeNull();
  });

  it('falls back to memory when reaching the storage throws (Safari private mode, SSR)', () => {
    const storage = resilientStorage(() => {
      throw new DOMException('denied', 'SecurityError');
    });
    expect(storage.getItem('a')).toBeNull();
    storage.setItem('a', '1');
    expect(storage.getItem('a')).toBe('1');
    const missing = resilientStorage(() => undefined);
    missing.setItem('b', '2');
    expect(missing.getItem('b')).toBe('2');
  });
});
