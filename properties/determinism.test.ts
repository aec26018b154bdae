import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nemesis } from '../src/faults/index.js';
import { runChatter } from '../src/faults/chatter.js';

const HOSTS = ['host-0', 'host-1', 'host-2', 'host-3'];
const plans = nemesis({ hosts: HOSTS, horizonMs: 60_000, maxFaults: 8, maxDurationMs: 30_000 });

describe('determinism', () => {
  it('the same seed and fault plan give the same trace hash', () => {
    fc.assert(
      fc.property(fc.integer(), plans, (seed, plan) => {
        const a = runChatter(seed, plan);
        const b = runChatter(seed, plan);
        expect(a.events).toBeGreaterThan(500);
        expect(b.hash).toBe(a.hash);
      }),
      { numRuns: 25 },
    );
  });

  it('a different seed gives a different history', () => {
    expect(runChatter(1, []).hash).not.toBe(runChatter(2, []).hash);
  });

  it('a run in a separate process gives the same hash', () => {
    const [plan] = fc.sample(plans.filter((p) => p.length >= 3), { seed: 42, numRuns: 1 });
    const dir = mkdtempSync(join(tmpdir(), 'crucible-det-'));
    const planFile = join(dir, 'plan.json');
    writeFileSync(planFile, JSON.stringify(plan));
    const local = runChatter('replay-me', plan!);
    const out = execFileSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'support/chatter-main.ts'), 'replay-me', planFile], {
      encoding: 'utf8',
    });
    expect(out.trim()).toBe(`${local.hash} ${local.events}`);
  });
});
