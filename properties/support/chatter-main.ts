// Runs the chatter workload in its own process and prints its trace hash,
// so a test can compare hashes across processes.
import { readFileSync } from 'node:fs';
import { runChatter } from '../../src/faults/chatter.js';

const [seed, planFile] = process.argv.slice(2);
if (seed === undefined || planFile === undefined) {
  process.stderr.write('usage: chatter-main <seed> <plan.json>\n');
  process.exit(2);
}
const plan = JSON.parse(readFileSync(planFile, 'utf8'));
const result = runChatter(seed, plan);
process.stdout.write(`${result.hash} ${result.events}\n`);
