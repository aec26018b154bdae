import type { Node, NodeCondition, Pod, Taint } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/registry/types.js';
import { DEFAULT_EPOCH_MS, rfc3339 } from '../../api/server/time.js';
import { EventRecorder, Informer, WorkQueue, type ApiClient } from '../../client/index.js';
import type { HostContext } from '../../faults/index.js';
import { NODE_MONITOR_PERIOD_MS, observeNodeHealth, type NodeHealth } from './health.js';
import { hasTaint, noScheduleTaintChange, NOT_READY_NO_EXECUTE, swapTaints, UNREACHABLE_NO_EXECUTE } from './taints.js';
import { computeZoneState, EVICTION_LIMITER_QPS, RateLimitedQueue, TokenBucket, zoneEvictionQps, zoneKey, type ZoneState } from './zones.js';

/** upstream nodeEvictionPeriod: how often the NoExecute tainting queues are tried. */
const TAINTING_PERIOD_MS = 100;

/**
 * The node lifecycle controller (upstream pkg/controller/nodelifecycle): it
 * watches Nodes, their Leases and their pods; every 5 s it marks a silent
 * node's conditions Unknown, marks its pods not Ready (`NodeNotReady`), and
 * queues the node for the NoExecute `not-ready`/`unreachable` taint, added
 * at the zone's eviction rate (0.1 nodes/s; 0.01 or none in a partially
 * disrupted zone; none at all when every zone is fully disrupted); it also
 * keeps each node's NoSchedule taints in step with its conditions and
 * cordon. Evicting the pods is the taint eviction controller's work.
 */
export class NodeLifecycleController {
  private readonly nodes: Informer;
  private readonly leases: Informer;
  private readonly pods: Informer;
  private readonly recorder: EventRecorder;
  private readonly noScheduleQueue: WorkQueue;
  private readonly health = new Map<string, NodeHealth>();
  private readonly zoneStates = new Map<string, ZoneState>();
  private readonly tainters = new Map<string, RateLimitedQueue>();
  private taintingScheduled = false;
  private readonly epochMs: number;

  constructor(
    private readonly host: HostContext,
    private readonly client: ApiClient,
    options: { epochMs?: number } = {},
  ) {
    this.epochMs = options.epochMs ?? DEFAULT_EPOCH_MS;
    this.nodes = new Informer(host, client, { group: '', version: 'v1', resource: 'nodes' });
    this.leases = new Informer(host, client, { group: 'coordination.k8s.io', version: 'v1', resource: 'leases', namespace: 'kube-node-lease' });
    this.pods = new Informer(host, client, { group: '', version: 'v1', resource: 'pods' });
    this.pods.addIndexer('node', (o) => [String((o as Pod).spec?.nodeName ?? '')]);
    this.recorder = new EventRecorder(host, client, { component: 'node-controller' }, { epochMs: this.epochMs });
    this.noScheduleQueue = new WorkQueue(host);
    const enqueue = (o: KubeObject) => this.noScheduleQueue.add(String(o.metadata?.name ?? ''));
    this.nodes.addEventHandler({ onAdd: enqueue, onUpdate: (_old, o) => enqueue(o), onDelete: (o) => this.forget(o as Node) });
  }

  private active: () => boolean = () => true;

  /** Act only while `active` says so (leader election); caches stay warm meanwhile. */
  gate(active: () => boolean): void {
    this.active = active;
    this.noScheduleQueue.gate(active);
  }

  start(): void {
    this.nodes.start();
    this.leases.start();
    this.pods.start();
    this.noScheduleQueue.run(1, (name, done) => this.noScheduleTaintingPass(name, done));
    this.host.after(NODE_MONITOR_PERIOD_MS, () => this.monitorLoop());
  }

  private nowMs(): number {
    return this.host.clock.now();
  }

  private nowText(): string {
    return rfc3339(this.epochMs + this.nowMs());
  }

  private forget(node: Node): void {
    const name = node.metadata?.name ?? '';
    this.health.delete(name);
    for (const q of this.tainters.values()) q.remove(name);
  }

  /** upstream doNoScheduleTaintingPass for one node. */
  private noScheduleTaintingPass(name: string, done: () => void): void {
    const node = this.nodes.get(name) as Node | undefined;
    if (node === undefined) return done();
    const { add, remove } = noScheduleTaintChange(node);
    if (add.length === 0 && remove.length === 0) return done();
    this.writeTaints(node, add, remove, (ok) => {
      if (!ok) this.noScheduleQueue.addRateLimited(name);
      done();
    });
  }

