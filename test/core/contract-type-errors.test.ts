import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// What a user reads in the editor when the contract is wrong: the type error must say what is wrong
// and what is allowed, as the runtime error does (not "is not assignable to type 'never'").
const root = fileURLToPath(new URL('../..', import.meta.url));

function typeErrors(source: string): string[] {
  const file = `${root}test/core/__contract-errors.ts`;
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    skipLibCheck: true,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const read = host.readFile.bind(host);
  host.readFile = (name) => (name === file ? source : read(name));
  const exists = host.fileExists.bind(host);
  host.fileExists = (name) => name === file || exists(name);
  const program = ts.createProgram([file], options, host);
  return ts
    .getPreEmitDiagnostics(program)
    .filter((diagnostic) => diagnostic.file?.fileName === file)
    .map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
}

const header = `import { z } from 'zod';\nimport { defineContract } from '../../src/core/contract';\n`;

describe('contract type errors', () => {
  it('a camelCase event name names the snake_case rule', () => {
    const errors = typeErrors(`${header}defineContract({ purchaseCompleted: { schema: z.object({ order_id: z.string() }) } });`);
    expect(errors.join('\n')).toMatch(/event names are lowercase snake_case, like purchase_completed/);
  }, 60_000);

  it('a dedupeBy that is not a field lists the fields it can be', () => {
    const errors = typeErrors(
      `${header}defineContract({ purchase_completed: { schema: z.object({ order_id: z.string(), value: z.number() }), dedupeBy: 'orderId' } });`,
    );
    const message = errors.join('\n');
    expect(message).toMatch(/"orderId"' is not assignable to type '("order_id" \| "value"|"value" \| "order_id")( \| undefined)?'/);
    expect(message).toMatch(/Did you mean '"order_id"'/);
    expect(errors.join('\n')).not.toMatch(/type 'never'/);
  }, 60_000);
});
