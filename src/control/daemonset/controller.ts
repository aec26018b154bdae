import { jsonEqual } from '../../api/json-clone.js';
import type { DaemonSet, DaemonSetStatus } from 'kubernetes-types/apps/v1.js';
import type { Node, Pod, Toleration } from 'kubernetes-types/core/v1.js';
import { tolerationsTolerateTaint } from '../../api/kinds/taints.js';
import type { KubeObject } from '../../api/registry/types.js';
import { DEFAULT_EPOCH_MS } from '../../api/server/time.js';
import { EventRecorder, Informer, WorkQueue, type ApiClient } from '../../client/index.js';
import type { HostContext } from '../../faults/index.js';
import { computeHash, scaled } from '../deployment/util.js';
import { Expectations } from '../expectations.js';
import { ownerEvents } from '../owner-events.js';
import { controllerOf, isPodAvailable, isPodReady, podFromTemplate } from '../pod-util.js';
import { podMatchesNodeSelectorAndAffinity } from '../../scheduler/plugins/node-affinity.js';
import { NodeInfo } from '../../scheduler/node-info.js';

const REVISION = 'controller-revision-hash';
const keyOf = (o: { metadata?: { namespace?: string; name?: string } }) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

/** upstream util.AddOrUpdateDaemonPodTolerations: daemon pods stay through node problems and pressure. */
const DAEMON_TOLERATIONS: Toleration[] = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
];

/** upstream NodeShouldRunDaemonPod: the node matches the pod's selector and affinity, and the pod tolerates its NoSchedule/NoExecute taints. */
export function nodeShouldRunDaemonPod(ds: DaemonSet, node: Node): boolean {
  const pod = { spec: { ...ds.spec?.template?.spec, containers: ds.spec?.template?.spec?.containers ?? [] } } as Pod;
  if (!podMatchesNodeSelectorAndAffinity(pod, new NodeInfo(node.metadata?.name ?? '', node))) return false;
  const tolerations = [...(pod.spec?.tolerations ?? []), ...DAEMON_TOLERATIONS];
  return (node.spec?.taints ?? []).every((t) => (t.effect !== 'NoSchedule' && t.effect !== 'NoExecute') || tolerationsTolerateTaint(tolerations, t));
}

/**
 * The DaemonSet controller (upstream pkg/controller/daemon): one pod on
 * every eligible node, pinned there by node affinity on metadata.name and
 * bound by the scheduler; pods on nodes that no longer qualify are
 * removed, failed ones replaced (`FailedDaemonPod`); a RollingUpdate
 * replaces pods of an old template at most maxUnavailable at a time;
 * OnDelete only when they are deleted.
 */
export class DaemonSetController {
  private readonly sets: Informer;
  private readonly nodes: Informer;
  private readonly pods: Informer;
  readonly queue: WorkQueue;
  private readonly expectations: Expectations;
  private readonly recorder: EventRecorder;
  private readonly epochMs: number;

  constructor(
    private readonly host: HostContext,
    private readonly client: ApiClient,
    options: { epochMs?: number } = {},
  ) {
    this.epochMs = options.epochMs ?? DEFAULT_EPOCH_MS;
    this.sets = new Informer(host, client, { group: 'apps', version: 'v1', resource: 'daemonsets' });
    this.nodes = new Informer(host, client, { group: '', version: 'v1', resource: 'nodes' });
    this.pods = new Informer(host, client, { group: '', version: 'v1', resource: 'pods' });
    this.pods.addIndexer('owner', (o) => [controllerOf(o as Pod)?.uid ?? '']);
    this.queue = new WorkQueue(host);
    this.expectations = new Expectations(() => host.clock.monotonic());
    this.recorder = new EventRecorder(host, client, { component: 'daemonset-controller' }, { epochMs: this.epochMs });
    const all = () => {
      for (const s of this.sets.list()) this.queue.add(keyOf(s));
    };
    this.sets.addEventHandler({ onAdd: (o) => this.queue.add(keyOf(o)), onUpdate: (_o, n) => this.queue.add(keyOf(n)) });
    this.nodes.addEventHandler({ onAdd: all, onUpdate: all, onDelete: all });
    this.pods.addEventHandler(ownerEvents('DaemonSet', this.queue, this.expectations));
  }

