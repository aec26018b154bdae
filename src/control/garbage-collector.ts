import type { HostContext } from '../faults/index.js';
import type { ResourceRegistry, ResourceType } from '../api/registry/index.js';
import type { KubeObject } from '../api/registry/types.js';
import { FOREGROUND_FINALIZER, ORPHAN_FINALIZER } from '../api/server/index.js';
import { StatusError } from '../api/errors/status.js';
import { Informer, WorkQueue, type ApiClient, type ClientRequest } from '../client/index.js';
import { runActions } from './runtime.js';

interface OwnerRef {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

interface Node {
  type: ResourceType;
  object: KubeObject;
}

const uidOf = (o: KubeObject): string => String(o.metadata?.['uid'] ?? '');
const ownersOf = (o: KubeObject): OwnerRef[] => (o.metadata?.['ownerReferences'] as OwnerRef[] | undefined) ?? [];
const finalizersOf = (o: KubeObject): string[] => (o.metadata?.['finalizers'] as string[] | undefined) ?? [];
const deleting = (o: KubeObject): boolean => o.metadata?.['deletionTimestamp'] !== undefined;

function target(type: ResourceType, o: KubeObject): Pick<ClientRequest, 'group' | 'version' | 'resource' | 'namespace' | 'name'> {
  return { group: type.group, version: type.version, resource: type.resource, ...(type.namespaced && { namespace: o.metadata?.namespace }), name: String(o.metadata?.name) };
}

/** A merge patch that replaces a list in metadata, guarded by the object's resourceVersion. */
function setMetadataList(type: ResourceType, o: KubeObject, field: 'finalizers' | 'ownerReferences', value: unknown[]): ClientRequest {
  return { verb: 'patch', patchType: 'merge', ...target(type, o), body: { metadata: { resourceVersion: o.metadata?.['resourceVersion'], [field]: value } } };
}

/**
 * The garbage collector (upstream pkg/controller/garbagecollector): a graph
 * of owners and dependents built from informers. A dependent whose owners
 * are all gone is deleted (in the background); a dependent that lost one of
 * several owners has the dangling reference removed. An owner deleted with
 * `orphan` has its dependents' references removed before its finalizer is;
 * one deleted in the foreground has its dependents deleted, and keeps its
 * `foregroundDeletion` finalizer until no dependent with blockOwnerDeletion
 * is left. An owner that is not in the cache is looked up live before a
 * dependent is deleted, since the cache may simply be behind. References
 * across namespaces do not count (upstream: OwnerRefInvalidNamespace).
 */
export class GarbageCollector {
  private readonly nodes = new Map<string, Node>();
  private readonly dependents = new Map<string, Set<string>>();
  private readonly informers: Informer[] = [];
  private readonly queue: WorkQueue;

  constructor(
    private readonly host: HostContext,
    private readonly client: ApiClient,
    private readonly registry: ResourceRegistry,
  ) {
    this.queue = new WorkQueue(host);
    for (const type of registry.list()) {
      if (!type.verbs.includes('watch') || type.resource === 'events' || type.resource === 'namespaces') continue;
      const informer = new Informer(host, client, { group: type.group, version: type.version, resource: type.resource });
      informer.addEventHandler({
        onAdd: (o) => this.observe(type, undefined, o),
        onUpdate: (old, o) => this.observe(type, old, o),
        onDelete: (o) => this.forget(o),
      });
      this.informers.push(informer);
    }
  }

  /** Act only while `active` says so (leader election); caches stay warm meanwhile. */
  gate(active: () => boolean): void {
    this.queue.gate(active);
  }

  start(): void {
    for (const i of this.informers) i.start();
    this.queue.run(1, (uid, done) => this.process(uid, done));
  }

  /** Keys waiting (for tests). */
  get pending(): number {
    return this.queue.length;
  }

  private observe(type: ResourceType, old: KubeObject | undefined, o: KubeObject): void {
    const uid = uidOf(o);
    if (old !== undefined) for (const ref of ownersOf(old)) this.dependents.get(ref.uid)?.delete(uid);
    this.nodes.set(uid, { type, object: o });
    for (const ref of ownersOf(o)) {
      let set = this.dependents.get(ref.uid);
      if (set === undefined) this.dependents.set(ref.uid, (set = new Set()));
      set.add(uid);
    }
    this.queue.add(uid);
    // An owner waiting for its dependents may now be free.
    if (old !== undefined) for (const ref of ownersOf(old)) this.queue.add(ref.uid);
  }

  private forget(o: KubeObject): void {
    const uid = uidOf(o);
    this.nodes.delete(uid);
    for (const ref of ownersOf(o)) {
      this.dependents.get(ref.uid)?.delete(uid);
      this.queue.add(ref.uid);
    }
    for (const d of this.dependents.get(uid) ?? []) this.queue.add(d);
  }

