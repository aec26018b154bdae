import { jsonEqual } from '../../api/json-clone.js';
import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { labelSelectorAsSelector } from '../../api/labels/index.js';
import type { KubeObject } from '../../api/registry/types.js';
import { DEFAULT_EPOCH_MS, rfc3339 } from '../../api/server/time.js';
import { EventRecorder, Informer, WorkQueue, type ApiClient, type ClientError } from '../../client/index.js';
import type { HostContext } from '../../faults/index.js';
import { Expectations } from '../expectations.js';
import { controllerOf, isPodActive, podFromTemplate } from '../pod-util.js';
import { podsToDelete } from './rank.js';
import { replicaSetStatus } from './status.js';

/** upstream BurstReplicas: at most this many creations or deletions per sync. */
export const BURST_REPLICAS = 500;
/** upstream ConcurrentRSSyncs */
const WORKERS = 5;

const keyOf = (o: { metadata?: { namespace?: string; name?: string } }) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

/**
 * The ReplicaSet controller (upstream pkg/controller/replicaset): keeps
 * `replicas` active pods matching the selector — adopting orphans that
 * match and releasing pods that no longer do — creating in slow-start
 * batches (1, 2, 4, …, at most 500 per sync) and deleting by upstream's
 * preference, with expectations so a stale cache never acts twice; events
 * `SuccessfulCreate "Created pod: x"`, `SuccessfulDelete "Deleted pod: x"`,
 * `FailedCreate "Error creating: …"`; and the status counters.
 */
export class ReplicaSetController {
  readonly replicaSets: Informer;
  readonly pods: Informer;
  private readonly queue: WorkQueue;
  private readonly expectations: Expectations;
  private readonly recorder: EventRecorder;
  private readonly epochMs: number;

  constructor(
    private readonly host: HostContext,
    private readonly client: ApiClient,
    options: { epochMs?: number } = {},
  ) {
    this.epochMs = options.epochMs ?? DEFAULT_EPOCH_MS;
    this.replicaSets = new Informer(host, client, { group: 'apps', version: 'v1', resource: 'replicasets' });
    this.pods = new Informer(host, client, { group: '', version: 'v1', resource: 'pods' });
    this.pods.addIndexer('namespace', (o) => [o.metadata?.namespace ?? '']);
    this.replicaSets.addIndexer('namespace', (o) => [o.metadata?.namespace ?? '']);
    this.queue = new WorkQueue(host);
    this.expectations = new Expectations(() => host.clock.monotonic());
    this.recorder = new EventRecorder(host, client, { component: 'replicaset-controller' }, { epochMs: this.epochMs });
    this.replicaSets.addEventHandler({
      onAdd: (o) => this.queue.add(keyOf(o)),
      onUpdate: (_old, o) => this.queue.add(keyOf(o)),
      onDelete: (o) => this.expectations.delete(keyOf(o)),
    });
    this.pods.addEventHandler({
      onAdd: (o) => this.podAdded(o as Pod),
      onUpdate: (old, o) => this.podUpdated(old as Pod, o as Pod),
      onDelete: (o) => this.podDeleted(o as Pod),
    });
  }

  /** Act only while `active` says so (leader election); caches stay warm meanwhile. */
  gate(active: () => boolean): void {
    this.queue.gate(active);
  }

  start(): void {
    this.replicaSets.start();
    this.pods.start();
    this.queue.run(WORKERS, (key, done) => this.sync(key, done));
  }

  private nowMs(): number {
    return this.epochMs + this.host.clock.now();
  }

  /** upstream resolveControllerRef: the ReplicaSet a controller reference names, if it is still that one. */
  private owner(pod: Pod): ReplicaSet | undefined {
    const ref = controllerOf(pod);
    if (ref === undefined || ref.kind !== 'ReplicaSet') return undefined;
    const rs = this.replicaSets.get(pod.metadata?.namespace ?? '', ref.name) as ReplicaSet | undefined;
    return rs?.metadata?.uid === ref.uid ? rs : undefined;
  }

  /** ReplicaSets whose selector picks an orphan (upstream getPodReplicaSets). */
  private matching(pod: Pod): ReplicaSet[] {
    return (this.replicaSets.byIndex('namespace', pod.metadata?.namespace ?? '') as ReplicaSet[]).filter((rs) => {
      const s = labelSelectorAsSelector(rs.spec?.selector ?? null);
      return !s.empty && s.matches(pod.metadata?.labels ?? {});
    });
  }

