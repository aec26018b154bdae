import { jsonEqual } from '../../api/json-clone.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { PodDisruptionBudget, PodDisruptionBudgetStatus } from 'kubernetes-types/policy/v1.js';
import { labelSelectorAsSelector } from '../../api/labels/index.js';
import type { KubeObject } from '../../api/registry/types.js';
import { DEFAULT_EPOCH_MS, parseRfc3339, rfc3339 } from '../../api/server/time.js';
import { Informer, WorkQueue, type ApiClient } from '../../client/index.js';
import type { HostContext } from '../../faults/index.js';
import { scaled } from '../deployment/util.js';
import { controllerOf, isPodReady } from '../pod-util.js';

/** upstream DeletionTimeout: a pod recorded as disrupted that is not deleted within 2 minutes counts again. */
const DELETION_TIMEOUT_MS = 120_000;
const keyOf = (o: { metadata?: { namespace?: string; name?: string } }) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

/** The replicas of a pod's controller (upstream getExpectedScale finders): ReplicaSet (and its Deployment's), StatefulSet, ReplicationController. */
export type ScaleOf = (pod: Pod) => number | undefined;

/**
 * A PodDisruptionBudget's status (upstream disruption.go
 * getExpectedPodCount, countHealthyPods, updatePdbStatus): an integer
 * minAvailable expects the matching pods as they are; a percentage or
 * maxUnavailable counts against the replicas of the pods' controllers;
 * healthy pods are ready and not being deleted nor recently evicted;
 * disruptionsAllowed = healthy − desired, at least 0.
 */
export function budgetStatus(pdb: PodDisruptionBudget, pods: readonly Pod[], scaleOf: ScaleOf, nowMs: number): PodDisruptionBudgetStatus {
  const disrupted: Record<string, string> = {};
  for (const [name, at] of Object.entries(pdb.status?.disruptedPods ?? {})) {
    const pod = pods.find((p) => p.metadata?.name === name);
    if (pod !== undefined && pod.metadata?.deletionTimestamp === undefined && parseRfc3339(at) + DELETION_TIMEOUT_MS > nowMs) disrupted[name] = at;
  }
  let expected: number;
  let desired: number;
  const min = pdb.spec?.minAvailable;
  const maxUnavailable = pdb.spec?.maxUnavailable;
  if (typeof min === 'number') {
    expected = pods.length;
    desired = min;
  } else {
    const controllers = new Map<string, number>();
    for (const p of pods) {
      const ref = controllerOf(p);
      if (ref !== undefined && !controllers.has(ref.uid)) controllers.set(ref.uid, scaleOf(p) ?? 0);
    }
    expected = [...controllers.values()].reduce((a, b) => a + b, 0);
    desired = min !== undefined ? scaled(min, expected, true) : Math.max(0, expected - scaled(maxUnavailable ?? 0, expected, true));
  }
  const healthy = pods.filter((p) => p.metadata?.deletionTimestamp === undefined && disrupted[p.metadata?.name ?? ''] === undefined && isPodReady(p)).length;
  const allowed = Math.max(0, healthy - desired);
  const previous = pdb.status?.conditions?.find((c) => c.type === 'DisruptionAllowed');
  const status = allowed > 0 ? 'True' : 'False';
  const reason = allowed > 0 ? 'SufficientPods' : 'InsufficientPods';
  return {
    disruptionsAllowed: allowed,
    currentHealthy: healthy,
    desiredHealthy: desired,
    expectedPods: expected,
    ...(Object.keys(disrupted).length > 0 && { disruptedPods: disrupted }),
    ...(pdb.metadata?.generation !== undefined && { observedGeneration: pdb.metadata.generation }),
    conditions: [{ type: 'DisruptionAllowed', status, reason, message: '', observedGeneration: pdb.metadata?.generation ?? 0, lastTransitionTime: previous?.status === status ? previous.lastTransitionTime : rfc3339(nowMs) }],
  };
}

/**
 * The disruption controller (upstream pkg/controller/disruption): keeps
 * every PodDisruptionBudget's status current as its pods and their
 * controllers change, which is what the eviction subresource consults.
 */