  /** upstream SwapNodeControllerTaint: a patch of spec.taints, guarded by the resourceVersion read. */
  private writeTaints(node: Node, add: readonly Taint[], remove: readonly Taint[], done: (ok: boolean) => void): void {
    const taints = swapTaints(node, add, remove, this.nowText());
    if (taints === undefined) return done(true);
    const body = { metadata: { resourceVersion: node.metadata?.resourceVersion }, spec: { taints } };
    this.client.request({ verb: 'patch', patchType: 'merge', group: '', version: 'v1', resource: 'nodes', name: node.metadata?.name ?? '', body }, (error) => done(error === null));
  }

  private monitorLoop(): void {
    if (this.nodes.hasSynced && this.leases.hasSynced && this.pods.hasSynced && this.active()) this.monitorNodeHealth();
    this.host.after(NODE_MONITOR_PERIOD_MS, () => this.monitorLoop());
  }

  /** upstream monitorNodeHealth: one pass over every node, then the zones' disruption states. */
  private monitorNodeHealth(): void {
    const nodes = (this.nodes.list() as Node[]).slice().sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
    const zones = new Map<string, Array<NodeCondition | undefined>>();
    for (const node of nodes) {
      const name = node.metadata?.name ?? '';
      const lease = this.leases.get('kube-node-lease', name) as { spec?: { renewTime?: string } } | undefined;
      const seen = observeNodeHealth(node, this.health.get(name), lease?.spec?.renewTime, this.nowMs(), this.nowText());
      this.health.set(name, seen.health);
      if (seen.unknownConditions !== undefined) {
        const body = { ...node, status: { ...node.status, conditions: seen.unknownConditions } };
        this.client.request({ verb: 'update', group: '', version: 'v1', resource: 'nodes', name, subresource: 'status', body: body as KubeObject }, () => {});
      }
      const zone = zoneKey(node);
      if (!zones.has(zone)) zones.set(zone, []);
      zones.get(zone)!.push(seen.currentReady);
      if (seen.currentReady === undefined) continue;
      this.processTaintBaseEviction(node, seen.observedReady);
      if (seen.currentReady.status !== 'True' && seen.observedReady.status === 'True') {
        // upstream RecordNodeStatusChange, then MarkPodsNotReady
        this.recorder.event(node as KubeObject, 'Normal', 'NodeNotReady', `Node ${name} status is now: NodeNotReady`);
        this.markPodsNotReady(name);
      }
    }
    this.handleDisruption(zones, nodes);
    this.scheduleTainting();
  }

  /** upstream processTaintBaseEviction, from the Ready condition seen before this pass. */
  private processTaintBaseEviction(node: Node, observed: NodeCondition): void {
    const name = node.metadata?.name ?? '';
    const tainter = this.tainter(zoneKey(node));
    if (observed.status === 'False') {
      if (hasTaint(node, UNREACHABLE_NO_EXECUTE)) this.writeTaints(node, [NOT_READY_NO_EXECUTE], [UNREACHABLE_NO_EXECUTE], () => {});
      else if (!hasTaint(node, NOT_READY_NO_EXECUTE)) tainter.add(name);
    } else if (observed.status === 'Unknown') {
      if (hasTaint(node, NOT_READY_NO_EXECUTE)) this.writeTaints(node, [UNREACHABLE_NO_EXECUTE], [NOT_READY_NO_EXECUTE], () => {});
      else if (!hasTaint(node, UNREACHABLE_NO_EXECUTE)) tainter.add(name);
    } else {
      // markNodeAsReachable: the node is healthy again.
      tainter.remove(name);
      this.writeTaints(node, [], [NOT_READY_NO_EXECUTE, UNREACHABLE_NO_EXECUTE], () => {});
    }
  }

  private tainter(zone: string): RateLimitedQueue {
    let q = this.tainters.get(zone);
    if (q === undefined) {
      q = new RateLimitedQueue(new TokenBucket(EVICTION_LIMITER_QPS, this.nowMs()));
      this.tainters.set(zone, q);
    }
    return q;
  }

