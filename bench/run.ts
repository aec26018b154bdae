// `npm run bench` runs every benchmark; `npm run bench -- NAME` runs one.
// Each figure is printed on its own line as `bench <name> <value> <unit>`.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface Benchmark {
  name: string;
  run(): void | Promise<void>;
}

const dir = fileURLToPath(new URL('.', import.meta.url));
const wanted = process.argv.slice(2);
// Benchmarks run compiled (`npm run bench` builds them into .bench/), as users run the package.
const files = readdirSync(dir).filter((f) => f.endsWith('.bench.js') || f.endsWith('.bench.ts')).sort();
const benches: Benchmark[] = [];
for (const file of files) benches.push((await import(new URL(file, import.meta.url).href)) as Benchmark);
const known = benches.map((b) => b.name);
const unknown = wanted.filter((w) => !known.includes(w));
if (unknown.length > 0) {
  process.stderr.write(`bench: unknown benchmark ${unknown.map((u) => JSON.stringify(u)).join(', ')} (known: ${known.join(', ')})\n`);
  process.exit(2);
}
for (const bench of benches) {
  if (wanted.length > 0 && !wanted.includes(bench.name)) continue;
  await bench.run();
}
