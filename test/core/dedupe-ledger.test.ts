import { afterEach, describe, expect, it, vi } from 'vitest';
import { storageDedupeLedger, LEDGER_KEY } from '../../src/core/dedupe-ledger';
import { memoryStorage } from 'conversion-kit/core';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const WINDOW = 48 * HOUR;
const T = Date.UTC(2026, 11, 4, 12);

afterEach(() => vi.useRealTimers());

/** Sets the page clock, as a visitor or a VM resetting it would. */
const clockAt = (time: number) => vi.useFakeTimers({ now: time, toFake: ['Date'] });

describe('storageDedupeLedger', () => {
  it('answers true for the first claim of a key in the window and false after', () => {
    clockAt(T);
    const ledger = storageDedupeLedger(memoryStorage());
    expect(ledger.claim('purchase_completed:A-1', WINDOW)).toBe(true);
    expect(ledger.claim('purchase_completed:A-1', WINDOW)).toBe(false);
    expect(ledger.claim('purchase_completed:A-2', WINDOW)).toBe(true);
    clockAt(T + WINDOW - 1);
    expect(ledger.claim('purchase_completed:A-1', WINDOW)).toBe(false);
    clockAt(T + WINDOW);
    expect(ledger.claim('purchase_completed:A-1', WINDOW)).toBe(true);
  });

  it('sees the claims of another ledger on the same storage (another tab)', () => {
    clockAt(T);
    const storage = memoryStorage();
    const first = storageDedupeLedger(storage);
    const second = storageDedupeLedger(storage);
    expect(first.claim('k1', WINDOW)).toBe(true);
    expect(second.claim('k1', WINDOW)).toBe(false);
    expect(second.claim('k2', WINDOW)).toBe(true);
    expect(first.claim('k2', WINDOW)).toBe(false);
    expect(storageDedupeLedger(storage).claim('k1', WINDOW)).toBe(false);
  });

  it('writes storage once per task, however many claims the task makes, and stores them all', async () => {
    clockAt(T);
    const backing = memoryStorage();
    const writes: string[] = [];
    const storage = { ...backing, setItem: (key: string, value: string) => (writes.push(key), backing.setItem(key, value)) };
    const ledger = storageDedupeLedger(storage);
    for (let i = 0; i < 300; i++) expect(ledger.claim(`order:${i}`, WINDOW)).toBe(true);
    expect(ledger.claim('order:7', WINDOW)).toBe(false);
    await Promise.resolve();
    // Into empty storage the first claim goes at once (a reset to nothing must show), the rest at the end.
    expect(writes).toHaveLength(2);
    // With claims stored, a task's claims cost one write (each copies the whole ledger).
    for (let i = 300; i < 600; i++) expect(ledger.claim(`order:${i}`, WINDOW)).toBe(true);
    await Promise.resolve();
    expect(writes).toHaveLength(3);
    // A reload (a new ledger on what is stored) finds every claim.
    const reloaded = storageDedupeLedger(backing);
    for (let i = 0; i < 600; i++) expect(reloaded.claim(`order:${i}`, WINDOW)).toBe(false);
  });

  it("sees another ledger's claims of the same task on the same storage (two trackers on one page)", () => {
    clockAt(T);
    const storage = memoryStorage();
    const first = storageDedupeLedger(storage);
    const second = storageDedupeLedger(storage);
    expect(first.claim('k1', WINDOW)).toBe(true);
    expect(first.claim('k2', WINDOW)).toBe(true); // not written yet: due at the end of the task
    expect(second.claim('k2', WINDOW)).toBe(false);
    expect(second.claim('k3', WINDOW)).toBe(true);
    expect(second.claim('k4', WINDOW)).toBe(true);
    expect(first.claim('k4', WINDOW)).toBe(false);
  });

  it('keeps every claim of two copies of the module that claim in one task (a widget bundling its own copy, ESM beside CJS)', async () => {
    clockAt(T);
    const storage = memoryStorage();
    const shop = storageDedupeLedger(storage);
    vi.resetModules();
    const { storageDedupeLedger: widgetCopy } = await import('../../src/core/dedupe-ledger');
    expect(widgetCopy).not.toBe(storageDedupeLedger);
    const widget = widgetCopy(storage);
    expect(shop.claim('seed', WINDOW)).toBe(true);
    await Promise.resolve();
    expect(shop.claim('order:A', WINDOW)).toBe(true);
    expect(widget.claim('giftcard:X', WINDOW)).toBe(true);
    expect(widget.claim('order:A', WINDOW)).toBe(false);
    expect(shop.claim('order:B', WINDOW)).toBe(true);
    await Promise.resolve();
    const reloaded = storageDedupeLedger(storage);
    for (const key of ['seed', 'order:A', 'giftcard:X', 'order:B']) expect(reloaded.claim(key, WINDOW)).toBe(false);
  });

  it('keeps a removal made in the same task as claims (a test reset): the claims due go with it', async () => {
    clockAt(T);
    const storage = memoryStorage();
    const ledger = storageDedupeLedger(storage);
    ledger.claim('k1', WINDOW);
    ledger.claim('k2', WINDOW);
    storage.removeItem(LEDGER_KEY);
    await Promise.resolve();
    expect(storage.getItem(LEDGER_KEY)).toBeNull();
    expect(ledger.claim('k2', WINDOW)).toBe(true);
    expect(ledger.claim('k1', WINDOW)).toBe(true);
  });

  it('persists under the key it is given, so two namespaces never block each other', () => {
    clockAt(T);
    const storage = memoryStorage();
    expect(storageDedupeLedger(storage).claim('k', WINDOW)).toBe(true);
    expect(storageDedupeLedger(storage, `${LEDGER_KEY}:shop-b`).claim('k', WINDOW)).toBe(true);
    expect(storageDedupeLedger(storage, `${LEDGER_KEY}:shop-b`).claim('k', WINDOW)).toBe(false);
    expect(storage.getItem(`${LEDGER_KEY}:shop-b`)).not.toBeNull();
  });

  it('starts afresh when the stored ledger is removed in the task of its first claim (createTestTracker reset)', () => {
    clockAt(T);
    const storage = memoryStorage();
    const ledger = storageDedupeLedger(storage);
    ledger.claim('k', WINDOW);
    storage.removeItem(LEDGER_KEY);
    expect(ledger.claim('k', WINDOW)).toBe(true);
  });

  it('treats a key claimed before the clock moved back as claimed', () => {
    clockAt(T);
    const ledger = storageDedupeLedger(memoryStorage());
    ledger.claim('order:A-1', WINDOW);
    clockAt(T - 365 * DAY);
    expect(ledger.claim('order:A-1', WINDOW)).toBe(false);
  });

  it('never counts an order twice when it was claimed while the clock was set back, after the clock is corrected', () => {
    clockAt(T);
    const storage = memoryStorage();
    storageDedupeLedger(storage).claim('order:A-1', WINDOW);
    clockAt(T + HOUR - 30 * DAY); // the visitor sets the clock back a month
    expect(storageDedupeLedger(storage).claim('order:A-2', WINDOW)).toBe(true);
    clockAt(T + 2 * HOUR); // and corrects it: A-2 was really bought an hour ago
    expect(storageDedupeLedger(storage).claim('order:A-2', WINDOW)).toBe(false);
  });

  it('keeps earlier claims through a clock that jumps ahead for a while', () => {
    clockAt(T);
    const storage = memoryStorage();
    storageDedupeLedger(storage).claim('order:A-1', WINDOW);
    clockAt(T + 365 * DAY); // a wrong clock for a moment: another order is claimed meanwhile
    storageDedupeLedger(storage).claim('order:A-2', WINDOW);
    clockAt(T + HOUR); // corrected: A-1 was bought an hour ago
    expect(storageDedupeLedger(storage).claim('order:A-1', WINDOW)).toBe(false);
  });

  it('keeps the 500 most recent claims and forgets older ones', () => {
    clockAt(T);
    const storage = memoryStorage();
    const ledger = storageDedupeLedger(storage);
    for (let i = 0; i < 2000; i++) ledger.claim(`k${i}`, WINDOW);
    const reader = storageDedupeLedger(storage);
    for (let i = 1500; i < 2000; i++) expect(reader.claim(`k${i}`, WINDOW)).toBe(false);
    expect(reader.claim('k0', WINDOW)).toBe(true);
    expect(storage.getItem(LEDGER_KEY)!.length).toBeLessThan(60_000);
  });

  it('reads a corrupted or foreign value as empty and replaces it', () => {
    clockAt(T);
    for (const junk of ['x', '[', 'x,["k",1,2]', '{not json', '[1,2', 'null', '42', '"text"', '{"k":"soon"}', '\n\n["k"]\n[1,2,3]\n']) {
      const storage = memoryStorage();
      storage.setItem(LEDGER_KEY, junk);
      const ledger = storageDedupeLedger(storage);
      expect(ledger.claim('k', WINDOW)).toBe(true);
      expect(storageDedupeLedger(storage).claim('k', WINDOW)).toBe(false);
    }
  });

  it('rewrites valid text from entries whose times are not finite numbers (storage is user-writable)', () => {
    clockAt(T);
    // (1e999 parses as Infinity, which JSON cannot write.)
    for (const stored of [',["j","x",{}]', ',["j"]', ',[7,null,true]', ',["j",1,1e999]', '{"j":"later","i":{}}']) {
      const storage = memoryStorage();
      storage.setItem(LEDGER_KEY, stored);
      const ledger = storageDedupeLedger(storage);
      // Past 750 keys the ledger is rewritten from what it holds, these entries included.
      for (let i = 0; i < 760; i++) expect(ledger.claim(`k${i}`, WINDOW)).toBe(true);
      const reloaded = storageDedupeLedger(storage);
      for (let i = 260; i < 760; i++) expect(reloaded.claim(`k${i}`, WINDOW)).toBe(false);
    }
  });

  it('keeps a key claimed with an Infinity window claimed after a reload (JSON stores Infinity as null)', async () => {
    clockAt(T);
    const storage = memoryStorage();
    expect(storageDedupeLedger(storage).claim('order:forever', Infinity)).toBe(true);
    await Promise.resolve();
    clockAt(T + 365 * DAY);
    expect(storageDedupeLedger(storage).claim('order:forever', Infinity)).toBe(false);
    // The same from a ledger stored by the previous version ({ key: expiresAt }).
    storage.setItem(LEDGER_KEY, JSON.stringify({ 'order:0.1.0': Infinity }));
    expect(storageDedupeLedger(storage).claim('order:0.1.0', Infinity)).toBe(false);
  });

  it('keeps the live keys of a ledger stored by the previous version ({ key: expiresAt })', () => {
    clockAt(T);
    const storage = memoryStorage();
    storage.setItem(LEDGER_KEY, JSON.stringify({ 'order:old': T + HOUR, 'order:gone': T - 1 }));
    const ledger = storageDedupeLedger(storage);
    expect(ledger.claim('order:old', WINDOW)).toBe(false);
    expect(ledger.claim('order:gone', WINDOW)).toBe(true);
    expect(storageDedupeLedger(storage).claim('order:old', WINDOW)).toBe(false);
  });

  it('keeps keys such as __proto__ and constructor as plain keys', () => {
    clockAt(T);
    const storage = memoryStorage();
    const ledger = storageDedupeLedger(storage);
    for (const key of ['__proto__', 'constructor', 'toString', 'a\nb', '"']) {
      expect(ledger.claim(key, WINDOW)).toBe(true);
      expect(storageDedupeLedger(storage).claim(key, WINDOW)).toBe(false);
    }
  });
});
