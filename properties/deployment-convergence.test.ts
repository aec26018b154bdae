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
 * Deployments through random node crashes and partitions (with the node
 * lifecycle and taint eviction controllers): once the faults stop, each
 * converges back to its desired number of ready pods.
 */
describe('property: Deployments converge after random node failures heal', () => {
  it('every Deployment has its replicas ready again after the faults', () => {
    const plans = fc.tuple(
      nemesis({ hosts: ['node-1', 'node-2', 'node-3'], horizonMs: 240_000, kinds: ['crash'], minDurationMs: 10_000, maxDurationMs: 200_000, maxFaults: 3 }),
      nemesis({ hosts: ['cp-0', 'node-1', 'node-2', 'node-3'], horizonMs: 240_000, kinds: ['partition'], minDurationMs: 10_000, maxDurationMs: 120_000, maxFaults: 2 }),
    );
    fc.assert(
      fc.property(plans, fc.integer({ min: 0, max: 1_000_000 }), ([crashes, partitions], seed) => {
        const c = deploymentCluster(`converge-${seed}`);
        new NodeLifecycleController(c.world.host('cp-0'), c.kcm).start();
        new TaintEvictionController(c.world.host('cp-0'), c.kcm).start();
        c.deploy('web', { replicas: 4 });
        c.deploy('api', { replicas: 2, strategy: { type: 'Recreate' } });
        c.world.sim.advance(30_000);
        c.world.faults.schedule([...crashes, ...partitions]);
        c.world.sim.advance(240_000 + 200_000);
        // After the last heal: leases, node status, taints lifted, terminating pods finished, replacements ready — within 10 minutes.
        let converged = false;
        for (let waited = 0; waited <= 600_000 && !converged; waited += 10_000) {
          converged = ready(c.live.pods('web')).length === 4 && ready(c.live.pods('api')).length === 2;
          if (!converged) c.world.sim.advance(10_000);
        }
        expect(converged).toBe(true);
      }),
      { numRuns: 3, endOnFailure: true },
    );
  }, 300_000);
});
