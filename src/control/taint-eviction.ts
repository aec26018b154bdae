import type { Node, Pod, Taint, Toleration } from 'kubernetes-types/core/v1.js';
import { toleratesTaint } from '../api/kinds/taints.js';
import type { KubeObject } from '../api/registry/types.js';
import { DEFAULT_EPOCH_MS, rfc3339 } from '../api/server/time.js';
import { EventRecorder, Informer, type ApiClient } from '../client/index.js';
import type { HostContext } from '../faults/index.js';

/**
 * How long a pod may stay on a node with these NoExecute taints (upstream
 * pkg/controller/tainteviction getMatchingTolerations and
 * getMinTolerationTime): 'now' when some taint is not tolerated, 'forever'
 * when the tolerations used carry no tolerationSeconds, else the smallest
 * tolerationSeconds (negative counts as 0) in ms.
 */
export function tolerationTime(taints: readonly Taint[], tolerations: readonly Toleration[]): 'now' | 'forever' | number {
  const used: Toleration[] = [];
  for (const taint of taints) {
    const t = tolerations.find((x) => toleratesTaint(x, taint));
    if (t === undefined) return 'now';
    used.push(t);
  }
  let min: number | undefined;
  for (const t of used) {
    if (t.tolerationSeconds === undefined || t.tolerationSeconds === null) continue;
    const ms = Math.max(0, t.tolerationSeconds) * 1000;
    min = min === undefined ? ms : Math.min(min, ms);
  }
  return min ?? 'forever';
}

interface Scheduled {
  createdAtMs: number;
  fireAtMs: number;
  cancel(): void;
}

/**
 * The taint eviction controller (upstream pkg/controller/tainteviction,
 * "taint-eviction-controller"): a pod on a node with NoExecute taints it does
 * not tolerate is deleted at once; one tolerating them for a while is deleted
 * when the shortest tolerationSeconds runs out, counted from when the
 * controller saw the taints; one tolerating them forever stays. Before the
 * delete it records `TaintManagerEviction "Marking for deletion Pod ns/name"`
 * and sets the DisruptionTarget condition; a deletion it no longer needs is
 * cancelled with "Cancelling deletion of Pod ns/name".
 */
export class TaintEvictionController {
  private readonly nodes: Informer;
  private readonly pods: Informer;
  private readonly recorder: EventRecorder;
  private readonly scheduled = new Map<string, Scheduled>();
  private readonly epochMs: number;

  constructor(
    private readonly host: HostContext,
    private readonly client: ApiClient,
    options: { epochMs?: number } = {},
  ) {
    this.epochMs = options.epochMs ?? DEFAULT_EPOCH_MS;
    this.nodes = new Informer(host, client, { group: '', version: 'v1', resource: 'nodes' });
    this.pods = new Informer(host, client, { group: '', version: 'v1', resource: 'pods' });
    this.pods.addIndexer('node', (o) => [String((o as Pod).spec?.nodeName ?? '')]);
    this.recorder = new EventRecorder(host, client, { component: 'taint-eviction-controller' }, { epochMs: this.epochMs });
    this.nodes.addEventHandler({
      onAdd: (o) => this.nodeChanged(o as Node),
      onUpdate: (_old, o) => this.nodeChanged(o as Node),
    });
    this.pods.addEventHandler({
      onAdd: (o) => this.podChanged(o as Pod),
      onUpdate: (_old, o) => this.podChanged(o as Pod),
      onDelete: (o) => this.cancel(key(o as Pod), false),
    });
  }

  private active: () => boolean = () => true;

  /** Act only while `active` says so (leader election); a deletion due meanwhile waits. */
  gate(active: () => boolean): void {
    this.active = active;
  }

  start(): void {
    this.nodes.start();
    this.pods.start();
  }

  private nodeChanged(node: Node): void {
    for (const o of this.pods.byIndex('node', node.metadata?.name ?? '')) this.process(o as Pod, noExecute(node));
  }

  private podChanged(pod: Pod): void {
    const nodeName = pod.spec?.nodeName;
    if (nodeName === undefined || nodeName === '') return;
    const node = this.nodes.get(nodeName) as Node | undefined;
    if (node !== undefined) this.process(pod, noExecute(node));
  }

  /** upstream processPodOnNode */
  private process(pod: Pod, taints: Taint[]): void {
    const k = key(pod);
    if (pod.metadata?.deletionTimestamp !== undefined) return;
    if (taints.length === 0) return this.cancel(k, true);
    const time = tolerationTime(taints, pod.spec?.tolerations ?? []);
    if (time === 'forever') return this.cancel(k, true);
    const now = this.host.clock.monotonic();
    if (time === 'now') {
      this.cancel(k, true);
      return this.schedule(pod, now, now);
    }
    const existing = this.scheduled.get(k);
    let created = now;
    if (existing !== undefined) {
      created = existing.createdAtMs;
      // An eviction already due sooner stands.
      if (created + time < now + time) return;
      this.cancel(k, true);
    }
    this.schedule(pod, created, created + time);
  }

  private schedule(pod: Pod, createdAtMs: number, fireAtMs: number): void {
    const k = key(pod);
    const fire = (): void => {
      if (!this.active()) {
        const retry = this.host.after(500, fire);
        this.scheduled.set(k, { createdAtMs, fireAtMs, cancel: () => retry.cancel() });
        return;
      }
      this.scheduled.delete(k);
      this.evict(pod);
    };
    const timer = this.host.after(Math.max(0, fireAtMs - this.host.clock.monotonic()), fire);
    this.scheduled.set(k, { createdAtMs, fireAtMs, cancel: () => timer.cancel() });
  }

  private cancel(k: string, withEvent: boolean): void {
    const s = this.scheduled.get(k);
    if (s === undefined) return;
    s.cancel();
    this.scheduled.delete(k);
    if (!withEvent) return;
    const pod = this.pods.get(...(k.split('/') as [string, string]));
    if (pod !== undefined) this.recorder.event(pod, 'Normal', 'TaintManagerEviction', `Cancelling deletion of Pod ${k}`);
  }

  /** upstream addConditionAndDeletePod, after emitPodDeletionEvent. */
  private evict(pod: Pod): void {
    const current = (this.pods.get(pod.metadata?.namespace ?? '', pod.metadata?.name ?? '') as Pod | undefined) ?? pod;
    const ns = current.metadata?.namespace ?? '';
    const name = current.metadata?.name ?? '';
    this.recorder.event(current as KubeObject, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${ns}/${name}`);
    const condition = { type: 'DisruptionTarget', status: 'True', reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint', lastTransitionTime: rfc3339(this.epochMs + this.host.clock.now()) };
    const conditions = [...(current.status?.conditions ?? []).filter((c) => c.type !== 'DisruptionTarget'), condition];
    const body = { ...current, status: { ...current.status, conditions } } as KubeObject;
    this.client.request({ verb: 'update', group: '', version: 'v1', resource: 'pods', namespace: ns, name, subresource: 'status', body }, () => {
      this.client.request({ verb: 'delete', group: '', version: 'v1', resource: 'pods', namespace: ns, name, ...(current.metadata?.uid !== undefined && { preconditions: { uid: current.metadata.uid } }) }, (error) => {
        // A failed delete is tried again when the pod or node next changes; a pod already gone is done.
        if (error !== null) this.host.log('taint-eviction.retry', { pod: `${ns}/${name}` });
      });
    });
  }
}

const key = (pod: Pod): string => `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
const noExecute = (node: Node): Taint[] => (node.spec?.taints ?? []).filter((t) => t.effect === 'NoExecute');