  private podAdded(pod: Pod): void {
    if (pod.metadata?.deletionTimestamp !== undefined) return this.podDeleted(pod);
    const rs = this.owner(pod);
    if (rs !== undefined) {
      this.expectations.creationObserved(keyOf(rs));
      this.queue.add(keyOf(rs));
      return;
    }
    if (controllerOf(pod) === undefined) for (const m of this.matching(pod)) this.queue.add(keyOf(m));
  }

  private podUpdated(old: Pod, pod: Pod): void {
    if (pod.metadata?.resourceVersion === old.metadata?.resourceVersion) return;
    if (pod.metadata?.deletionTimestamp !== undefined && old.metadata?.deletionTimestamp === undefined) {
      // A pod being deleted counts as gone for expectations (upstream updatePod → deletePod).
      this.podDeleted(pod);
    }
    const oldOwner = this.owner(old);
    const rs = this.owner(pod);
    if (oldOwner !== undefined && oldOwner !== rs) this.queue.add(keyOf(oldOwner));
    if (rs !== undefined) {
      this.queue.add(keyOf(rs));
      const minReady = rs.spec?.minReadySeconds ?? 0;
      // A pod that just became ready becomes available minReadySeconds later.
      if (minReady > 0) this.queue.addAfter(keyOf(rs), minReady * 1000 + 1);
      return;
    }
    if (controllerOf(pod) === undefined) for (const m of this.matching(pod)) this.queue.add(keyOf(m));
  }

  private podDeleted(pod: Pod): void {
    const rs = this.owner(pod);
    if (rs === undefined) return;
    this.expectations.deletionObserved(keyOf(rs), keyOf(pod));
    this.queue.add(keyOf(rs));
  }

  private sync(key: string, done: () => void): void {
    const [ns, name] = key.split('/') as [string, string];
    const rs = this.replicaSets.get(ns, name) as ReplicaSet | undefined;
    if (rs === undefined) {
      this.expectations.delete(key);
      return done();
    }
    const needsSync = this.expectations.satisfied(key);
    const selector = labelSelectorAsSelector(rs.spec?.selector ?? null);
    const deleting = rs.metadata?.deletionTimestamp !== undefined;
    const owned: Pod[] = [];
    const patches: Array<(next: () => void) => void> = [];
    for (const o of this.pods.byIndex('namespace', ns)) {
      const pod = o as Pod;
      if (!isPodActive(pod)) continue;
      const ref = controllerOf(pod);
      const matches = selector.matches(pod.metadata?.labels ?? {});
      if (ref !== undefined) {
        if (ref.uid !== rs.metadata?.uid) continue;
        if (matches) owned.push(pod);
        // upstream ClaimPods: release a pod whose labels no longer match.
        else if (!deleting) patches.push((next) => this.setOwner(pod, undefined, rs, next));
        continue;
      }
      if (deleting || !matches || selector.empty) continue;
      owned.push(pod);
      patches.push((next) => this.setOwner(pod, rs, rs, next));
    }
    const finish = (failure?: { reason: 'FailedCreate' | 'FailedDelete'; message: string }) => this.updateStatus(rs, owned, failure, done, failure !== undefined);
    runSeq(patches, () => {
      if (!needsSync || deleting) return finish();
      this.manageReplicas(key, rs, owned, finish);
    });
  }

  /** upstream ownerRefControllerPatch: adopt (set the controller reference) or release (remove it). */
  private setOwner(pod: Pod, to: ReplicaSet | undefined, rs: ReplicaSet, next: () => void): void {
    const others = (pod.metadata?.ownerReferences ?? []).filter((r) => r.uid !== rs.metadata?.uid);
    const refs = to === undefined ? others : [...others, { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata?.name ?? '', uid: rs.metadata?.uid ?? '', controller: true, blockOwnerDeletion: true }];
    const body = { metadata: { resourceVersion: pod.metadata?.resourceVersion, ownerReferences: refs } };
    this.client.request({ verb: 'patch', patchType: 'merge', group: '', version: 'v1', resource: 'pods', namespace: pod.metadata?.namespace ?? '', name: pod.metadata?.name ?? '', body }, () => next());
  }

