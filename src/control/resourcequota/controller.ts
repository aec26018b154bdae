import { jsonEqual } from '../../api/json-clone.js';
import type { Pod, ResourceQuota } from 'kubernetes-types/core/v1.js';
import { podUsage, QUOTA_ALIASES } from '../../api/admission/resource-quota.js';
import { formatQuantity } from '../../api/quantity.js';
import type { KubeObject } from '../../api/registry/types.js';
import { Informer, WorkQueue, type ApiClient } from '../../client/index.js';
import type { HostContext } from '../../faults/index.js';

/** Object counts a quota may limit, by their short names (upstream pkg/quota/v1/evaluator/core). */
const COUNTED: Record<string, { group: string; resource: string }> = {
  pods: { group: '', resource: 'pods' },
  services: { group: '', resource: 'services' },
  configmaps: { group: '', resource: 'configmaps' },
  secrets: { group: '', resource: 'secrets' },
  persistentvolumeclaims: { group: '', resource: 'persistentvolumeclaims' },
  replicationcontrollers: { group: '', resource: 'replicationcontrollers' },
};

const terminal = (p: Pod) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';

/** How a used amount prints: cpu in DecimalSI, memory and storage in BinarySI, counts as numbers. */
function show(key: string, value: number): string {
  if (key.includes('cpu')) return formatQuantity({ value, format: 'DecimalSI' });
  if (key.includes('memory') || key.includes('storage')) return formatQuantity({ value, format: 'BinarySI' });
  return String(value);
}

/**
 * The ResourceQuota controller (upstream pkg/controller/resourcequota):
 * each quota's status.hard mirrors spec.hard and status.used counts what
 * its namespace holds — non-terminal pods and their requests and limits
 * (init containers and overhead included), and object counts — recomputed
 * when pods, services, ConfigMaps, Secrets or claims change.
 */
export class ResourceQuotaController {
  private readonly quotas: Informer;
  private readonly counted = new Map<string, Informer>();
  readonly queue: WorkQueue;

  constructor(
    host: HostContext,
    private readonly client: ApiClient,
  ) {
    this.quotas = new Informer(host, client, { group: '', version: 'v1', resource: 'resourcequotas' });
    this.queue = new WorkQueue(host);
    for (const [name, r] of Object.entries(COUNTED)) this.counted.set(name, new Informer(host, client, { group: r.group, version: 'v1', resource: r.resource }));
    this.quotas.addEventHandler({ onAdd: (o) => this.enqueueNamespace(o), onUpdate: (_o, n) => this.enqueueNamespace(n) });
    for (const i of this.counted.values()) i.addEventHandler({ onAdd: (o) => this.enqueueNamespace(o), onUpdate: (_o, n) => this.enqueueNamespace(n), onDelete: (o) => this.enqueueNamespace(o) });
  }

  gate(active: () => boolean): void {
    this.queue.gate(active);
  }

  start(): void {
    this.quotas.start();
    for (const i of this.counted.values()) i.start();
    this.queue.run(1, (ns, done) => this.sync(ns, done));
  }

  private enqueueNamespace(o: KubeObject): void {
    const ns = o.metadata?.namespace;
    if (ns !== undefined && this.quotas.list().some((q) => q.metadata?.namespace === ns)) this.queue.add(ns);
  }

  private sync(ns: string, done: () => void): void {
    const quotas = this.quotas.list().filter((q) => q.metadata?.namespace === ns) as ResourceQuota[];
    const inNs = (name: string) => (this.counted.get(name)?.list() ?? []).filter((o) => o.metadata?.namespace === ns);
    const usage = new Map<string, number>();
    for (const p of inNs('pods') as Pod[]) {
      if (terminal(p)) continue;
      for (const [k, v] of podUsage(p)) usage.set(k, (usage.get(k) ?? 0) + v);
    }
    for (const name of Object.keys(COUNTED)) if (name !== 'pods') usage.set(name, inNs(name).length);
    let left = quotas.length;
    if (left === 0) return done();
    for (const q of quotas) {
      const hard = q.spec?.hard ?? {};
      const used: Record<string, string> = {};
      for (const key of Object.keys(hard)) used[key] = show(key, usage.get(QUOTA_ALIASES[key] ?? key) ?? 0);
      const status = { hard: { ...hard }, used };
      const finish = () => {
        if (--left === 0) done();
      };
      if (jsonEqual(status, q.status ?? {})) {
        finish();
        continue;
      }
      this.client.request({ verb: 'update', group: '', version: 'v1', resource: 'resourcequotas', namespace: ns, name: q.metadata?.name ?? '', subresource: 'status', body: { ...q, status } as KubeObject }, (error) => {
        if (error !== null) this.queue.addRateLimited(ns);
        finish();
      });
    }
  }
}
