import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { nemesis } from '../src/faults/index.js';
import { StatusError } from '../src/api/errors/status.js';
import { haControlPlaneWorld } from '../src/client/testing.js';
import { isLinearizable, type Operation } from './support/linearizability.js';

const REGISTER = { group: '', version: 'v1', resource: 'configmaps', namespace: 'default', name: 'register' } as const;

/**
 * Jepsen's register test against the reference API server: clients on three
 * workers read and write one ConfigMap through two API servers (each on its
 * own etcd member) while the nemesis partitions and crashes the control
 * plane. The history must be linearizable: every read sees the latest write.
 */
function runRegister(seed: number, plan: Parameters<ReturnType<typeof haControlPlaneWorld>['world']['faults']['schedule']>[0]) {
  const { world, client } = haControlPlaneWorld(seed);
  const setup = client('node-1', 'cp-0', { requestTimeoutMs: 30_000 });
  let created = false;
  setup.request({ ...REGISTER, verb: 'create', name: undefined, body: { metadata: { name: 'register' }, data: { v: '0' } } }, (e) => (created = e === null));
  world.sim.runUntil(() => created, { timeoutMs: 60_000 });
  world.faults.schedule(plan);
  const history: Operation[] = [];
  const start = world.sim.now;
  const clients = [
    client('node-1', 'cp-0', { requestTimeoutMs: 15_000, breakAfterMs: 10_000 }),
    client('node-2', 'cp-1', { requestTimeoutMs: 15_000, breakAfterMs: 10_000 }),
    client('node-3', 'cp-1', { requestTimeoutMs: 15_000, breakAfterMs: 10_000 }),
  ];
  let writes = 0;
  clients.forEach((c, id) => {
    const rng = world.host(`node-${id + 1}`).rng('register-client');
    let remaining = 6;
    const next = (): void => {
      if (remaining-- <= 0) return;
      const invokedAt = world.sim.now;
      const write = rng.chance(0.5);
      const value = write ? `${id}-${++writes}` : '';
      const finish = (error: unknown, read?: string): void => {
        // A refusal from the server had no effect; a timeout or lost connection might have.
        if (error instanceof StatusError && error.code < 500) return void world.sim.schedule(rng.int(0, 2000), next);
        const unknown = error !== null;
        if (!(unknown && !write)) history.push({ client: id, kind: write ? 'write' : 'read', value: write ? value : String(read), invokedAt, completedAt: unknown ? Infinity : world.sim.now });
        world.sim.schedule(rng.int(0, 2000), next);
      };
      if (write) c.request({ ...REGISTER, verb: 'update', body: { metadata: { name: 'register' }, data: { v: value } } }, (e) => finish(e));
      else c.request({ ...REGISTER, verb: 'get' }, (e, body) => finish(e, (body?.['data'] as { v?: string } | undefined)?.v));
    };
    world.sim.at(start + rng.int(0, 500), next);
  });
  world.sim.runUntil(start + 180_000);
  return history;
}

describe('linearizability', () => {
  it('reads and writes of one object through two API servers are linearizable under partitions and crashes', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        nemesis({ hosts: ['cp-0', 'cp-1', 'cp-2'], horizonMs: 20_000, kinds: ['partition', 'partition-one-way', 'crash', 'latency', 'loss'], maxDurationMs: 10_000, maxFaults: 4 }),
        (seed, plan) => {
          const history = runRegister(seed, plan);
          expect(history.filter((o) => o.completedAt !== Infinity).length).toBeGreaterThan(0);
          expect(isLinearizable(history, '0'), JSON.stringify(history)).toBe(true);
        },
      ),
      { numRuns: Number(process.env['LINEARIZABILITY_RUNS'] ?? 20) },
    );
  });
});
