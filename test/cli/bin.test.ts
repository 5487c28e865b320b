// The real bin, built as the package builds it, run as a child process: the shebang, the ESM
// output, and its imports of the package's public entries through its own `exports`.
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build, type Options } from 'tsup';
import { afterAll, beforeAll, expect, it } from 'vitest';
import config from '../../tsup.config';

const root = join(import.meta.dirname, '../..');
const fixture = (name: string) => join(root, 'test/fixtures/contract-documents', `${name}.json`);
let dir: string;
let bin: string;

beforeAll(async () => {
  // A copy of the package (its package.json and an ESM build), so the repo's dist/ is left alone.
  dir = await mkdtemp(join(tmpdir(), 'conversion-kit-bin-'));
  await cp(join(root, 'package.json'), join(dir, 'package.json'));
  await build({ ...(config as Options), config: false, format: ['esm'], dts: false, sourcemap: false, silent: true, outDir: join(dir, 'dist') });
  const manifest = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { bin: Record<string, string> };
  bin = join(dir, manifest.bin['conversion-kit']!);
}, 60_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Runs the built bin directly (through its shebang, as npx does) and resolves to its exit code and output. */
async function run(...args: string[]) {
  try {
    const { stdout, stderr } = await promisify(execFile)(bin, args, { cwd: root });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
    return { code, stdout, stderr };
  }
}

it('is an executable file starting with a node shebang', async () => {
  expect((await readFile(bin, 'utf8')).split('\n')[0]).toBe('#!/usr/bin/env node');
  expect((await stat(bin)).mode & 0o111).not.toBe(0);
});

it('exits 1 on a breaking change and prints it', async () => {
  const { code, stdout } = await run('contract', 'diff', fixture('before'), fixture('after-breaking'));
  expect(code).toBe(1);
  expect(stdout).toContain('purchase_completed: field "coupon" was removed');
});

it('exits 0 on additive changes, with --json', async () => {
  const { code, stdout } = await run('contract', 'diff', fixture('before'), fixture('after-additive'), '--json');
  expect(code).toBe(0);
  expect(JSON.parse(stdout).additive).toHaveLength(2);
});

it('exits 2 on a missing file, saying which', async () => {
  const { code, stderr } = await run('contract', 'diff', fixture('before'), 'contract.json');
  expect(code).toBe(2);
  expect(stderr).toContain('cannot read contract.json: no such file');
});
