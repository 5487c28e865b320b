import type { AnyContract } from '../core/contract';
import { diffContracts, type ContractChange, type ContractDiff } from '../core/contract-diff';
import { contractToJSON, type ContractDocument, type ContractDocumentOptions } from '../core/contract-document';

/** Options of {@link expectContractSnapshot}. */
export interface ContractSnapshotOptions extends ContractDocumentOptions {
  /**
   * The committed snapshot (a `contractToJSON` document), relative to the folder the test runner
   * runs in.
   *
   * @example
   * expectContractSnapshot(contract, { file: 'contract.snapshot.json' });
   */
  file: string;
  /**
   * Write the contract over the snapshot instead of comparing. Default: `true` when the environment
   * variable `CONVERSION_KIT_UPDATE_SNAPSHOT` is `1`.
   *
   * @example
   * expectContractSnapshot(contract, { file: 'contract.snapshot.json', update: true });
   */
  update?: boolean;
  /**
   * Pass when every change is additive (an event or an optional field added). Default `false`: the
   * snapshot is the tracking plan marketing reads, so any change fails until it is updated.
   *
   * @example
   * expectContractSnapshot(contract, { file: 'contract.snapshot.json', allowAdditive: true });
   */
  allowAdditive?: boolean;
}

/**
 * What {@link expectContractSnapshot} did: wrote a missing snapshot (`created`), rewrote it
 * (`updated`), found it matching (`unchanged`), or found only additive changes it was told to allow
 * (`additive`).
 */
export type ContractSnapshotStatus = 'created' | 'updated' | 'unchanged' | 'additive';

interface NodeFiles {
  existsSync(path: string): boolean;
  readFileSync(path: string, encoding: 'utf8'): string;
  writeFileSync(path: string, text: string): void;
  mkdirSync(path: string, options: { recursive: true }): unknown;
}

interface NodeProcess {
  env: Record<string, string | undefined>;
  getBuiltinModule?(id: string): unknown;
}

// Node's file system through process.getBuiltinModule, never an import: bundlers of browser and
// jsdom tests that import conversion-kit/testing must not meet node:fs, and a dynamic import() would
// fail in Jest's CommonJS mode.
function nodeProcess(): NodeProcess & Required<Pick<NodeProcess, 'getBuiltinModule'>> {
  const node = (globalThis as { process?: NodeProcess }).process;
  if (!node?.getBuiltinModule) {
    throw new Error('[conversion-kit] expectContractSnapshot reads and writes a file: run it in Node 20.16 or later (Vitest, Jest), not in a browser.');
  }
  return node as NodeProcess & Required<Pick<NodeProcess, 'getBuiltinModule'>>;
}

const lines = (title: string, changes: readonly ContractChange[]) =>
  changes.length ? [`${title}:`, ...changes.map((change) => `  - ${change.message}`)] : [];

/**
 * Fails a test (throws an Error, in Vitest and Jest alike) when the contract no longer matches its
 * committed snapshot, with the changes in words as the message: breaking ones (a removed field, a
 * changed dedup key) always, additive ones unless `allowAdditive`. Writes the snapshot when it does
 * not exist (except on CI, where a missing snapshot fails), or when `update` or
 * `CONVERSION_KIT_UPDATE_SNAPSHOT=1` asks. Node only: it reads and writes a file.
 *
 * @example
 * import { test } from 'vitest';
 * import { expectContractSnapshot } from 'conversion-kit/testing';
 * import { contract } from './contract';
 *
 * test('the tracking plan has not changed', () => {
 *   expectContractSnapshot(contract, { file: 'contract.snapshot.json' });
 * });
 */
export function expectContractSnapshot(contract: AnyContract, options: ContractSnapshotOptions): ContractSnapshotStatus {
  const node = nodeProcess();
  const fs = node.getBuiltinModule('node:fs') as NodeFiles;
  const { dirname } = node.getBuiltinModule('node:path') as { dirname(path: string): string };
  const { file } = options;
  const current = contractToJSON(contract, options);
  const write = () => {
    fs.mkdirSync(dirname(file), { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(current, null, 2)}\n`);
  };
  const update = options.update ?? node.env.CONVERSION_KIT_UPDATE_SNAPSHOT === '1';
  const exists = fs.existsSync(file);
  if (update) {
    write();
    return exists ? 'updated' : 'created';
  }
  if (!exists) {
    if (node.env.CI && node.env.CI !== 'false') {
      throw new Error(`[conversion-kit] The contract snapshot ${file} does not exist. Run the tests locally to write it, and commit it.`);
    }
    write();
    return 'created';
  }
  const howToUpdate = 'run the tests with CONVERSION_KIT_UPDATE_SNAPSHOT=1 (or pass { update: true }) and commit the file';
  let diff: ContractDiff;
  try {
    diff = diffContracts(JSON.parse(fs.readFileSync(file, 'utf8')) as ContractDocument, current);
  } catch (error) {
    const reason = (error as Error).message.replace(/^\[conversion-kit\] diffContracts: /, '');
    throw new Error(`[conversion-kit] The contract snapshot ${file} cannot be read: ${reason}\nTo write it again, ${howToUpdate}.`);
  }
  const failing = options.allowAdditive ? diff.breaking : [...diff.breaking, ...diff.additive];
  if (!failing.length) return diff.additive.length ? 'additive' : 'unchanged';
  throw new Error(
    [
      `[conversion-kit] The contract no longer matches its snapshot ${file}:`,
      ...lines('Breaking', diff.breaking),
      ...lines(options.allowAdditive ? 'Additive (allowed)' : 'Additive', diff.additive),
      `If this is intended, ${diff.breaking.length ? 'update GTM, reports and ad platforms for the breaking changes, then ' : ''}${howToUpdate}.`,
    ].join('\n'),
  );
}