  /** upstream doNoExecuteTaintingPass: taint the queued nodes at each zone's rate, mutually exclusive not-ready/unreachable. */
  private scheduleTainting(): void {
    if (this.taintingScheduled) return;
    let wait = Infinity;
    for (const q of this.tainters.values()) if (q.size > 0) wait = Math.min(wait, q.limiter.waitMs(this.nowMs()));
    if (wait === Infinity) return;
    this.taintingScheduled = true;
    this.host.after(Math.max(TAINTING_PERIOD_MS, wait), () => {
      this.taintingScheduled = false;
      if (this.active()) this.doNoExecuteTaintingPass();
      this.scheduleTainting();
    });
  }

  private doNoExecuteTaintingPass(): void {
    for (const q of this.tainters.values()) {
      q.try(this.nowMs(), (name) => {
        const node = this.nodes.get(name) as Node | undefined;
        const ready = node?.status?.conditions?.find((c) => c.type === 'Ready');
        if (node === undefined || ready === undefined) return true;
        if (ready.status === 'False') this.writeTaints(node, [NOT_READY_NO_EXECUTE], [UNREACHABLE_NO_EXECUTE], () => {});
        else if (ready.status === 'Unknown') this.writeTaints(node, [UNREACHABLE_NO_EXECUTE], [NOT_READY_NO_EXECUTE], () => {});
        return true;
      });
    }
  }

  /** upstream MarkPodsNotReady: each pod's Ready condition turns False (ContainersReady stays), with a `NodeNotReady` event. */
  private markPodsNotReady(nodeName: string): void {
    for (const o of this.pods.byIndex('node', nodeName)) {
      const pod = o as Pod;
      const conditions = pod.status?.conditions ?? [];
      const i = conditions.findIndex((c) => c.type === 'Ready');
      if (i < 0 || conditions[i]!.status === 'False') continue;
      const next = conditions.map((c, j) => (j === i ? { ...c, status: 'False', lastTransitionTime: this.nowText() } : c));
      const body = { ...pod, status: { ...pod.status, conditions: next } };
      this.client.request({ verb: 'update', group: '', version: 'v1', resource: 'pods', namespace: pod.metadata?.namespace ?? '', name: pod.metadata?.name ?? '', subresource: 'status', body: body as KubeObject }, (error) => {
        if (error === null) this.recorder.event(o, 'Warning', 'NodeNotReady', 'Node is not ready');
      });
    }
  }

  /** upstream handleDisruption: zone states set each zone's tainting rate; all zones fully disrupted stops tainting and lifts the taints. */
  private handleDisruption(zones: Map<string, Array<NodeCondition | undefined>>, nodes: readonly Node[]): void {
    const next = new Map<string, ZoneState>();
    let allFull = true;
    for (const [zone, conditions] of zones) {
      const state = computeZoneState(conditions);
      if (state !== 'FullDisruption') allFull = false;
      next.set(zone, state);
      if (!this.zoneStates.has(zone)) this.zoneStates.set(zone, 'Initial');
    }
    let allWereFull = true;
    for (const [zone, state] of [...this.zoneStates]) {
      if (!zones.has(zone)) {
        this.zoneStates.delete(zone);
        continue;
      }
      if (state !== 'FullDisruption') {
        allWereFull = false;
        break;
      }
    }
    if (allFull && allWereFull) return;
    const now = this.nowMs();
    if (allFull) {
      // "Controller detected that all Nodes are not-Ready. Entering master disruption mode"
      for (const node of nodes) {
        this.tainter(zoneKey(node)).remove(node.metadata?.name ?? '');
        this.writeTaints(node, [], [NOT_READY_NO_EXECUTE, UNREACHABLE_NO_EXECUTE], () => {});
      }
      for (const zone of this.zoneStates.keys()) {
        this.tainter(zone).limiter.swap(0, now);
        this.zoneStates.set(zone, 'FullDisruption');
      }
      return;
    }
    if (allWereFull) {
      // "Exiting master disruption mode": every node gets a fresh probe time.
      for (const [name, h] of this.health) this.health.set(name, { ...h, probeMs: now, readyTransitionMs: now });
      for (const zone of this.zoneStates.keys()) {
        this.tainter(zone).limiter.swap(zoneEvictionQps(next.get(zone)!, zones.get(zone)!.length), now);
        this.zoneStates.set(zone, next.get(zone)!);
      }
      return;
    }
    for (const [zone, state] of this.zoneStates) {
      const s = next.get(zone)!;
      if (s === state) continue;
      this.tainter(zone).limiter.swap(zoneEvictionQps(s, zones.get(zone)!.length), now);
      this.zoneStates.set(zone, s);
    }
  }
}