  /** upstream manageReplicas */
  private manageReplicas(key: string, rs: ReplicaSet, pods: Pod[], finish: (failure?: { reason: 'FailedCreate' | 'FailedDelete'; message: string }) => void): void {
    const want = rs.spec?.replicas ?? 1;
    const diff = pods.length - want;
    if (diff < 0) {
      const n = Math.min(-diff, BURST_REPLICAS);
      this.expectations.expectCreations(key, n);
      this.slowStartCreate(rs, n, (created, error) => {
        for (let i = created; i < n; i++) this.expectations.creationObserved(key);
        finish(error === undefined ? undefined : { reason: 'FailedCreate', message: error.message });
      });
      return;
    }
    if (diff > 0) {
      const n = Math.min(diff, BURST_REPLICAS);
      const victims = podsToDelete(pods, this.relatedPods(rs, pods), n, this.nowMs());
      this.expectations.expectDeletions(key, victims.map(keyOf));
      let left = victims.length;
      let failure: ClientError | undefined;
      for (const pod of victims) {
        this.client.request({ verb: 'delete', group: '', version: 'v1', resource: 'pods', namespace: pod.metadata?.namespace ?? '', name: pod.metadata?.name ?? '' }, (error) => {
          if (error !== null && !('code' in error && error.code === 404)) {
            failure = error;
            this.expectations.deletionObserved(key, keyOf(pod));
            this.recorder.event(rs as KubeObject, 'Warning', 'FailedDelete', `Error deleting: ${error.message}`);
          } else if (error === null) this.recorder.event(rs as KubeObject, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata?.name ?? ''}`);
          if (--left === 0) finish(failure === undefined ? undefined : { reason: 'FailedDelete', message: failure.message });
        });
      }
      return;
    }
    finish();
  }

  /** Pods of every ReplicaSet with the same owner (a Deployment's), for ranking by node (upstream getIndirectlyRelatedPods). */
  private relatedPods(rs: ReplicaSet, own: Pod[]): Pod[] {
    const owner = controllerOf(rs);
    if (owner === undefined) return own;
    const siblings = new Set((this.replicaSets.byIndex('namespace', rs.metadata?.namespace ?? '') as ReplicaSet[]).filter((r) => controllerOf(r)?.uid === owner.uid).map((r) => r.metadata?.uid));
    return (this.pods.byIndex('namespace', rs.metadata?.namespace ?? '') as Pod[]).filter((p) => siblings.has(controllerOf(p)?.uid));
  }

  /** upstream slowStartBatch: batches of 1, 2, 4, … created together; the first failure stops the rest. */
  private slowStartCreate(rs: ReplicaSet, count: number, done: (created: number, error?: ClientError) => void): void {
    const owner = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata?.name ?? '', uid: rs.metadata?.uid ?? '' };
    let created = 0;
    const batch = (size: number) => {
      if (size === 0) return done(created);
      let left = size;
      let failure: ClientError | undefined;
      for (let i = 0; i < size; i++) {
        const pod = podFromTemplate(rs.spec?.template, rs.metadata?.namespace ?? '', rs.metadata?.name ?? '', owner);
        this.client.request({ verb: 'create', group: '', version: 'v1', resource: 'pods', namespace: rs.metadata?.namespace ?? '', body: pod as KubeObject }, (error, body) => {
          if (error === null) {
            created++;
            this.recorder.event(rs as KubeObject, 'Normal', 'SuccessfulCreate', `Created pod: ${body?.metadata?.name ?? ''}`);
          } else {
            failure = error;
            this.recorder.event(rs as KubeObject, 'Warning', 'FailedCreate', `Error creating: ${error.message}`);
          }
          if (--left > 0) return;
          if (failure !== undefined) return done(created, failure);
          batch(Math.min(2 * size, count - created));
        });
      }
    };
    batch(Math.min(count, 1));
  }

  private updateStatus(rs: ReplicaSet, pods: Pod[], failure: { reason: 'FailedCreate' | 'FailedDelete'; message: string } | undefined, done: () => void, retry: boolean): void {
    const status = replicaSetStatus(rs, pods, this.nowMs(), failure, rfc3339(this.nowMs()));
    const key = keyOf(rs);
    const requeue = () => {
      const want = rs.spec?.replicas ?? 1;
      const minReady = rs.spec?.minReadySeconds ?? 0;
      if (minReady > 0 && (status.readyReplicas ?? 0) === want && (status.availableReplicas ?? 0) !== want) this.queue.addAfter(key, minReady * 1000);
      if (retry) this.queue.addRateLimited(key);
      else this.queue.forget(key);
      done();
    };
    if (jsonEqual(status, rs.status ?? {})) return requeue();
    const body = { ...rs, status } as KubeObject;
    this.client.request({ verb: 'update', group: 'apps', version: 'v1', resource: 'replicasets', namespace: rs.metadata?.namespace ?? '', name: rs.metadata?.name ?? '', subresource: 'status', body }, (error) => {
      if (error !== null) this.queue.addRateLimited(key);
      requeue();
    });
  }
}

function runSeq(steps: Array<(next: () => void) => void>, done: () => void): void {
  const step = (i: number): void => (i >= steps.length ? done() : steps[i]!(() => step(i + 1)));
  step(0);
}
