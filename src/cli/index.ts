#!/usr/bin/env node
// The `conversion-kit` bin: `npx conversion-kit contract diff contract.main.json contract.json`.
import { nodeIO } from './io';
import { runCli } from './run';

void runCli(process.argv.slice(2), nodeIO()).then((code) => {
  // Not process.exit(): it could cut off output still being written to a pipe.
  process.exitCode = code;
});
