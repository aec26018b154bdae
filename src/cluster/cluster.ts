import type { Node } from 'kubernetes-types/core/v1.js';
import { isStatusError } from '../api/errors/status.js';
import type { KubeObject, ResourceRegistry, ResourceType } from '../api/registry/index.js';
import { ApiClient, type ClientRequest } from '../client/index.js';
import type { ActiveFault, FaultSpec } from '../faults/index.js';
import { drain as drainNode, type DrainOptions, type DrainResult } from '../kubectl/drain.js';
import { rolloutUndo } from '../kubectl/rollout-undo.js';
import { applyManifests, type ApplyResult } from './apply.js';
import { assemble, CLIENT_HOST, type Components } from './assemble.js';
import type { Topology } from './topology.js';
import type { SavedStore } from './assemble.js';
import { InvariantViolation, WaitTimeoutError } from './wait.js';

/** What `get`, `list` and friends accept: a resource as kubectl names it (`pods`, `deploy`, `deployments.apps`). */
export type ResourceName = string;

export interface LogOptions {
  container?: string;
  previous?: boolean;
  tail?: number;
  timestamps?: boolean;
}

/**
 * A whole simulated cluster behind one handle: the TypeScript API users
 * write tests against. Every call runs the simulation just long enough for
 * its answer (virtual time); `advance` and `waitFor` move time on purpose.
 */
export class Cluster {
  readonly components: Components;
  /**
   * Called after every simulation event while the cluster runs (invariants,
   * timelines); a returned message stops the run with an InvariantViolation.
   */
  monitor: (() => string | undefined) | undefined;
  readonly seed: string;
  private readonly client: ApiClient;
  private readonly resolved = new Map<string, ResourceType>();

  private constructor(
    readonly topology: Topology,
    epochMs?: number,
    restore?: SavedStore,
  ) {
    this.components = assemble(topology, epochMs, restore);
    this.seed = String(topology.seed ?? 1);
    this.client = new ApiClient(this.world.host(CLIENT_HOST), { server: this.components.controlPlane[0]!, token: 'admin-token' });
  }

  /** Build a cluster and run it until its control plane is up and every node is registered and Ready. */
  static create(topology: Topology = {}, options: { readyTimeoutMs?: number; epochMs?: number; restore?: SavedStore } = {}): Cluster {
    const cluster = new Cluster(topology, options.epochMs, options.restore);
    const timeoutMs = options.readyTimeoutMs ?? 120_000;
    const store = cluster.components.gateways[0]!.api.store;
    const ready = () =>
      cluster.components.bootstrapped() &&
      cluster.components.nodes.every((n) => {
        const node = store.get('nodes', n) as Node | undefined;
        return node?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
      });
    if (!cluster.world.sim.runUntil(ready, { timeoutMs })) throw new Error(`the cluster was not ready within ${timeoutMs / 1000}s of virtual time (seed ${cluster.seed})`);
    return cluster;
  }

  get world() {
    return this.components.world;
  }

  get registry(): ResourceRegistry {
    return this.components.gateways[0]!.api.registry;
  }

  /** Virtual time 0 as a wall-clock instant (2026-01-01 unless given; `crucible serve` starts it at the real now). */
  get epochMs(): number {
    return this.components.epochMs;
  }

  /** Virtual time since the cluster was created, in ms. */
  get now(): number {
    return this.world.sim.now;
  }

  /** The trace hash so far: the same seed and steps give the same hash. */
  get traceHash(): string {
    return this.world.trace.hash;
  }

  /** Send one request as the cluster admin and wait (in virtual time) for the answer; API errors throw as StatusError. */
  request(req: ClientRequest, timeoutMs = 60_000): KubeObject {
    let out: { error: unknown; body?: KubeObject } | undefined;
    this.client.request(req, (error, body) => (out = { error, ...(body !== undefined && { body }) }));
    this.run(() => out !== undefined, timeoutMs);
    if (out === undefined) throw new Error(`no answer from the API server within ${timeoutMs / 1000}s of virtual time (seed ${this.seed})`);
    if (out.error) throw out.error;
    return out.body ?? {};
  }

