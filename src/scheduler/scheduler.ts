import type { Node, PersistentVolume, PersistentVolumeClaim, Pod, PodCondition } from 'kubernetes-types/core/v1.js';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import type { KubeObject } from '../api/registry/types.js';
import { DEFAULT_EPOCH_MS, rfc3339 } from '../api/server/time.js';
import { EventRecorder, Informer, type ApiClient } from '../client/index.js';
import type { HostContext } from '../faults/index.js';
import { fitErrorMessage, SchedulingAlgorithm } from './algorithm.js';
import { SchedulerCache } from './cache.js';
import type { Listers, Plugin } from './framework.js';
import { PodInfo } from './node-info.js';
import { DEFAULT_PLUGINS } from './plugins/index.js';
import { Nominator } from './nominator.js';
import { preempt } from './preemption.js';
import { SchedulingQueue } from './queue.js';

export interface SchedulerOptions {
  /** spec.schedulerName this scheduler serves (default-scheduler). */
  name?: string;
  /** 0 = adaptive (upstream default). */
  percentageOfNodesToScore?: number;
  plugins?: readonly Plugin[];
  epochMs?: number;
  /** Whether this replica may act now (leader election); always when absent. */
  isLeader?: () => boolean;
}

const key = (p: Pod): string => `${p.metadata?.namespace ?? ''}/${p.metadata?.name ?? ''}`;

/**
 * kube-scheduler (upstream pkg/scheduler): informers feed a cache of nodes
 * and assigned pods and a scheduling queue of pending pods; one pod at a
 * time is taken from the queue, the algorithm picks a node, the pod is
 * assumed there and bound through pods/binding (`Scheduled` "Successfully
 * assigned ns/pod to node"). A pod that fits nowhere gets `FailedScheduling`
 * with upstream's message and `PodScheduled=False, Unschedulable`, may
 * preempt lower-priority pods (nominatedNodeName), and waits for a cluster
 * change.
 */
export class Scheduler {
  readonly name: string;
  readonly cache = new SchedulerCache();
  readonly queue: SchedulingQueue;
  private readonly algorithm: SchedulingAlgorithm;
  private readonly nominator = new Nominator();
  private readonly nodes: Informer;
  private readonly pods: Informer;
  private readonly claims: Informer;
  private readonly volumes: Informer;
  private readonly classes: Informer;
  private readonly budgets: Informer;
  private readonly recorder: EventRecorder;
  private readonly listers: Listers;
  private readonly epochMs: number;
  private running = false;
  private wakeAt: number | undefined;
  /** Bindings sent and scheduling attempts made (for benchmarks and reports). */
  readonly stats = { attempts: 0, bound: 0, unschedulable: 0, preemptions: 0 };

  constructor(
    private readonly host: HostContext,
    private readonly client: ApiClient,
    private readonly options: SchedulerOptions = {},
  ) {
    this.name = options.name ?? 'default-scheduler';
    this.epochMs = options.epochMs ?? DEFAULT_EPOCH_MS;
    this.queue = new SchedulingQueue(() => host.clock.monotonic());
    const rng = host.rng(`scheduler/${this.name}`);
    this.algorithm = new SchedulingAlgorithm(options.plugins ?? DEFAULT_PLUGINS, () => rng.next(), options.percentageOfNodesToScore ?? 0);
    this.algorithm.nominator = this.nominator;
    this.recorder = new EventRecorder(host, client, { component: this.name }, { epochMs: this.epochMs });
    this.nodes = new Informer(host, client, { group: '', version: 'v1', resource: 'nodes' });
    this.pods = new Informer(host, client, { group: '', version: 'v1', resource: 'pods' });
    this.claims = new Informer(host, client, { group: '', version: 'v1', resource: 'persistentvolumeclaims' });
    this.volumes = new Informer(host, client, { group: '', version: 'v1', resource: 'persistentvolumes' });
    this.classes = new Informer(host, client, { group: 'storage.k8s.io', version: 'v1', resource: 'storageclasses' });
    this.budgets = new Informer(host, client, { group: 'policy', version: 'v1', resource: 'poddisruptionbudgets' });
    this.listers = {
      claim: (ns, name) => this.claims.get(ns, name) as PersistentVolumeClaim | undefined,
      persistentVolume: (name) => this.volumes.get(name) as PersistentVolume | undefined,
      storageClass: (name) => this.classes.get(name) as StorageClass | undefined,
    };
    this.nodes.addEventHandler({
      onAdd: (o) => this.nodeChanged(o as Node),
      onUpdate: (_old, o) => this.nodeChanged(o as Node),
      onDelete: (o) => this.cache.removeNode(o.metadata?.name ?? ''),
    });
    this.pods.addEventHandler({
      onAdd: (o) => this.podChanged(o as Pod),
      onUpdate: (_old, o) => this.podChanged(o as Pod),
      onDelete: (o) => this.podDeleted(o as Pod),
    });
    const moved = () => this.clusterChanged();
    for (const i of [this.claims, this.volumes, this.classes]) i.addEventHandler({ onAdd: moved, onUpdate: moved });
  }

