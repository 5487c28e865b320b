import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { contractToJSON, defineContract, diffContracts } from 'conversion-kit/core';
import type { CliIO } from '../../src/cli/io';
import { runCli } from '../../src/cli/run';

const fixtures = join(import.meta.dirname, '../fixtures/contract-documents');
const fixture = (name: string) => join(fixtures, `${name}.json`);

/** Runs the CLI in-process on the real file system and returns what it printed. */
async function cli(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    readFile: (path) => readFile(path, 'utf8'),
  };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'conversion-kit-cli-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('conversion-kit contract diff', () => {
  it('exits 1 and prints the breaking change in words', async () => {
    const { code, stdout, stderr } = await cli('contract', 'diff', fixture('before'), fixture('after-breaking'));
    expect(code).toBe(1);
    expect(stderr).toBe('');
    expect(stdout).toContain('1 breaking change, 0 additive changes');
    expect(stdout).toContain('  - purchase_completed: field "coupon" was removed; GTM triggers or reports reading it get nothing.');
  });

  it('exits 0 when every change is additive, and lists them', async () => {
    const { code, stdout } = await cli('contract', 'diff', fixture('before'), fixture('after-additive'));
    expect(code).toBe(0);
    expect(stdout).toContain('0 breaking changes, 2 additive changes');
    expect(stdout).toContain('newsletter_signup was added (a conversion)');
  });

  it('exits 0 and says so when nothing changed', async () => {
    const { code, stdout } = await cli('contract', 'diff', fixture('before'), fixture('before'));
    expect(code).toBe(0);
    expect(stdout).toBe(`No changes between ${fixture('before')} and ${fixture('before')}.\n`);
  });

  it('prints breaking changes before additive ones', async () => {
    const write = async (name: string, events: Parameters<typeof defineContract>[0]) => {
      const path = join(dir, name);
      await writeFile(path, JSON.stringify(contractToJSON(defineContract(events))));
      return path;
    };
    const form = { schema: z.object({ form_id: z.string() }) };
    // The additive change (an added event) comes first in the document, the breaking one last.
    const before = await write('order-before.json', { form_started: form });
    const after = await write('order-after.json', { cta_clicked: { schema: z.object({ cta_id: z.string() }) }, form_started: { ...form, conversion: true } });
    const { code, stdout } = await cli('contract', 'diff', before, after);
    expect(code).toBe(1);
    const breaking = stdout.indexOf('form_started is now a conversion');
    const additive = stdout.indexOf('cta_clicked was added');
    expect(breaking).toBeGreaterThan(-1);
    expect(additive).toBeGreaterThan(breaking);
  });

  it('prints the result as JSON with --json, keeping the exit code', async () => {
    const { code, stdout } = await cli('contract', 'diff', '--json', fixture('before'), fixture('after-breaking'));
    expect(code).toBe(1);
    const read = async (name: string) => JSON.parse(await readFile(fixture(name), 'utf8'));
    expect(JSON.parse(stdout)).toEqual(diffContracts(await read('before'), await read('after-breaking')));
  });

  it('exits 2 naming a missing file', async () => {
    const missing = join(dir, 'contract.main.json');
    const { code, stdout, stderr } = await cli('contract', 'diff', missing, fixture('before'));
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(`cannot read ${missing}: no such file`);
  });

  it('exits 2 naming a file that is not JSON', async () => {
    const path = join(dir, 'broken.json');
    await writeFile(path, '{ "version": 1, ');
    const { code, stderr } = await cli('contract', 'diff', fixture('before'), path);
    expect(code).toBe(2);
    expect(stderr).toContain(`${path} is not JSON`);
  });

  it('exits 2 explaining why a JSON file is not a contract document', async () => {
    const path = join(dir, 'package.json');
    await writeFile(path, JSON.stringify({ name: 'shop', dependencies: {} }));
    const { code, stderr } = await cli('contract', 'diff', path, fixture('before'));
    expect(code).toBe(2);
    expect(stderr).toContain('before is not a contract document: "events" must be a list, got undefined');
    expect(stderr).toContain(`before is ${path}`);
  });

  it.each([
    [['contract', 'diff', fixture('before')], 'contract diff needs two files, got 1'],
    [['contract', 'diff', '--color', fixture('before'), fixture('before')], "Unknown option '--color'"],
    [['contract', 'merge'], 'unknown subcommand "contract merge"'],
    [['contract'], 'contract needs a subcommand'],
    [['deploy'], 'unknown command "deploy"'],
  ])('exits 2 with the usage for %j', async (args, message) => {
    const { code, stdout, stderr } = await cli(...args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(message);
    expect(stderr).toContain('Usage: conversion-kit');
  });

  it('prints its usage with --help and exits 0', async () => {
    const { code, stdout } = await cli('contract', 'diff', '--help');
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: conversion-kit contract diff <before.json> <after.json> [--json]');
  });

  it('lists the commands with --help', async () => {
    const { code, stdout } = await cli('--help');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^ {2}contract {3}diff <before.json> <after.json>/m);
  });
});
