// Runs in the jsdom project, like the users' component tests that import conversion-kit/testing.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { contractToJSON, defineContract } from 'conversion-kit/core';
import { expectContractSnapshot } from 'conversion-kit/testing';

const purchase = {
  schema: z.object({ order_id: z.string(), value: z.number(), coupon: z.string().optional() }),
  dedupeBy: 'order_id' as const,
  conversion: true,
};
const contract = defineContract({ purchase_completed: purchase });

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'conversion-kit-snapshot-'));
  file = join(dir, 'tracking', 'contract.snapshot.json');
  // The helper's defaults read these; each test starts outside CI and without the update switch.
  vi.stubEnv('CI', '');
  vi.stubEnv('CONVERSION_KIT_UPDATE_SNAPSHOT', '');
});
afterEach(() => {
  vi.unstubAllEnvs();
  rmSync(dir, { recursive: true, force: true });
});

describe('expectContractSnapshot', () => {
  it('writes the contract document when the snapshot does not exist', () => {
    expect(expectContractSnapshot(contract, { file })).toBe('created');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(contractToJSON(contract));
  });

  it('passes while the contract matches the snapshot', () => {
    expectContractSnapshot(contract, { file });
    expect(expectContractSnapshot(contract, { file })).toBe('unchanged');
  });

  it('fails on a breaking change with the change in words, leaving the snapshot as it was', () => {
    expectContractSnapshot(contract, { file });
    const written = readFileSync(file, 'utf8');
    const { coupon: _, ...fields } = purchase.schema.shape;
    const changed = defineContract({ purchase_completed: { ...purchase, schema: z.object(fields) } });
    expect(() => expectContractSnapshot(changed, { file })).toThrow(
      [
        `[conversion-kit] The contract no longer matches its snapshot ${file}:`,
        'Breaking:',
        '  - purchase_completed: field "coupon" was removed; GTM triggers or reports reading it get nothing.',
        'If this is intended, update GTM, reports and ad platforms for the breaking changes, then run the tests with CONVERSION_KIT_UPDATE_SNAPSHOT=1 (or pass { update: true }) and commit the file.',
      ].join('\n'),
    );
    expect(readFileSync(file, 'utf8')).toBe(written);
  });

  it('fails on an additive change too, since the snapshot no longer tells the whole plan', () => {
    expectContractSnapshot(contract, { file });
    const grown = defineContract({ purchase_completed: purchase, cta_clicked: { schema: z.object({ cta_id: z.string() }) } });
    expect(() => expectContractSnapshot(grown, { file })).toThrow(/Additive:\n {2}- cta_clicked was added \(a supporting event\)/);
  });

  it('passes on additive changes with allowAdditive, and still fails on breaking ones', () => {
    expectContractSnapshot(contract, { file });
    const grown = defineContract({ purchase_completed: purchase, cta_clicked: { schema: z.object({ cta_id: z.string() }) } });
    expect(expectContractSnapshot(grown, { file, allowAdditive: true })).toBe('additive');
    const notAConversion = defineContract({ purchase_completed: { ...purchase, conversion: false } });
    expect(() => expectContractSnapshot(notAConversion, { file, allowAdditive: true })).toThrow(/purchase_completed is no longer a conversion/);
  });

  it('rewrites the snapshot with update: true', () => {
    expectContractSnapshot(contract, { file });
    const changed = defineContract({ purchase_completed: { ...purchase, dedupeBy: undefined } });
    expect(expectContractSnapshot(changed, { file, update: true })).toBe('updated');
    expect(expectContractSnapshot(changed, { file })).toBe('unchanged');
  });

  it('rewrites the snapshot when CONVERSION_KIT_UPDATE_SNAPSHOT=1', () => {
    expectContractSnapshot(contract, { file });
    const changed = defineContract({ purchase_completed: { ...purchase, dedupeBy: undefined } });
    vi.stubEnv('CONVERSION_KIT_UPDATE_SNAPSHOT', '1');
    expect(expectContractSnapshot(changed, { file })).toBe('updated');
    vi.stubEnv('CONVERSION_KIT_UPDATE_SNAPSHOT', '');
    expect(expectContractSnapshot(changed, { file })).toBe('unchanged');
  });

  it('fails on CI when the snapshot is missing, instead of writing one nobody committed', () => {
    vi.stubEnv('CI', 'true');
    expect(() => expectContractSnapshot(contract, { file })).toThrow(`The contract snapshot ${file} does not exist`);
    expect(existsSync(file)).toBe(false);
  });

  it('fails naming the file when the snapshot is not a contract document', () => {
    writeFileSync(join(dir, 'other.json'), JSON.stringify({ name: 'shop' }));
    expect(() => expectContractSnapshot(contract, { file: join(dir, 'other.json') })).toThrow(
      `The contract snapshot ${join(dir, 'other.json')} cannot be read: before is not a contract document`,
    );
  });
});
