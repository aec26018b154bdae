import type { HostContext } from '../faults/index.js';
import type { KubeObject } from '../api/registry/types.js';
import { rootCAConfigMap } from '../api/server/apiserver.js';
import { Informer, type ApiClient } from '../client/index.js';
import { ReconcileLoop, type ReconcileResult } from './runtime.js';

/**
 * Decide for one namespace (upstream pkg/controller/certificates/rootcacertpublisher):
 * every active namespace carries the `kube-root-ca.crt` ConfigMap that the
 * kube-api-access volume projects into pods.
 */
export function reconcileRootCA(namespace: KubeObject | undefined, present: boolean): ReconcileResult {
  if (namespace === undefined || namespace.metadata?.['deletionTimestamp'] !== undefined || present) return { actions: [] };
  return { actions: [{ verb: 'create', group: '', version: 'v1', resource: 'configmaps', namespace: String(namespace.metadata?.name), body: rootCAConfigMap() }] };
}

export class RootCACertPublisher {
  private readonly namespaces: Informer;
  private readonly configMaps: Informer;
  private readonly loop: ReconcileLoop;

  constructor(host: HostContext, client: ApiClient) {
    this.namespaces = new Informer(host, client, { group: '', version: 'v1', resource: 'namespaces' });
    this.configMaps = new Informer(host, client, { group: '', version: 'v1', resource: 'configmaps', fieldSelector: 'metadata.name=kube-root-ca.crt' });
    this.loop = new ReconcileLoop(host, client, 'root-ca-cert-publisher', (ns) => reconcileRootCA(this.namespaces.get(ns), this.configMaps.get(ns, 'kube-root-ca.crt') !== undefined));
    this.namespaces.addEventHandler({ onAdd: (o) => this.loop.enqueue(String(o.metadata?.name)), onUpdate: (_o, n) => this.loop.enqueue(String(n.metadata?.name)) });
    this.configMaps.addEventHandler({ onDelete: (o) => this.loop.enqueue(String(o.metadata?.namespace)) });
  }

  /** Act only while `active` says so (leader election); caches stay warm meanwhile. */
  gate(active: () => boolean): void {
    this.loop.queue.gate(active);
  }

  start(): void {
    this.namespaces.start();
    this.configMaps.start();
    this.loop.start();
  }
}
