import type { KubeObject } from '../api/registry/types.js';
import { controlPlaneWorld } from '../client/testing.js';
import { ImageCatalog } from '../workloads/catalog.js';
import type { EvictionConfig } from './eviction/thresholds.js';
import { Kubelet } from './kubelet.js';
import type { NodeConfig } from './node-status.js';

export interface KubeletClusterOptions {
  memory?: string;
  catalog?: ImageCatalog;
  storage?: string;
  eviction?: EvictionConfig;
  /** More node settings (inodes, pidMax, …). */
  node?: Partial<NodeConfig>;
}

/** A control plane and one node, node-1, running a kubelet; `call` waits for the API's answer in virtual time. */
export function kubeletCluster(seed: string, options: KubeletClusterOptions = {}) {
  const cp = controlPlaneWorld(seed, ['node-1']);
  const admin = cp.client('cp-0');
  const kubelet = new Kubelet(cp.world.host('node-1'), cp.client('node-1', 'node-1-token'), {
    node: { name: 'node-1', internalIP: '172.18.0.2', podCIDR: '10.244.1.0/24', capacity: { cpu: '4', memory: options.memory ?? '8Gi', 'ephemeral-storage': options.storage ?? '100Gi' }, ...options.node },
    catalog: options.catalog ?? new ImageCatalog(),
    ...(options.eviction !== undefined && { eviction: options.eviction }),
  });
  kubelet.start();
  const call = (req: Parameters<typeof admin.request>[0]): { error: unknown; body?: KubeObject } => {
    let out: { error: unknown; body?: KubeObject } | undefined;
    admin.request(req, (error, body) => (out = { error, ...(body !== undefined && { body }) }));
    cp.world.sim.runUntil(() => out !== undefined, { timeoutMs: 60_000 });
    return out!;
  };
  const getPod = (name: string) => call({ verb: 'get', group: '', version: 'v1', resource: 'pods', namespace: 'default', name });
  const createPod = (body: unknown) => call({ verb: 'create', group: '', version: 'v1', resource: 'pods', namespace: 'default', body: body as KubeObject });
  const getNode = () => call({ verb: 'get', group: '', version: 'v1', resource: 'nodes', name: 'node-1' }).body as any;
  const events = (name: string) => ((call({ verb: 'list', group: '', version: 'v1', resource: 'events', namespace: 'default' }).body as any).items as any[]).filter((e) => e.involvedObject.name === name);
  return { ...cp, kubelet, call, getPod, createPod, getNode, events };
}

/** A pod bound to node-1. */
export const boundPod = (name: string, containers: unknown[], extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default' },
  spec: { nodeName: 'node-1', containers, ...extra },
});
