import type { KubeObject } from '../api/registry/types.js';
import type { ClientRequest } from '../client/index.js';
import { controlPlaneWorld } from '../client/testing.js';
import type { EvictionConfig } from '../kubelet/eviction/thresholds.js';
import { Kubelet } from '../kubelet/kubelet.js';
import { PersistentStorage } from '../kubelet/volumes/persistent-storage.js';
import { identities } from '../api/auth/index.js';
import { metricsApiService } from './metrics-server/api.js';
import { MetricsServer } from './metrics-server/metrics-server.js';
import { ImageCatalog } from '../workloads/catalog.js';

export interface TestClusterOptions {
  nodes?: string[];
  memory?: string;
  labels?: Record<string, Record<string, string>>;
  eviction?: EvictionConfig;
  catalog?: ImageCatalog;
  /** Run metrics-server on this host and register v1beta1.metrics.k8s.io for it. */
  metricsServer?: string;
}

/**
 * A control plane on cp-0 and a kubelet on each node: the fixture controller
 * tests share. Controllers are started by the test with `kcm` (the
 * controller manager's client); `call` is an admin request answered in
 * virtual time.
 */
export function testCluster(seed: string, options: TestClusterOptions = {}) {
  const names = options.nodes ?? ['node-1', 'node-2', 'node-3'];
  const cp = controlPlaneWorld(seed, names);
  const admin = cp.client('cp-0');
  const kcm = cp.client('cp-0', 'kcm-token');
  const catalog = options.catalog ?? new ImageCatalog();
  const storage = new PersistentStorage();
  const kubelets = new Map(
    names.map((name, i) => {
      const k = new Kubelet(cp.world.host(name), cp.client(name, `${name}-token`), {
        node: { name, internalIP: `172.18.0.${i + 2}`, podCIDR: `10.244.${i + 1}.0/24`, capacity: { cpu: '4', memory: options.memory ?? '8Gi' }, ...(options.labels?.[name] !== undefined && { labels: options.labels[name] }) },
        catalog,
        storage,
        ...(options.eviction !== undefined && { eviction: options.eviction }),
      });
      k.start();
      return [name, k] as const;
    }),
  );
  let metricsServer: MetricsServer | undefined;
  if (options.metricsServer !== undefined) {
    cp.gateway.authenticator.add('metrics-server-token', identities.serviceAccount('kube-system', 'metrics-server'));
    cp.gateway.api.registerApiService(metricsApiService(options.metricsServer));
    metricsServer = new MetricsServer(cp.world.host(options.metricsServer), cp.client(options.metricsServer, 'metrics-server-token'));
    metricsServer.start();
  }
  const call = (req: ClientRequest): { error: unknown; body?: KubeObject } => {
    let out: { error: unknown; body?: KubeObject } | undefined;
    admin.request(req, (error, body) => (out = { error, ...(body !== undefined && { body }) }));
    cp.world.sim.runUntil(() => out !== undefined, { timeoutMs: 60_000 });
    return out!;
  };
  const get = (resource: string, name: string, namespace?: string) => call({ verb: 'get', group: '', version: 'v1', resource, name, ...(namespace !== undefined && { namespace }) }).body as any;
  const events = (name: string, namespace = 'default') => ((call({ verb: 'list', group: '', version: 'v1', resource: 'events', namespace }).body as any).items as any[]).filter((e) => e.involvedObject.name === name);
  const createPod = (name: string, nodeName: string, extra: Record<string, unknown> = {}) =>
    call({ verb: 'create', group: '', version: 'v1', resource: 'pods', namespace: 'default', body: { metadata: { name, namespace: 'default' }, spec: { nodeName, containers: [{ name: 'app', image: 'nginx:1.27' }], ...extra } } as KubeObject });
  return { ...cp, kcm, kubelets, metricsServer, call, get, events, createPod };
}
