#!/usr/bin/env node
// Thin launcher: the CLI is bundled into dist/ (shipped built in the npm package; in a checkout,
// `npm run build` or `npm start` builds it).
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('brox: dist/cli.js is missing: in a checkout of brox, run `npm run build` first\n');
  process.exit(1);
}
await import(cli.href);
