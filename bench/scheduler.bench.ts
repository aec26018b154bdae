// Scheduler throughput: pending pods bound per second of wall time, through the API server.
// CRUCIBLE_BENCH_SCHED_NODES (default 5000) and CRUCIBLE_BENCH_SCHED_PODS (default 30000) size the run.
import { ApiClient } from '../src/client/index.js';
import type { KubeObject } from '../src/api/registry/types.js';
import { Scheduler } from '../src/scheduler/index.js';
import { fakeNode } from '../src/scheduler/testing.js';
import { benchControlPlane } from './control-plane.js';
import { figure, timeMs } from './report.js';

export const name = 'scheduler';

const ZONES = ['zone-a', 'zone-b', 'zone-c'];

/** The pod mix: plain requests, zone node affinity, tolerations for tainted nodes, preferred anti-affinity, zone spread. */
function podSpec(i: number): Record<string, unknown> {
  const resources = { requests: { cpu: `${100 + (i % 5) * 100}m`, memory: `${128 * (1 + (i % 4))}Mi` } };
  const spec: Record<string, unknown> = { containers: [{ name: 'app', image: 'nginx:1.27', resources }] };
  const kind = i % 20;
  if (kind === 0 || kind === 1) spec['affinity'] = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: [ZONES[i % 3]!] }] }] } } };
  if (kind === 2 || kind === 3) spec['tolerations'] = [{ key: 'dedicated', operator: 'Equal', value: 'batch', effect: 'NoSchedule' }];
  if (kind === 4) spec['affinity'] = { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { labelSelector: { matchLabels: { app: `svc-${i % 50}` } }, topologyKey: 'kubernetes.io/hostname' } }] } };
  if (kind === 5) spec['topologySpreadConstraints'] = [{ maxSkew: 5, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: `svc-${i % 50}` } } }];
  return spec;
}

export function run(): void {
  const nodes = Number(process.env['CRUCIBLE_BENCH_SCHED_NODES'] ?? 5000);
  const pods = Number(process.env['CRUCIBLE_BENCH_SCHED_PODS'] ?? 30000);
  const { world, apiHost } = benchControlPlane('bench-scheduler');
  const admin = new ApiClient(apiHost, { server: 'cp-0', token: 'admin-token' });
  let created = 0;
  const create = (resource: string, body: KubeObject, namespace?: string) =>
    admin.request({ verb: 'create', group: '', version: 'v1', resource, ...(namespace !== undefined && { namespace }), body }, (e) => {
      if (e) throw e;
      created++;
    });
  for (let n = 0; n < nodes; n++) {
    const taints = n % 10 === 0 ? [{ key: 'dedicated', value: 'batch', effect: 'NoSchedule' }] : undefined;
    create('nodes', fakeNode({ name: `node-${n}`, cpu: '32', memory: '128Gi', labels: { 'topology.kubernetes.io/zone': ZONES[n % 3]! }, ...(taints !== undefined && { taints }) }));
  }
  for (let i = 0; i < pods; i++) create('pods', { metadata: { name: `pod-${i}`, namespace: 'default', labels: { app: `svc-${i % 50}` } }, spec: podSpec(i) } as KubeObject, 'default');
  world.sim.runUntil(() => created === nodes + pods, { timeoutMs: 3_600_000 });

  let leading = false;
  const scheduler = new Scheduler(apiHost, new ApiClient(apiHost, { server: 'cp-0', token: 'admin-token' }), { isLeader: () => leading });
  scheduler.start();
  world.sim.runUntil(() => scheduler.queue.size === pods, { timeoutMs: 600_000 });
  leading = true;
  const wallMs = timeMs(() => world.sim.runUntil(() => scheduler.stats.bound === pods, { timeoutMs: 3_600_000 }));
  figure(`scheduler ${nodes} nodes ${pods} pods bound`, scheduler.stats.bound, 'pods');
  figure(`scheduler ${nodes} nodes ${pods} pods wall`, wallMs / 1000, 's');
  figure(`scheduler ${nodes} nodes pods bound per second`, pods / (wallMs / 1000), 'pods/s');
  figure(`scheduler ${nodes} nodes scheduling attempts`, scheduler.stats.attempts, 'attempts');
}
