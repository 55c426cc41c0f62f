#!/usr/bin/env node
// The `gridgov` command: runs the TypeScript CLI through tsx (no build step, same as the server).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLI_NODE_FLAGS } from './cli-node-flags.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const tsx = path.dirname(require.resolve('tsx/package.json'));
const r = spawnSync(
  process.execPath,
  [...CLI_NODE_FLAGS, '--import', path.join(tsx, 'dist/esm/index.mjs'), path.join(here, '../src/cli/main.ts'), ...process.argv.slice(2)],
  {
    stdio: 'inherit',
  },
);
process.exit(r.status ?? 1);