  /** The resource a name means, as kubectl resolves it; an unknown one throws kubectl's error. */
  resource(name: ResourceName): ResourceType {
    const cached = this.resolved.get(name);
    if (cached !== undefined && this.registry.get(cached.group, cached.resource) === cached) return cached;
    const type = this.registry.resolve(name);
    if (type !== undefined) this.resolved.set(name, type);
    if (type === undefined) throw new Error(`the server doesn't have a resource type "${name}"`);
    return type;
  }

  private target(kind: ResourceName, name?: string, namespace?: string) {
    const type = this.resource(kind);
    return { group: type.group, version: type.version, resource: type.resource, ...(type.namespaced && { namespace: namespace ?? 'default' }), ...(name !== undefined && { name }) };
  }

  /** Create or update objects, as `kubectl apply -f` does: YAML/JSON text (several documents), an object, or a list of them. */
  apply(manifests: string | KubeObject | KubeObject[], source = 'manifest'): ApplyResult[] {
    return applyManifests(this, manifests, source);
  }

  get<T = any>(kind: ResourceName, name: string, namespace?: string): T {
    return this.request({ verb: 'get', ...this.target(kind, name, namespace) }) as T;
  }

  /** The object, or undefined when it does not exist. */
  find<T = any>(kind: ResourceName, name: string, namespace?: string): T | undefined {
    try {
      return this.get<T>(kind, name, namespace);
    } catch (e) {
      if (isStatusError(e) && e.code === 404) return undefined;
      throw e;
    }
  }

  /** Objects of a kind; `namespace: undefined` with `allNamespaces` lists across namespaces. */
  list<T = any>(kind: ResourceName, options: { namespace?: string; allNamespaces?: boolean; labelSelector?: string; fieldSelector?: string } = {}): T[] {
    const t = this.target(kind, undefined, options.namespace);
    if (options.allNamespaces === true) delete (t as { namespace?: string }).namespace;
    const query = { ...(options.labelSelector !== undefined && { labelSelector: options.labelSelector }), ...(options.fieldSelector !== undefined && { fieldSelector: options.fieldSelector }) };
    return ((this.request({ verb: 'list', ...t, query }) as { items?: T[] }).items ?? []) as T[];
  }

  delete(kind: ResourceName, name: string, namespace?: string, options: { gracePeriodSeconds?: number; propagationPolicy?: 'Foreground' | 'Background' | 'Orphan' } = {}): void {
    this.request({ verb: 'delete', ...this.target(kind, name, namespace), query: options });
  }

  patch<T = any>(kind: ResourceName, name: string, patch: unknown, options: { namespace?: string; type?: 'strategic' | 'merge' | 'json'; subresource?: string } = {}): T {
    return this.request({ verb: 'patch', ...this.target(kind, name, options.namespace), patchType: options.type ?? 'strategic', body: patch, ...(options.subresource !== undefined && { subresource: options.subresource }) }) as T;
  }

  /** `kubectl scale`: through the scale subresource. */
  scale(kind: ResourceName, name: string, replicas: number, namespace?: string): void {
    this.request({ verb: 'patch', ...this.target(kind, name, namespace), subresource: 'scale', patchType: 'merge', body: { spec: { replicas } } });
  }

