// The API server's full request path in process, and the etcd model under load.
import { Simulation, Trace } from '../src/sim/index.js';
import { World } from '../src/faults/index.js';
import { ApiServer, type ApiRequest } from '../src/api/server/index.js';
import { EtcdBackend, EtcdMember } from '../src/api/storage/etcd/index.js';
import { figure, timeMs } from './report.js';

export const name = 'api';

const admin = { name: 'admin', groups: ['system:masters'] };
const pod = (i: number): ApiRequest => ({
  verb: 'create',
  group: '',
  version: 'v1',
  resource: 'pods',
  namespace: 'default',
  user: admin,
  body: { metadata: { name: `web-${i}`, labels: { app: `app-${i % 50}` } }, spec: { containers: [{ name: 'app', image: 'nginx:1.27', resources: { requests: { cpu: '100m', memory: '64Mi' } }, ports: [{ containerPort: 80 }] }] } },
});

function inProcessCreates(n: number): number {
  const sim = new Simulation({ seed: 'bench' });
  const rng = sim.random.stream('api');
  const api = new ApiServer({ now: () => sim.now, random: () => rng.next() });
  api.bootstrap();
  return timeMs(() => {
    for (let i = 0; i < n; i++) api.handle(pod(i));
  });
}

/** A CRD with a structural schema (defaults, bounds, an enum) and two CEL rules; its objects created one after another. */
function customResourceCreates(n: number): number {
  const sim = new Simulation({ seed: 'bench' });
  const rng = sim.random.stream('api');
  const api = new ApiServer({ now: () => sim.now, random: () => rng.next() });
  api.bootstrap();
  const spec = {
    type: 'object',
    required: ['replicas'],
    'x-kubernetes-validations': [{ rule: 'self.replicas <= self.maxReplicas', message: 'replicas must not exceed maxReplicas' }, { rule: "self.tier in ['web', 'db']" }],
    properties: { replicas: { type: 'integer', minimum: 0 }, maxReplicas: { type: 'integer', default: 10 }, tier: { type: 'string', enum: ['web', 'db'], default: 'web' }, image: { type: 'string', pattern: '^[a-z0-9./:-]+$' } },
  };
  api.handle({ verb: 'create', group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions', user: admin, body: { metadata: { name: 'apps.example.com' }, spec: { group: 'example.com', scope: 'Namespaced', names: { plural: 'apps', kind: 'App' }, versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec } } } }] } } } as ApiRequest);
  return timeMs(() => {
    for (let i = 0; i < n; i++) {
      api.handle({ verb: 'create', group: 'example.com', version: 'v1', resource: 'apps', namespace: 'default', user: admin, body: { metadata: { name: `app-${i}` }, spec: { replicas: i % 5, image: 'nginx:1.27' } } } as ApiRequest);
    }
  });
}

/** 3 etcd members, 1 ms links: writes proposed back to back by the API server's member. */
function etcdCommits(n: number): { wallMs: number; p50: number; p99: number } {
  const world = new World({ seed: 'bench', trace: new Trace(), network: { defaults: { latencyMs: 1 }, traceMessages: false } });
  const cp = ['cp-0', 'cp-1', 'cp-2'];
  for (const h of cp) world.addHost(h);
  const members = cp.map((h) => new EtcdMember(world.host(h), cp));
  const host = world.host('cp-0');
  const rng = host.rng('api');
  const api = new ApiServer({ now: () => host.clock.now(), random: () => rng.next(), backend: new EtcdBackend(members[0]!) });
  let ready = false;
  api.bootstrap((ms, fn) => host.after(ms, fn), () => (ready = true));
  world.sim.runUntil(() => ready, { timeoutMs: 60_000 });
  const latencies: number[] = [];
  let done = 0;
  const wallMs = timeMs(() => {
    for (let i = 0; i < n; i++) {
      world.sim.at(world.sim.now + Math.floor(i / 10), () => {
        const start = world.sim.now;
        api.handleAsync(pod(i), (error) => {
          if (error) throw error;
          latencies.push(world.sim.now - start);
          done++;
        });
      });
    }
    world.sim.runUntil(() => done === n, { timeoutMs: 600_000 });
  });
  latencies.sort((a, b) => a - b);
  return { wallMs, p50: latencies[Math.floor(n / 2)]!, p99: latencies[Math.floor(n * 0.99)]! };
}

export function run(): void {
  inProcessCreates(2_000);
  const n = 20_000;
  figure('api.pod_creates_per_sec_in_process', Math.round((n / inProcessCreates(n)) * 1000), 'op/s');
  customResourceCreates(2_000);
  figure('api.custom_resource_creates_per_sec_in_process (schema, defaults, 2 CEL rules)', Math.round((n / customResourceCreates(n)) * 1000), 'op/s');
  const e = etcdCommits(10_000);
  figure('etcd.commits_per_sec_wall', Math.round((10_000 / e.wallMs) * 1000), 'op/s');
  figure('etcd.commit_latency_p50_virtual', e.p50, 'ms');
  figure('etcd.commit_latency_p99_virtual', e.p99, 'ms');
}
