import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { controlPlaneWorld } from '../src/client/testing.js';
import { nemesis } from '../src/faults/index.js';
import { Kubelet } from '../src/kubelet/kubelet.js';
import { ImageCatalog } from '../src/workloads/catalog.js';

/**
 * Kubelets under random faults (partitions, loss, latency, node crashes,
 * clock faults, disk faults): the simulator never throws, and once every
 * fault has healed each pod is running again with its status reported.
 */
describe('property: kubelets survive random faults and converge after heal', () => {
  it('every pod runs and is reported Running after the faults heal', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        nemesis({ hosts: ['cp-0', 'node-1', 'node-2'], horizonMs: 60_000, kinds: ['partition', 'partition-one-way', 'loss', 'latency', 'crash', 'clock-jump', 'clock-skew', 'disk-latency'], maxDurationMs: 30_000, maxFaults: 4 }),
        (seed, plan) => {
          const cp = controlPlaneWorld(`kubelet-faults-${seed}`, ['node-1', 'node-2']);
          const kubelets = ['node-1', 'node-2'].map((n, i) => {
            const k = new Kubelet(cp.world.host(n), cp.client(n, `${n}-token`), { node: { name: n, internalIP: `172.18.0.${i + 2}`, podCIDR: `10.244.${i + 1}.0/24`, capacity: { cpu: '4', memory: '8Gi' } }, catalog: new ImageCatalog() });
            k.start();
            return k;
          });
          const admin = cp.client('cp-0');
          for (let i = 0; i < 6; i++) {
            const body = { metadata: { name: `p${i}`, namespace: 'default' }, spec: { nodeName: `node-${(i % 2) + 1}`, containers: [{ name: 'web', image: 'nginx:1.27', readinessProbe: { httpGet: { path: '/', port: 80 }, periodSeconds: 5 } }] } };
            admin.request({ verb: 'create', group: '', version: 'v1', resource: 'pods', namespace: 'default', body }, () => {});
          }
          cp.world.sim.advance(2_000);
          cp.world.faults.schedule(plan);
          cp.world.sim.advance(60_000 + 30_000);
          // Settle: leases, relists and status pushes after the last heal.
          cp.world.sim.advance(120_000);
          let phases: string[] = [];
          admin.request({ verb: 'list', group: '', version: 'v1', resource: 'pods', namespace: 'default' }, (e, body) => {
            phases = ((body as { items?: Array<{ status?: { phase?: string; conditions?: Array<{ type: string; status: string }> } }> } | undefined)?.items ?? []).map(
              (p) => `${p.status?.phase}/${p.status?.conditions?.find((c) => c.type === 'Ready')?.status}`,
            );
          });
          cp.world.sim.advance(5_000);
          expect(phases).toEqual(Array(6).fill('Running/True'));
          expect(kubelets.every((k) => k.pods.size === 3)).toBe(true);
        },
      ),
      { numRuns: 40 },
    );
  });
});