  start(): void {
    for (const i of [this.nodes, this.pods, this.claims, this.volumes, this.classes, this.budgets]) i.start();
  }

  private responsible(pod: Pod): boolean {
    return (pod.spec?.schedulerName ?? 'default-scheduler') === this.name;
  }

  private nodeChanged(node: Node): void {
    this.cache.setNode(node);
    this.clusterChanged();
  }

  private podChanged(pod: Pod): void {
    const k = key(pod);
    this.nominator.set(pod, pod.status?.nominatedNodeName);
    if (pod.spec?.nodeName !== undefined && pod.spec.nodeName !== '') {
      this.queue.delete(k);
      const wasTerminal = pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
      this.cache.setPod(pod);
      if (wasTerminal) this.clusterChanged();
      return;
    }
    if (!this.responsible(pod) || pod.metadata?.deletionTimestamp !== undefined) return this.queue.delete(k);
    this.queue.add(k, pod);
    this.kick();
  }

  private podDeleted(pod: Pod): void {
    const k = key(pod);
    this.nominator.delete(k);
    this.queue.delete(k);
    if (pod.spec?.nodeName !== undefined && pod.spec.nodeName !== '') {
      this.cache.removePod(k);
      this.clusterChanged();
    }
  }

  /** Something that may let an unschedulable pod fit happened. */
  private clusterChanged(): void {
    this.queue.moveAllToActiveOrBackoff();
    this.kick();
  }

  /** Run the scheduling loop if it is idle. */
  private kick(): void {
    if (this.running) return;
    this.running = true;
    this.host.after(0, () => this.loop());
  }

  private loop(): void {
    if (!(this.nodes.hasSynced && this.pods.hasSynced) || this.options.isLeader?.() === false) {
      this.running = false;
      this.host.after(100, () => this.kick());
      return;
    }
    const item = this.queue.pop();
    if (item === undefined) {
      this.running = false;
      this.armBackoffTimer();
      return;
    }
    this.scheduleOne(item.key, item.pod);
    this.host.after(0, () => this.loop());
  }

  private armBackoffTimer(): void {
    const due = this.queue.nextBackoffDueMs();
    if (due === undefined || (this.wakeAt !== undefined && this.wakeAt <= due)) return;
    this.wakeAt = due;
    this.host.after(Math.max(1, due - this.host.clock.monotonic()), () => {
      this.wakeAt = undefined;
      this.kick();
    });
  }