  /** `kubectl set image <kind>/<name> <container>=<image>`. */
  setImage(kind: ResourceName, name: string, container: string, image: string, namespace?: string): void {
    const live = this.get(kind, name, namespace);
    const spec = kind === 'pod' || kind === 'pods' || kind === 'po' ? live.spec : live.spec?.template?.spec;
    const known = [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])].some((c: { name: string }) => c.name === container);
    if (!known) throw new Error(`unable to find container named "${container}"`);
    const containers = [{ name: container, image }];
    this.patch(kind, name, kind.startsWith('po') ? { spec: { containers } } : { spec: { template: { spec: { containers } } } }, { ...(namespace !== undefined && { namespace }) });
  }

  /** `kubectl rollout undo deployment/<name> [--to-revision=N]`; returns kubectl's line. */
  rolloutUndo(name: string, options: { toRevision?: number; namespace?: string } = {}): string {
    let out: { error: string | null; message?: string } | undefined;
    rolloutUndo(this.client, options.namespace ?? 'default', name, options.toRevision ?? 0, (error, message) => (out = { error, ...(message !== undefined && { message }) }));
    this.run(() => out !== undefined, 60_000);
    if (out?.error) throw new Error(out.error);
    return out?.message ?? '';
  }

  cordon(node: string): void {
    this.patch('nodes', node, { spec: { unschedulable: true } });
  }

  uncordon(node: string): void {
    this.patch('nodes', node, { spec: { unschedulable: null } }, { type: 'merge' });
  }

  /** `kubectl drain`: cordon, evict (retrying refusals), wait for the pods to go; runs in virtual time. */
  drain(node: string, options: DrainOptions = {}): DrainResult {
    let result: DrainResult | undefined;
    drainNode(this.world.host(CLIENT_HOST), this.client, node, options, (r) => (result = r));
    this.run(() => result !== undefined, 24 * 3_600_000);
    return result!;
  }

  /** Move virtual time on by `ms`, running everything due. */
  advance(ms: number): void {
    if (this.monitor === undefined) return this.world.sim.advance(ms);
    this.run(() => false, ms);
  }

  /** Run until `done` holds or `timeoutMs` of virtual time passes, checking the monitor after every event. */
  run(done: () => boolean, timeoutMs: number): boolean {
    const monitor = this.monitor;
    if (monitor === undefined) return this.world.sim.runUntil(done, { timeoutMs });
    let violation: string | undefined;
    const held = this.world.sim.runUntil(() => (violation = monitor()) !== undefined || done(), { timeoutMs });
    if (violation !== undefined) throw new InvariantViolation(violation, this.now);
    return held;
  }

  /**
   * Run until `check` holds, reading the API server's state directly (no
   * requests, so checking costs no virtual time); on timeout throw a
   * WaitTimeoutError with the object, its recent events and the seed.
   */
  waitFor(what: string, check: () => boolean, options: { timeoutMs?: number; object?: { kind: ResourceName; name: string; namespace?: string } } = {}): void {
    const timeoutMs = options.timeoutMs ?? 300_000;
    if (this.run(check, timeoutMs)) return;
    const o = options.object;
    const object = o === undefined ? undefined : this.peek(o.kind, o.name, o.namespace);
    const events = o === undefined ? [] : this.peekEvents(o.name, o.namespace);
    throw new WaitTimeoutError(what, timeoutMs, this.seed, object, events);
  }

  /** Wait until an object's condition has a status (`Available`, `Ready`, `Complete`, …). */
  waitForCondition(kind: ResourceName, name: string, type: string, options: { status?: string; namespace?: string; timeoutMs?: number } = {}): void {
    const status = options.status ?? 'True';
    this.waitFor(`${this.resource(kind).resource}/${name} condition ${type}=${status}`, () => ((this.peek(kind, name, options.namespace)?.['status'] as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions ?? []).some((c) => c.type === type && c.status === status), {
      ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
      object: { kind, name, ...(options.namespace !== undefined && { namespace: options.namespace }) },
    });
  }

  /** The object as the API server stores it now, without a request (for checks inside waits). */
  peek(kind: ResourceName, name: string, namespace?: string): KubeObject | undefined {
    const type = this.resource(kind);
    const resource = type.group === '' ? type.resource : `${type.resource}.${type.group}`;
    return this.components.gateways[0]!.api.store.get(resource, type.namespaced ? `${namespace ?? 'default'}/${name}` : name) as KubeObject | undefined;
  }

  private peekEvents(name: string, namespace = 'default'): KubeObject[] {
    const items = this.components.gateways[0]!.api.store.list('events', { keyPrefix: `${namespace}/` }).items as unknown as KubeObject[];
    return items.filter((e) => (e['involvedObject'] as { name?: string } | undefined)?.name === name);
  }

  /** Events about an object (or all in the namespace), oldest first. */
  events(name?: string, namespace = 'default'): KubeObject[] {
    const all = this.list<KubeObject>('events', { namespace });
    const mine = name === undefined ? all : all.filter((e) => (e['involvedObject'] as { name?: string }).name === name);
    const time = (e: KubeObject) => String(e['lastTimestamp'] ?? e['eventTime'] ?? (e.metadata as { creationTimestamp?: string }).creationTimestamp ?? '');
    return mine.sort((a, b) => (time(a) < time(b) ? -1 : time(a) > time(b) ? 1 : 0));
  }

  /** A container's log, as `kubectl logs` prints it. */
  logs(pod: string, options: LogOptions & { namespace?: string } = {}): string {
    const query = { ...(options.container !== undefined && { container: options.container }), ...(options.previous === true && { previous: true }), ...(options.tail !== undefined && { tailLines: options.tail }), ...(options.timestamps === true && { timestamps: true }) };
    const body = this.request({ verb: 'get', ...this.target('pods', pod, options.namespace), subresource: 'log', query });
    return String(body['text'] ?? '');
  }

  private readonly named = new Map<string, ActiveFault>();

  /** Inject a fault (network, host, disk, clock) by spec; heal it with the handle's `heal()`, or by name with `heal(name)`. */
  fault(spec: FaultSpec, name?: string): ActiveFault {
    if (name !== undefined && this.named.has(name) && !this.named.get(name)!.healed) throw new Error(`a fault named "${name}" is already active`);
    const handle = this.world.faults.inject(spec);
    if (name !== undefined) this.named.set(name, handle);
    return handle;
  }

  /** The faults injected with a name (healed ones too, marked so). */
  namedFaults(): ReadonlyMap<string, ActiveFault> {
    return this.named;
  }

  /** Heal a fault injected with a name. */
  heal(name: string): void {
    const handle = this.named.get(name);
    if (handle === undefined) throw new Error(`no fault named "${name}" (active: ${[...this.named].filter(([, h]) => !h.healed).map(([n]) => n).join(', ') || 'none'})`);
    handle.heal();
  }

  /** Kill a running container of a pod with SIGKILL (exit 137); its kubelet restarts it by the pod's restartPolicy. */
  killContainer(pod: string, options: { container?: string; namespace?: string } = {}): void {
    const namespace = options.namespace ?? 'default';
    const node = (this.peek('pods', pod, namespace)?.['spec'] as { nodeName?: string } | undefined)?.nodeName;
    if (node === undefined) throw new Error(`pod "${pod}" is not running on any node`);
    if (this.components.kubelets.get(node)?.killContainer(namespace, pod, options.container) !== true) throw new Error(`pod "${pod}" has no running container${options.container !== undefined ? ` named "${options.container}"` : ''}`);
  }

  /**
   * Watch objects of a kind as a client would (list, then changes, over the
   * simulated network); events arrive while virtual time runs. Returns a stop function.
   */
  watch(kind: ResourceName, handler: (type: 'ADDED' | 'MODIFIED' | 'DELETED', object: KubeObject) => void, options: { namespace?: string; labelSelector?: string } = {}): () => void {
    const t = this.target(kind, undefined, options.namespace);
    if (options.namespace === undefined) delete (t as { namespace?: string }).namespace;
    const handle = this.client.watch({ verb: 'watch', ...t, query: { ...(options.labelSelector !== undefined && { labelSelector: options.labelSelector }) } }, {
      onEvent: (e) => {
        if (e.type === 'ADDED' || e.type === 'MODIFIED' || e.type === 'DELETED') handler(e.type, e.object);
      },
      onClose: () => {},
    });
    return () => handle.stop();
  }
}