  private process(uid: string, done: () => void): void {
    const node = this.nodes.get(uid);
    if (node === undefined) return done();
    const finish = (actions: ClientRequest[], requeue = false): void =>
      runActions(this.client, actions, (error) => {
        if (error !== null || requeue) this.queue.addRateLimited(uid);
        else this.queue.forget(uid);
        done();
      });
    const o = node.object;
    if (deleting(o) && finalizersOf(o).includes(ORPHAN_FINALIZER)) return finish(this.orphanDependents(node));
    if (deleting(o) && finalizersOf(o).includes(FOREGROUND_FINALIZER)) return finish(this.deleteDependentsFirst(node));
    const owners = ownersOf(o);
    if (owners.length === 0 || deleting(o)) return done();
    this.classifyOwners(node, owners, (absent, error) => {
      if (error) {
        this.queue.addRateLimited(uid);
        return done();
      }
      if (absent.length === 0) return finish([]);
      if (absent.length === owners.length) {
        return finish([{ verb: 'delete', ...target(node.type, o), preconditions: { uid }, query: { propagationPolicy: 'Background' } }]);
      }
      const remaining = owners.filter((r) => !absent.includes(r.uid));
      finish([setMetadataList(node.type, o, 'ownerReferences', remaining)]);
    });
  }

  /** Which owners are absent: not in the cache and, asked live, not there (or another object under that name). */
  private classifyOwners(node: Node, owners: OwnerRef[], done: (absentUids: string[], error: boolean) => void): void {
    const absent: string[] = [];
    const step = (i: number): void => {
      if (i >= owners.length) return done(absent, false);
      const ref = owners[i]!;
      const ownerType = this.registry.forKind(ref.apiVersion, ref.kind);
      const ns = node.object.metadata?.namespace;
      // A namespaced dependent may only be owned from its own namespace; a cluster-scoped one only by cluster-scoped owners.
      if (ownerType === undefined || (ownerType.namespaced && !node.type.namespaced)) {
        absent.push(ref.uid);
        return step(i + 1);
      }
      const cached = this.nodes.get(ref.uid);
      if (cached !== undefined && (!ownerType.namespaced || cached.object.metadata?.namespace === ns)) return step(i + 1);
      this.client.request({ verb: 'get', group: ownerType.group, version: ownerType.version, resource: ownerType.resource, ...(ownerType.namespaced && { namespace: ns }), name: ref.name }, (error, body) => {
        if (error instanceof StatusError && error.code === 404) absent.push(ref.uid);
        else if (error !== null) return done(absent, true);
        else if (uidOf(body!) !== ref.uid) absent.push(ref.uid);
        step(i + 1);
      });
    };
    step(0);
  }

  private dependentNodes(uid: string): Node[] {
    return [...(this.dependents.get(uid) ?? [])].map((d) => this.nodes.get(d)).filter((n): n is Node => n !== undefined);
  }

  /** `orphan`: drop every dependent's reference to the owner, then the finalizer. */
  private orphanDependents(owner: Node): ClientRequest[] {
    const uid = uidOf(owner.object);
    const actions: ClientRequest[] = this.dependentNodes(uid).map((d) => setMetadataList(d.type, d.object, 'ownerReferences', ownersOf(d.object).filter((r) => r.uid !== uid)));
    actions.push(setMetadataList(owner.type, owner.object, 'finalizers', finalizersOf(owner.object).filter((f) => f !== ORPHAN_FINALIZER)));
    return actions;
  }

  /** `foregroundDeletion`: delete dependents; release the owner once no blocking dependent remains. */
  private deleteDependentsFirst(owner: Node): ClientRequest[] {
    const uid = uidOf(owner.object);
    const dependents = this.dependentNodes(uid);
    const actions: ClientRequest[] = [];
    for (const d of dependents) {
      if (deleting(d.object)) continue;
      const blocking = ownersOf(d.object).some((r) => r.uid === uid && r.blockOwnerDeletion === true);
      actions.push({ verb: 'delete', ...target(d.type, d.object), preconditions: { uid: uidOf(d.object) }, query: { propagationPolicy: blocking ? 'Foreground' : 'Background' } });
    }
    const blockers = dependents.filter((d) => ownersOf(d.object).some((r) => r.uid === uid && r.blockOwnerDeletion === true));
    if (blockers.length === 0) actions.push(setMetadataList(owner.type, owner.object, 'finalizers', finalizersOf(owner.object).filter((f) => f !== FOREGROUND_FINALIZER)));
    return actions;
  }
}