  /** upstream schedule_one.go scheduleOne */
  private scheduleOne(k: string, pod: Pod): void {
    this.stats.attempts++;
    const info = new PodInfo(pod);
    const nodes = this.cache.nodeInfos();
    const outcome = this.algorithm.schedule(info, nodes, this.listers, this.cache.index, this.cache.nodesVersion);
    if ('node' in outcome) return this.bind(info, outcome.node);
    let nominated: string | undefined;
    const d = outcome.diagnosis;
    if (outcome.numAllNodes > 0) {
      const p = preempt(this.algorithm, info, nodes, d.nodeToStatus, this.budgets.list() as PodDisruptionBudget[], this.listers);
      if ('candidate' in p) {
        nominated = p.candidate.node;
        this.nominator.set(pod, nominated);
        this.evictVictims(info, p.candidate.node, p.candidate.victims);
      } else d.postFilterMsg = p.message;
    }
    this.stats.unschedulable++;
    const message = outcome.numAllNodes === 0 ? 'no nodes available to schedule pods' : fitErrorMessage(outcome.numAllNodes, d);
    this.recorder.event(pod as KubeObject, 'Warning', 'FailedScheduling', message);
    this.setUnschedulable(pod, message, nominated);
    this.queue.failed(k, 'unschedulable');
    if (nominated !== undefined) this.queue.update(k, { ...pod, status: { ...pod.status, nominatedNodeName: nominated } });
  }

  private bind(info: PodInfo, node: string): void {
    const pod = info.pod;
    const meta = pod.metadata ?? {};
    this.cache.assume(info, node);
    const body = { apiVersion: 'v1', kind: 'Binding', metadata: { name: meta.name, namespace: meta.namespace, ...(meta.uid !== undefined && { uid: meta.uid }) }, target: { apiVersion: 'v1', kind: 'Node', name: node } };
    this.client.request({ verb: 'create', group: '', version: 'v1', resource: 'pods', namespace: meta.namespace ?? '', name: meta.name ?? '', subresource: 'binding', body: body as KubeObject }, (error) => {
      if (error === null) {
        this.stats.bound++;
        this.queue.done(info.key);
        this.recorder.event(pod as KubeObject, 'Normal', 'Scheduled', `Successfully assigned ${meta.namespace}/${meta.name} to ${node}`);
        return;
      }
      this.cache.forget(info.key);
      this.recorder.event(pod as KubeObject, 'Warning', 'FailedScheduling', `Binding rejected: ${error.message}`);
      this.queue.failed(info.key, 'error');
      this.armBackoffTimer();
    });
  }

  /** upstream updatePod: PodScheduled=False, Unschedulable, with the message (written only when it changed). */
  private setUnschedulable(pod: Pod, message: string, nominated: string | undefined): void {
    const current = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
    if (current?.status === 'False' && current.reason === 'Unschedulable' && current.message === message && (nominated === undefined || pod.status?.nominatedNodeName === nominated)) return;
    const condition: PodCondition = { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message, lastProbeTime: null as unknown as string, lastTransitionTime: current?.status === 'False' ? (current.lastTransitionTime ?? rfc3339(this.now())) : rfc3339(this.now()) };
    const body = { status: { conditions: [condition], ...(nominated !== undefined && { nominatedNodeName: nominated }) } };
    this.client.request({ verb: 'patch', patchType: 'strategic', group: '', version: 'v1', resource: 'pods', namespace: pod.metadata?.namespace ?? '', name: pod.metadata?.name ?? '', subresource: 'status', body }, () => {});
  }

  /** upstream preemption prepareCandidate: each victim gets DisruptionTarget and is deleted, with a `Preempted` event. */
  private evictVictims(preemptor: PodInfo, node: string, victims: readonly Pod[]): void {
    this.stats.preemptions++;
    for (const v of victims) {
      const ns = v.metadata?.namespace ?? '';
      const name = v.metadata?.name ?? '';
      const condition = { type: 'DisruptionTarget', status: 'True', reason: 'PreemptionByScheduler', message: `${this.name}: preempting to accommodate a higher priority pod`, lastTransitionTime: rfc3339(this.now()) };
      this.client.request({ verb: 'patch', patchType: 'strategic', group: '', version: 'v1', resource: 'pods', namespace: ns, name, subresource: 'status', body: { status: { conditions: [condition] } } }, () => {
        this.client.request({ verb: 'delete', group: '', version: 'v1', resource: 'pods', namespace: ns, name }, () => {});
      });
      this.recorder.event(v as KubeObject, 'Normal', 'Preempted', `Preempted by pod ${preemptor.pod.metadata?.uid ?? ''} on node ${node}`);
    }
  }

  private now(): number {
    return this.epochMs + this.host.clock.now();
  }
}
