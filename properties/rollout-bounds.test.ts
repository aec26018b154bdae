import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { deploymentCluster } from '../src/control/deployment/testing.js';
import { NodeLifecycleController } from '../src/control/node-lifecycle/controller.js';
import { TaintEvictionController } from '../src/control/taint-eviction.js';
import { isPodReady } from '../src/control/pod-util.js';
import { nemesis } from '../src/faults/index.js';
import { ImageCatalog } from '../src/workloads/catalog.js';

const ready = (pods: ReturnType<ReturnType<typeof deploymentCluster>['live']['pods']>) => pods.filter((p) => p.metadata?.deletionTimestamp === undefined && isPodReady(p));

/**
 * Rolling updates with random sizes, surge/unavailable and readiness delays:
 * on every simulation event the ReplicaSets never ask for more than
 * replicas + maxSurge pods and ready pods never fall below replicas −
 * maxUnavailable; the rollout finishes with every pod updated and ready.
 */
describe('property: rolling updates keep their bounds and converge (upstream rolling.go)', () => {
  it('holds for random replicas, maxSurge, maxUnavailable and readiness delays', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        (replicas, surge, unavailable0, readySeconds, seed) => {
          const unavailable = surge === 0 && unavailable0 === 0 ? 1 : unavailable0;
          const catalog = new ImageCatalog({ 'shop/web': { ports: [8080], readySeconds, http: { '/ready': { status: 200, readiness: true } } } });
          const c = deploymentCluster(`rollout-${seed}`, { catalog });
          const template = (tag: string) => ({ metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: `shop/web:${tag}`, readinessProbe: { httpGet: { path: '/ready', port: 8080 }, periodSeconds: 2 } }] } });
          c.deploy('web', { replicas, strategy: { rollingUpdate: { maxSurge: surge, maxUnavailable: unavailable } }, template: template('1') });
          c.world.sim.advance(60_000 + readySeconds * 1000);
          expect(ready(c.live.pods('web'))).toHaveLength(replicas);
          c.call({ verb: 'patch', patchType: 'merge', group: 'apps', version: 'v1', resource: 'deployments', namespace: 'default', name: 'web', body: { spec: { template: template('2') } } });
          const maxUnavailable = Math.min(unavailable, replicas);
          let violation: string | undefined;
          const converged = c.world.sim.runUntil(
            () => {
              const wanted = c.live.replicaSets('web').reduce((n, rs) => n + (rs.spec?.replicas ?? 0), 0);
              const up = ready(c.live.pods('web'));
              if (wanted > replicas + surge) violation ??= `ReplicaSets want ${wanted} > ${replicas} + ${surge} at ${c.world.sim.now} ms`;
              if (up.length < replicas - maxUnavailable) violation ??= `${up.length} ready < ${replicas} - ${maxUnavailable} at ${c.world.sim.now} ms`;
              return up.length === replicas && up.every((p) => p.spec?.containers[0]?.image === 'shop/web:2') && c.live.pods('web').length === replicas;
            },
            { timeoutMs: 900_000 },
          );
          expect(violation).toBeUndefined();
          expect(converged).toBe(true);
        },
      ),
      { numRuns: 6, endOnFailure: true },
    );
  }, 300_000);
});

