#!/usr/bin/env node
// The `crucible` command. The TypeScript sources are compiled to dist/ by
// `npm install` (the package's prepare script).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('crucible: dist/ is missing; run `npm install` (or `npm run build`) in the crucible folder first\n');
  process.exit(1);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
