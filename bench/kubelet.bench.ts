// Kubelets at scale: nodes × pods with probes every 10 s through one simulated hour.
// CRUCIBLE_BENCH_NODES (default 100) and CRUCIBLE_BENCH_PODS_PER_NODE (default 30) size the run.
import { identities } from '../src/api/auth/index.js';
import { ApiClient } from '../src/client/index.js';
import { Kubelet } from '../src/kubelet/kubelet.js';
import { ImageCatalog } from '../src/workloads/catalog.js';
import { benchControlPlane } from './control-plane.js';
import { figure, timeMs } from './report.js';

export const name = 'kubelet';

export function run(): void {
  const nodes = Number(process.env['CRUCIBLE_BENCH_NODES'] ?? 100);
  const perNode = Number(process.env['CRUCIBLE_BENCH_PODS_PER_NODE'] ?? 30);
  const { world, apiHost, gateway } = benchControlPlane('bench-kubelet');
  const catalog = new ImageCatalog();
  const kubelets: Kubelet[] = [];
  for (let n = 0; n < nodes; n++) {
    const nodeName = `node-${n}`;
    world.addHost(nodeName, { groups: ['nodes'] });
    gateway.authenticator.add(`${nodeName}-token`, identities.node(nodeName));
    const k = new Kubelet(world.host(nodeName), new ApiClient(world.host(nodeName), { server: 'cp-0', token: `${nodeName}-token` }), {
      node: { name: nodeName, internalIP: `172.18.${n >> 8}.${n & 255}`, podCIDR: `10.${n >> 8}.${n & 255}.0/24`, capacity: { cpu: '32', memory: '128Gi' } },
      catalog,
    });
    k.start();
    kubelets.push(k);
  }
  const admin = new ApiClient(apiHost, { server: 'cp-0', token: 'admin-token' });
  const total = nodes * perNode;
  let created = 0;
  const setupMs = timeMs(() => {
    for (let i = 0; i < total; i++) {
      const body = {
        metadata: { name: `web-${i}`, namespace: 'default' },
        spec: {
          nodeName: `node-${i % nodes}`,
          containers: [
            {
              name: 'web',
              image: 'nginx:1.27',
              ports: [{ containerPort: 80 }],
              readinessProbe: { httpGet: { path: '/', port: 80 }, periodSeconds: 10 },
              livenessProbe: { tcpSocket: { port: 80 }, periodSeconds: 10 },
            },
          ],
        },
      };
      admin.request({ verb: 'create', group: '', version: 'v1', resource: 'pods', namespace: 'default', body }, (e) => {
        if (e) throw e;
        created++;
      });
    }
    world.sim.runUntil(() => created === total, { timeoutMs: 600_000 });
  });
  const startedAt = world.sim.now;
  const hourMs = timeMs(() => world.sim.runUntil(startedAt + 3_600_000));
  const running = kubelets.reduce((n, k) => n + [...k.pods.values()].filter((e) => e.worker.slots.every((s) => s.current?.running)).length, 0);
  figure(`kubelet ${nodes}x${perNode} pods running after 1h`, running, 'pods');
  figure(`kubelet ${nodes}x${perNode} create+bind wall`, setupMs / 1000, 's');
  figure(`kubelet ${nodes}x${perNode} one simulated hour wall`, hourMs / 1000, 's');
  figure(`kubelet ${nodes}x${perNode} speed-up over real time`, 3_600_000 / hourMs, 'x');
  figure(`kubelet ${nodes}x${perNode} pod-hours per wall second`, total / (hourMs / 1000), 'pod-h/s');
  figure(`kubelet ${nodes}x${perNode} events run`, world.sim.eventsRun, 'events');
}