  gate(active: () => boolean): void {
    this.queue.gate(active);
  }

  start(): void {
    for (const i of [this.sets, this.nodes, this.pods]) i.start();
    this.queue.run(2, (key, done) => this.sync(key, done));
  }

  private sync(key: string, done: () => void): void {
    const [ns, name] = key.split('/') as [string, string];
    const ds = this.sets.get(ns, name) as DaemonSet | undefined;
    if (ds === undefined || !this.nodes.hasSynced || !this.pods.hasSynced || !this.expectations.satisfied(key)) return done();
    const hash = computeHash(ds.spec?.template, ds.status?.collisionCount ?? 0);
    const pods = (this.pods.byIndex('owner', ds.metadata?.uid ?? '') as Pod[]).filter((p) => p.metadata?.deletionTimestamp === undefined);
    const byNode = new Map<string, Pod[]>();
    for (const p of pods) {
      const n = nodeOfDaemonPod(p);
      if (!byNode.has(n)) byNode.set(n, []);
      byNode.get(n)!.push(p);
    }
    const nodes = (this.nodes.list() as Node[]).sort((a, b) => ((a.metadata?.name ?? '') < (b.metadata?.name ?? '') ? -1 : 1));
    const create: string[] = [];
    const remove: Pod[] = [];
    let desired = 0;
    let misscheduled = 0;
    for (const node of nodes) {
      const n = node.metadata?.name ?? '';
      const should = nodeShouldRunDaemonPod(ds, node);
      const here = byNode.get(n) ?? [];
      if (should) desired++;
      if (!should) {
        if (here.length > 0) misscheduled++;
        remove.push(...here);
        continue;
      }
      const failed = here.filter((p) => p.status?.phase === 'Failed');
      for (const p of failed) this.recorder.event(ds as KubeObject, 'Warning', 'FailedDaemonPod', `Found failed daemon pod ${ns}/${p.metadata?.name ?? ''} on node ${n}, will try to kill it`);
      remove.push(...failed);
      const alive = here.filter((p) => p.status?.phase !== 'Failed');
      if (alive.length === 0) create.push(n);
      else if (alive.length > 1) remove.push(...alive.slice(1));
    }
    // Rolling update: replace old-template pods while few enough are unavailable.
    if ((ds.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate') {
      const maxUnavailable = Math.max(1, scaled(ds.spec?.updateStrategy?.rollingUpdate?.maxUnavailable ?? 1, desired, true));
      const now = this.epochMs + this.host.clock.now();
      const alive = pods.filter((p) => p.status?.phase !== 'Failed' && !remove.includes(p));
      let unavailable = create.length + alive.filter((p) => !isPodAvailable(p, ds.spec?.minReadySeconds ?? 0, now)).length;
      const old = alive.filter((p) => p.metadata?.labels?.[REVISION] !== hash).sort((a, b) => Number(isPodAvailable(a, 0, now)) - Number(isPodAvailable(b, 0, now)));
      for (const p of old) {
        const wasAvailable = isPodAvailable(p, ds.spec?.minReadySeconds ?? 0, now);
        if (wasAvailable && unavailable >= maxUnavailable) break;
        remove.push(p);
        if (wasAvailable) unavailable++;
      }
    }
    this.expectations.expectCreations(key, create.length);
    if (remove.length > 0) this.expectations.expectDeletions(key, remove.map(keyOf));
    let pending = create.length + remove.length + 1;
    const after = () => {
      if (--pending > 0) return;
      this.writeStatus(ds, pods, desired, misscheduled, hash, done);
    };
    for (const n of create) {
      const pod = podFromTemplate(ds.spec?.template, ns, name, { apiVersion: 'apps/v1', kind: 'DaemonSet', name, uid: ds.metadata?.uid ?? '' });
      pod.metadata!.labels = { ...pod.metadata!.labels, [REVISION]: hash };
      // upstream ReplaceDaemonSetPodNodeNameNodeAffinity: pinned to its node, placed by the scheduler.
      pod.spec!.affinity = { ...pod.spec!.affinity, nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [n] }] }] } } };
      pod.spec!.tolerations = [...(pod.spec!.tolerations ?? []), ...DAEMON_TOLERATIONS.filter((t) => !(pod.spec!.tolerations ?? []).some((x) => x.key === t.key && x.effect === t.effect))];
      this.client.request({ verb: 'create', group: '', version: 'v1', resource: 'pods', namespace: ns, body: pod as KubeObject }, (error, body) => {
        if (error === null) this.recorder.event(ds as KubeObject, 'Normal', 'SuccessfulCreate', `Created pod: ${body?.metadata?.name ?? ''}`);
        else {
          this.expectations.creationObserved(key);
          this.recorder.event(ds as KubeObject, 'Warning', 'FailedCreate', `Error creating: ${error.message}`);
        }
        after();
      });
    }
    for (const p of remove) {
      this.client.request({ verb: 'delete', group: '', version: 'v1', resource: 'pods', namespace: ns, name: p.metadata?.name ?? '' }, (error) => {
        if (error === null) this.recorder.event(ds as KubeObject, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata?.name ?? ''}`);
        else this.expectations.deletionObserved(key, keyOf(p));
        after();
      });
    }
    after();
  }

  /** upstream updateDaemonSetStatus */
  private writeStatus(ds: DaemonSet, pods: Pod[], desired: number, misscheduled: number, hash: string, done: () => void): void {
    const now = this.epochMs + this.host.clock.now();
    const scheduled = new Set(pods.filter((p) => p.status?.phase !== 'Failed').map(nodeOfDaemonPod));
    const ready = pods.filter(isPodReady).length;
    const available = pods.filter((p) => isPodAvailable(p, ds.spec?.minReadySeconds ?? 0, now)).length;
    const status: DaemonSetStatus = {
      currentNumberScheduled: scheduled.size - misscheduled,
      numberMisscheduled: misscheduled,
      desiredNumberScheduled: desired,
      numberReady: ready,
      ...(ds.metadata?.generation !== undefined && { observedGeneration: ds.metadata.generation }),
      updatedNumberScheduled: pods.filter((p) => p.metadata?.labels?.[REVISION] === hash).length,
      numberAvailable: available,
      numberUnavailable: Math.max(0, desired - available),
    };
    const compact = Object.fromEntries(Object.entries(status).filter(([k, v]) => v !== 0 || ['currentNumberScheduled', 'numberMisscheduled', 'desiredNumberScheduled', 'numberReady'].includes(k)));
    if (jsonEqual(compact, ds.status ?? {})) return done();
    this.client.request({ verb: 'update', group: 'apps', version: 'v1', resource: 'daemonsets', namespace: ds.metadata?.namespace ?? '', name: ds.metadata?.name ?? '', subresource: 'status', body: { ...ds, status: compact } as KubeObject }, (error) => {
      if (error !== null) this.queue.addRateLimited(keyOf(ds));
      done();
    });
  }
}

/** The node a daemon pod is for: where it runs, or the node its affinity pins it to. */
function nodeOfDaemonPod(p: Pod): string {
  if (p.spec?.nodeName !== undefined && p.spec.nodeName !== '') return p.spec.nodeName;
  const field = p.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms?.[0]?.matchFields?.find((f) => f.key === 'metadata.name');
  return field?.values?.[0] ?? '';
}
