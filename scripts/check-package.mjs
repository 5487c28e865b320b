#!/usr/bin/env node
// Type-checks the package as a user gets it: `npm pack`, unpacked into a consumer's node_modules,
// then, with TypeScript strict and without skipLibCheck:
//   1. every ```ts / ```tsx block of README.md and docs/*.md (one program per Markdown file, so each
//      file may register its own contract), with @types/react 19;
//   2. the consumer fixtures in scripts/consumer (every public component and the server entry) with
//      @types/react 18 and with 19, and no @types/node at all;
//   3. the `conversion-kit` bin, installed from the tarball by npm and run through npx.
// Run after the build (`npm run build` runs it). Usage: node scripts/check-package.mjs
//
// Snippet conventions (docs authors):
// - A first line `// path/name.ts` (or `.tsx`, optionally followed by `: comment`) names the file,
//   so snippets of one Markdown file can import each other (`./tracking`, `@/lib/collector`).
// - Snippets that need a contract, a registered contract or a tracker and define none get the ones in
//   scripts/snippet-fixtures (`./contract`, `./tracker`).
// - `<!-- not-compiled: why -->` on the line before the fence skips a block that is deliberately
//   partial; the reason is required.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { packTarball, root } from './pack.mjs';

const work = join(root, 'node_modules/.cache/conversion-kit-check');
const tsc = join(root, 'node_modules/typescript/bin/tsc');
const types18 = join(root, 'node_modules/@types/react-18');

/**
 * Packs the package and unpacks it to `<work>/node_modules/conversion-kit`, as npm would install it.
 * Returns the tarball's path.
 */
function installPackedPackage() {
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const tarball = packTarball(work);
  const target = join(work, 'node_modules/conversion-kit');
  mkdirSync(target, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', target, '--strip-components=1']);
  // Its own package scope, so nothing here resolves 'conversion-kit' to the repo by self-reference.
  writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'conversion-kit-check', private: true, type: 'module' }));
  return tarball;
}

/**
 * The packed bin as a user runs it: npm installs the tarball (linking `node_modules/.bin`), then
 * `npx conversion-kit contract diff` compares the fixture documents: exit 1 for a breaking pair, 0 for
 * an additive one. Returns the problems.
 */
function checkBin(tarball) {
  const dir = join(work, 'bin-check');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'conversion-kit-bin-check', private: true }));
  execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--loglevel=error', tarball], { cwd: dir });
  const fixture = (name) => join(root, 'test/fixtures/contract-documents', `${name}.json`);
  const problems = [];
  for (const [after, expected] of [['after-breaking', 1], ['after-additive', 0]]) {
    // --no: never download; the bin must come from the installed tarball.
    const args = ['--no', 'conversion-kit', 'contract', 'diff', fixture('before'), fixture(after)];
    const run = spawnSync('npx', args, { cwd: dir, encoding: 'utf8' });
    if (run.status !== expected) {
      problems.push(`npx conversion-kit contract diff before.json ${after}.json exited ${run.status}, expected ${expected}\n${run.stdout}${run.stderr}`);
    }
  }
  return problems;
}

/** The ```ts / ```tsx blocks of a Markdown file, with the line each starts on and any skip reason. */
function codeBlocks(markdown) {
  const lines = markdown.split('\n');
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(ts|tsx|typescript)\s*$/.exec(lines[i]);
    if (!open) continue;
    const start = i;
    const body = [];
    for (i++; i < lines.length && !lines[i].startsWith('```'); i++) body.push(lines[i]);
    const marker = /^<!--\s*not-compiled:(.*)-->\s*$/.exec(lines[start - 1] ?? '');
    if (marker && !marker[1].trim()) throw new Error(`line ${start}: <!-- not-compiled: --> needs a reason`);
    blocks.push({ line: start + 1, lang: open[1] === 'tsx' ? 'tsx' : 'ts', code: body.join('\n'), skip: marker?.[1].trim() });
  }
  return blocks;
}

const strict = {
  target: 'ES2022',
  lib: ['ES2022', 'DOM', 'DOM.Iterable'],
  module: 'ESNext',
  moduleResolution: 'Bundler',
  jsx: 'react-jsx',
  strict: true,
  skipLibCheck: false,
  isolatedModules: true,
  esModuleInterop: true,
  noEmit: true,
};

/** Paths that make `react` resolve to @types/react 18 instead of the repo's 19. */
const react18Paths = {
  react: [join(types18, 'index.d.ts')],
  'react/jsx-runtime': [join(types18, 'jsx-runtime.d.ts')],
  'react/jsx-dev-runtime': [join(types18, 'jsx-dev-runtime.d.ts')],
};

/**
 * Writes the snippets into two programs, each one folder: the README's (it registers its own
 * contract) and docs/'s. Returns the programs.
 */
