#!/usr/bin/env node
// Thin launcher: the CLI is bundled by `npm run build` (run automatically by `npm ci` via "prepare").
import '../dist/cli.js';
