import type { HostContext } from '../faults/index.js';
import type { KubeObject } from '../api/registry/types.js';
import { Informer, type ApiClient } from '../client/index.js';
import { ReconcileLoop, type ReconcileResult } from './runtime.js';

/**
 * Decide for one namespace (upstream pkg/controller/serviceaccount
 * ServiceAccountsController): an active namespace gets a `default`
 * ServiceAccount if it has none.
 */
export function reconcileServiceAccounts(namespace: KubeObject | undefined, hasDefault: boolean): ReconcileResult {
  if (namespace === undefined || namespace.metadata?.['deletionTimestamp'] !== undefined) return { actions: [] };
  if (hasDefault) return { actions: [] };
  const ns = String(namespace.metadata?.name);
  return { actions: [{ verb: 'create', group: '', version: 'v1', resource: 'serviceaccounts', namespace: ns, body: { metadata: { name: 'default' } } }] };
}

export class ServiceAccountsController {
  private readonly namespaces: Informer;
  private readonly accounts: Informer;
  private readonly loop: ReconcileLoop;

  constructor(host: HostContext, client: ApiClient) {
    this.namespaces = new Informer(host, client, { group: '', version: 'v1', resource: 'namespaces' });
    this.accounts = new Informer(host, client, { group: '', version: 'v1', resource: 'serviceaccounts', fieldSelector: 'metadata.name=default' });
    this.loop = new ReconcileLoop(host, client, 'serviceaccount', (ns) => reconcileServiceAccounts(this.namespaces.get(ns), this.accounts.get(ns, 'default') !== undefined));
    this.namespaces.addEventHandler({ onAdd: (o) => this.loop.enqueue(String(o.metadata?.name)), onUpdate: (_o, n) => this.loop.enqueue(String(n.metadata?.name)) });
    this.accounts.addEventHandler({ onDelete: (o) => this.loop.enqueue(String(o.metadata?.namespace)) });
  }

  /** Act only while `active` says so (leader election); caches stay warm meanwhile. */
  gate(active: () => boolean): void {
    this.loop.queue.gate(active);
  }

  start(): void {
    this.namespaces.start();
    this.accounts.start();
    this.loop.start();
  }
}