function writeSnippetProjects() {
  const docs = readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`);
  let skipped = 0;
  const projects = [];
  for (const [name, sources] of [['readme', ['README.md']], ['docs', docs]]) {
    const dir = join(work, 'snippets', name);
    const files = new Map();
    for (const source of sources) {
      const blocks = codeBlocks(readFileSync(join(root, source), 'utf8'));
      skipped += blocks.filter((b) => b.skip).length;
      blocks.filter((b) => !b.skip).forEach((block, n) => {
        const named = /^\/\/ ([\w@./-]+\.tsx?)(?::.*)?$/.exec(block.code.split('\n')[0]);
        const file = named ? named[1] : `${basename(source, '.md')}-${n + 1}-line-${block.line}.${block.lang}`;
        if (files.has(file)) throw new Error(`${source}:${block.line}: another block already names ${file}`);
        // The source line first, so a tsc error in a snippet is easy to find in the Markdown.
        files.set(file, `// ${source}:${block.line}\n${block.code}\n`);
      });
    }
    const count = files.size;
    for (const fixture of ['contract.ts', 'tracker.ts', 'register.ts']) {
      if (files.has(fixture)) continue;
      // One registered contract per program: the fixture's, unless a snippet registers one.
      if (fixture === 'register.ts' && [...files.values()].some((code) => /interface Register\b/.test(code))) continue;
      files.set(fixture, readFileSync(join(root, 'scripts/snippet-fixtures', fixture), 'utf8'));
    }
    for (const [file, code] of files) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), code);
    }
    // skipLibCheck here only: the consumer programs check the package's .d.ts without it.
    // `@/` is the folder root, as in a Next.js app.
    const compilerOptions = { ...strict, skipLibCheck: true, types: ['node'], typeRoots: [join(root, 'node_modules/@types')], paths: { '@/*': ['./*'] } };
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, include: ['**/*'] }, null, 2));
    projects.push({ name: `${sources.length === 1 ? sources[0] : 'docs/*.md'} (${count} blocks)`, dir });
  }
  return { projects, skipped };
}

/** Copies scripts/consumer into one folder per @types/react version, without @types/node. */
function writeConsumerProjects() {
  const projects = [];
  for (const react of ['18', '19']) {
    const dir = join(work, `consumer-react${react}`);
    cpSync(join(root, 'scripts/consumer'), dir, { recursive: true });
    const compilerOptions = {
      ...strict,
      types: [],
      ...(react === '18' ? { paths: react18Paths } : {}),
    };
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, include: ['**/*.ts', '**/*.tsx'] }, null, 2));
    projects.push({ name: `consumer, @types/react ${react}, no @types/node`, dir });
  }
  return projects;
}

/** Runs tsc on a project; resolves to its output, or rejects with it. */
function typeCheck(project) {
  return new Promise((done) => {
    const child = spawn(process.execPath, [tsc, '-p', join(project.dir, 'tsconfig.json'), '--pretty', 'false'], { cwd: project.dir });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (code) => done({ project, ok: code === 0, output }));
  });
}

/**
 * The 'use client' directive must start the built component and hook modules (both formats) and no
 * other file, so Next.js server code can call the root entry's plain functions (`defineContract`).
 */
function checkDirectives() {
  const dist = join(work, 'node_modules/conversion-kit/dist');
  const problems = [];
  const walk = (dir) =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
  const clientModules = ['ConversionProvider', 'ConversionDebugger', 'ConversionOnView', 'TrackedForm', 'TrackedCheckout', 'useTracker', 'useCampaign', 'useConsent', 'useConversion'];
  for (const file of walk(dist).filter((f) => /\.c?js$/.test(f))) {
    const name = file.slice(dist.length + 1);
    // The directive prologue: the string statements before the first other statement.
    const prologue = readFileSync(file, 'utf8').match(/^(?:\s*(?:\/\/[^\n]*\n\s*)*["'][^"']*["'];?)*/)[0];
    const isClient = /["']use client["']/.test(prologue);
    const shouldBe = clientModules.some((m) => name === `react/${m}.js` || name === `react/${m}.cjs`);
    if (isClient !== shouldBe) problems.push(`${name} ${shouldBe ? 'lacks' : 'must not have'} 'use client'`);
  }
  return problems;
}

const started = Date.now();
const tarball = installPackedPackage();
const directiveProblems = checkDirectives();
console.log(directiveProblems.length ? `FAIL 'use client' directives\n${directiveProblems.join('\n')}` : "ok   'use client' on the component and hook modules only");
const binProblems = checkBin(tarball);
console.log(binProblems.length ? `FAIL the packed bin\n${binProblems.join('\n')}` : 'ok   npx conversion-kit contract diff: exit 1 on a breaking pair, 0 on an additive one');
const { projects: snippetProjects, skipped } = writeSnippetProjects();
const projects = [...writeConsumerProjects(), ...snippetProjects];

// Two at a time: the machines have two cores.
const results = [];
const queue = [...projects];
await Promise.all(
  [0, 1].map(async () => {
    for (let project = queue.shift(); project; project = queue.shift()) results.push(await typeCheck(project));
  }),
);

let failed = (directiveProblems.length ? 1 : 0) + (binProblems.length ? 1 : 0);
for (const { project, ok, output } of results) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${project.name}`);
  if (!ok) {
    failed++;
    console.log(output.replaceAll(work + '/', '').trimEnd());
  }
}
console.log(`${results.length + 2 - failed} passed, ${failed} failed (${skipped} partial blocks skipped, ${((Date.now() - started) / 1000).toFixed(1)} s)`);
process.exit(failed ? 1 : 0);
