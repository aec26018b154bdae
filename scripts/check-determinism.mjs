#!/usr/bin/env node
// Determinism lint: nothing in the simulation may read wall time, use real
// timers, draw from Math.random or do real I/O. Only the real-time drivers
// (src/cli, src/server, src/backends) may. Run by `npm test`.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const src = join(root, 'src');
const REAL_TIME_DRIVERS = ['cli/', 'server/', 'backends/'];
const FORBIDDEN = [
  [/\bMath\.random\s*\(/, 'Math.random (use a seeded stream: sim.random.stream(name) or host.rng(purpose))'],
  [/\bDate\.now\s*\(/, 'Date.now (use sim.now or host.clock.now())'],
  [/\bnew Date\s*\(\s*\)/, 'new Date() (use sim.now or host.clock.now())'],
  [/\bperformance\.now\s*\(/, 'performance.now'],
  [/\bprocess\.hrtime\b/, 'process.hrtime'],
  [/(?<![.\w])set(Timeout|Interval|Immediate)\s*\(/, 'real timers (use sim.schedule or host.after)'],
  [/from\s+['"](node:)?(fs|fs\/promises|net|http|https|http2|dgram|child_process|worker_threads)['"]/, 'real I/O modules'],
];

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) yield path;
  }
}

const problems = [];
for (const file of files(src)) {
  const rel = relative(src, file);
  if (REAL_TIME_DRIVERS.some((d) => rel.startsWith(d))) continue;
  const lines = readFileSync(file, 'utf8').split('\n');
  lines.forEach((line, i) => {
    const code = line.replace(/\/\/.*$/, '');
    if (/^\s*\*/.test(code)) return; // inside a block comment
    for (const [pattern, what] of FORBIDDEN) {
      if (pattern.test(code)) problems.push(`src/${rel}:${i + 1}: ${what}\n    ${line.trim()}`);
    }
  });
  // The world (sim, faults) must import nothing from the orchestrator above it.
  if (rel.startsWith('sim/') || rel.startsWith('faults/')) {
    lines.forEach((line, i) => {
      const m = line.match(/from\s+['"](\.{1,2}\/[^'"]+)['"]/);
      if (!m) return;
      const target = relative(src, resolve(dirname(file), m[1]));
      if (!target.startsWith('sim/') && !target.startsWith('faults/')) {
        problems.push(`src/${rel}:${i + 1}: the world imports orchestrator code (src/${target})\n    ${line.trim()}`);
      }
    });
  }
}

if (problems.length > 0) {
  console.error(`determinism lint: ${problems.length} problem(s)\n${problems.join('\n')}`);
  process.exit(1);
}
console.log('determinism lint: ok');
