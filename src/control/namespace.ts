import type { HostContext } from '../faults/index.js';
import type { ResourceRegistry, ResourceType } from '../api/registry/index.js';
import type { KubeObject } from '../api/registry/types.js';
import { Informer, WorkQueue, type ApiClient, type ClientRequest } from '../client/index.js';
import { runActions } from './runtime.js';

/** How soon to look again while content is still going away (upstream waits on the longest pod grace period; this polls). */
const RECHECK_MS = 5_000;

/**
 * The namespace controller (upstream pkg/controller/namespace): a namespace
 * being deleted is emptied resource by resource (deletecollection in the
 * background), checked until nothing is left (pods may take their grace
 * period, objects their finalizers), and then finalized: the `kubernetes`
 * finalizer is removed, and the API server deletes the namespace.
 */
export class NamespaceController {
  private readonly namespaces: Informer;
  private readonly queue: WorkQueue;

  constructor(
    private readonly host: HostContext,
    private readonly client: ApiClient,
    private readonly registry: ResourceRegistry,
  ) {
    this.namespaces = new Informer(host, client, { group: '', version: 'v1', resource: 'namespaces' });
    this.queue = new WorkQueue(host);
    const enqueue = (o: KubeObject): void => {
      if (o.metadata?.['deletionTimestamp'] !== undefined) this.queue.add(String(o.metadata?.name));
    };
    this.namespaces.addEventHandler({ onAdd: enqueue, onUpdate: (_o, n) => enqueue(n) });
  }

  /** Act only while `active` says so (leader election); caches stay warm meanwhile. */
  gate(active: () => boolean): void {
    this.queue.gate(active);
  }

  start(): void {
    this.namespaces.start();
    this.queue.run(1, (name, done) => this.sync(name, done));
  }

  private contentTypes(): ResourceType[] {
    return this.registry.list().filter((t) => t.namespaced && t.verbs.includes('list') && !(t.group === 'events.k8s.io'));
  }

  private sync(name: string, done: () => void): void {
    const ns = this.namespaces.get(name);
    if (ns === undefined || ns.metadata?.['deletionTimestamp'] === undefined) return done();
    const finalizers = ((ns['spec'] as { finalizers?: string[] } | undefined)?.finalizers ?? []).filter((f) => f !== 'kubernetes');
    const types = this.contentTypes();
    const deletes: ClientRequest[] = types
      .filter((t) => t.verbs.includes('deletecollection'))
      .map((t) => ({ verb: 'deletecollection', group: t.group, version: t.version, resource: t.resource, namespace: name, query: { propagationPolicy: 'Background' } }));
    runActions(this.client, deletes, (error) => {
      if (error !== null) {
        this.queue.addRateLimited(name);
        return done();
      }
      this.remaining(types, name, (left) => {
        if (left === undefined) this.queue.addRateLimited(name);
        else if (left > 0) this.queue.addAfter(name, RECHECK_MS);
        else {
          runActions(this.client, [{ verb: 'update', group: '', version: 'v1', resource: 'namespaces', name, subresource: 'finalize', body: { metadata: { name }, spec: { finalizers } } }], (e) => {
            if (e !== null) this.queue.addRateLimited(name);
          });
        }
        done();
      });
    });
  }

  /** How many objects are left in the namespace (undefined if a list failed). */
  private remaining(types: ResourceType[], namespace: string, done: (count: number | undefined) => void): void {
    let total = 0;
    const step = (i: number): void => {
      if (i >= types.length) return done(total);
      const t = types[i]!;
      this.client.request({ verb: 'list', group: t.group, version: t.version, resource: t.resource, namespace, query: { limit: 1 } }, (error, body) => {
        if (error !== null) return done(undefined);
        total += ((body as { items: unknown[] }).items ?? []).length;
        step(i + 1);
      });
    };
    step(0);
  }
}