export class DisruptionController {
  private readonly budgets: Informer;
  private readonly pods: Informer;
  private readonly scales: Informer[];
  readonly queue: WorkQueue;
  private readonly epochMs: number;

  constructor(
    private readonly host: HostContext,
    private readonly client: ApiClient,
    options: { epochMs?: number } = {},
  ) {
    this.epochMs = options.epochMs ?? DEFAULT_EPOCH_MS;
    this.budgets = new Informer(host, client, { group: 'policy', version: 'v1', resource: 'poddisruptionbudgets' });
    this.pods = new Informer(host, client, { group: '', version: 'v1', resource: 'pods' });
    this.scales = [
      new Informer(host, client, { group: 'apps', version: 'v1', resource: 'replicasets' }),
      new Informer(host, client, { group: 'apps', version: 'v1', resource: 'statefulsets' }),
      new Informer(host, client, { group: 'apps', version: 'v1', resource: 'deployments' }),
    ];
    this.queue = new WorkQueue(host);
    const all = () => {
      for (const b of this.budgets.list()) this.queue.add(keyOf(b));
    };
    this.budgets.addEventHandler({ onAdd: (o) => this.queue.add(keyOf(o)), onUpdate: (_o, n) => this.queue.add(keyOf(n)) });
    const podChanged = (o: KubeObject) => {
      for (const b of this.budgets.list()) if (b.metadata?.namespace === o.metadata?.namespace) this.queue.add(keyOf(b));
    };
    this.pods.addEventHandler({ onAdd: podChanged, onUpdate: (_o, n) => podChanged(n), onDelete: podChanged });
    for (const s of this.scales) s.addEventHandler({ onUpdate: all });
  }

  gate(active: () => boolean): void {
    this.queue.gate(active);
  }

  start(): void {
    for (const i of [this.budgets, this.pods, ...this.scales]) i.start();
    this.queue.run(1, (key, done) => this.sync(key, done));
  }

  /** A pod's controller's replicas; a Deployment's when the ReplicaSet belongs to one (upstream getPodDeployment). */
  private scaleOf = (pod: Pod): number | undefined => {
    const ref = controllerOf(pod);
    const ns = pod.metadata?.namespace ?? '';
    if (ref?.kind === 'ReplicaSet') {
      const rs = this.scales[0]!.get(ns, ref.name);
      const owner = rs === undefined ? undefined : controllerOf(rs as Pod);
      const d = owner?.kind === 'Deployment' ? this.scales[2]!.get(ns, owner.name) : undefined;
      return ((d ?? rs)?.['spec'] as { replicas?: number } | undefined)?.replicas ?? 1;
    }
    if (ref?.kind === 'StatefulSet') return ((this.scales[1]!.get(ns, ref.name)?.['spec'] as { replicas?: number } | undefined)?.replicas ?? 1);
    return undefined;
  };

  private sync(key: string, done: () => void): void {
    const [ns, name] = key.split('/') as [string, string];
    const pdb = this.budgets.get(ns, name) as PodDisruptionBudget | undefined;
    if (pdb === undefined || !this.pods.hasSynced) return done();
    const selector = labelSelectorAsSelector(pdb.spec?.selector ?? null);
    const pods = (this.pods.list() as Pod[]).filter((p) => p.metadata?.namespace === ns && !selector.empty && selector.matches(p.metadata?.labels ?? {}));
    const status = budgetStatus(pdb, pods, this.scaleOf, this.epochMs + this.host.clock.now());
    if (jsonEqual(status, pdb.status ?? {})) return done();
    this.client.request({ verb: 'update', group: 'policy', version: 'v1', resource: 'poddisruptionbudgets', namespace: ns, name, subresource: 'status', body: { ...pdb, status } as KubeObject }, (error) => {
      if (error !== null) this.queue.addRateLimited(key);
      // Recently disrupted pods count again after the deletion timeout.
      if (status.disruptedPods !== undefined) this.queue.addAfter(key, DELETION_TIMEOUT_MS);
      done();
    });
  }
}
