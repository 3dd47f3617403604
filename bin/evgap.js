#!/usr/bin/env node
// The `evgap` command: starts the built CLI (out/main/cli.js), or says how to build it.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = new URL('../out/main/cli.js', import.meta.url);
if (!existsSync(fileURLToPath(cli))) {
  console.error('evgap: the CLI is not built yet; run `npm run build` in the EVGAP Studio folder first');
  process.exit(1);
}
await import(cli.href);
