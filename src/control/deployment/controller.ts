import { jsonEqual } from '../../api/json-clone.js';
import type { Deployment, DeploymentStatus, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { labelSelectorAsSelector } from '../../api/labels/index.js';
import type { KubeObject } from '../../api/registry/types.js';
import { DEFAULT_EPOCH_MS, rfc3339 } from '../../api/server/time.js';
import { EventRecorder, Informer, WorkQueue, type ApiClient } from '../../client/index.js';
import type { HostContext } from '../../faults/index.js';
import { controllerOf } from '../pod-util.js';
import { nameOf, ns, type Plan, type View, type Write } from './plan.js';
import { calculateStatus, compact } from './progress.js';
import { isScalingEvent, syncScaleOnly } from './scale.js';
import { rolloutRecreate, rolloutRolling } from './strategies.js';
import { condition, getCondition, hasProgressDeadline, Reasons, setCondition } from './util.js';

/** upstream ConcurrentDeploymentSyncs */
const WORKERS = 5;
const keyOf = (o: { metadata?: { namespace?: string; name?: string } }) => `${ns(o)}/${nameOf(o)}`;

/**
 * The Deployment controller (upstream pkg/controller/deployment): claims
 * the ReplicaSets its selector picks, and on each pass makes one step of
 * a rollout (RollingUpdate or Recreate), a proportional scale, or nothing,
 * then posts the status with the Available and Progressing conditions.
 * The decisions are pure (`plan.ts`, `strategies.ts`, `scale.ts`,
 * `progress.ts`); this driver reads the caches and applies them in order.
 */
export class DeploymentController {
  readonly deployments: Informer;
  readonly replicaSets: Informer;
  readonly pods: Informer;
  private readonly queue: WorkQueue;
  private readonly recorder: EventRecorder;
  private readonly epochMs: number;

  constructor(
    private readonly host: HostContext,
    private readonly client: ApiClient,
    options: { epochMs?: number } = {},
  ) {
    this.epochMs = options.epochMs ?? DEFAULT_EPOCH_MS;
    this.deployments = new Informer(host, client, { group: 'apps', version: 'v1', resource: 'deployments' });
    this.replicaSets = new Informer(host, client, { group: 'apps', version: 'v1', resource: 'replicasets' });
    this.pods = new Informer(host, client, { group: '', version: 'v1', resource: 'pods' });
    for (const i of [this.deployments, this.replicaSets, this.pods]) i.addIndexer('namespace', (o) => [ns(o)]);
    this.queue = new WorkQueue(host);
    this.recorder = new EventRecorder(host, client, { component: 'deployment-controller' }, { epochMs: this.epochMs });
    const enqueue = (o: KubeObject) => this.queue.add(keyOf(o));
    this.deployments.addEventHandler({ onAdd: enqueue, onUpdate: (_o, n) => enqueue(n), onDelete: enqueue });
    this.replicaSets.addEventHandler({
      onAdd: (o) => this.replicaSetChanged(o as ReplicaSet),
      onUpdate: (old, o) => {
        this.replicaSetChanged(old as ReplicaSet);
        this.replicaSetChanged(o as ReplicaSet);
      },
      onDelete: (o) => this.replicaSetChanged(o as ReplicaSet),
    });
    // upstream deletePod: a Recreate rollout waits for the old pods to be gone.
    this.pods.addEventHandler({ onDelete: (o) => this.podDeleted(o as Pod) });
  }

  /** Act only while `active` says so (leader election); caches stay warm meanwhile. */
  gate(active: () => boolean): void {
    this.queue.gate(active);
  }

  start(): void {
    for (const i of [this.deployments, this.replicaSets, this.pods]) i.start();
    this.queue.run(WORKERS, (key, done) => this.sync(key, done));
  }

  private ownerOf(rs: ReplicaSet): Deployment | undefined {
    const ref = controllerOf(rs);
    if (ref === undefined || ref.kind !== 'Deployment') return undefined;
    const d = this.deployments.get(ns(rs), ref.name) as Deployment | undefined;
    return d?.metadata?.uid === ref.uid ? d : undefined;
  }

  private replicaSetChanged(rs: ReplicaSet): void {
    const d = this.ownerOf(rs);
    if (d !== undefined) return this.queue.add(keyOf(d));
    if (controllerOf(rs) !== undefined) return;
    for (const o of this.deployments.byIndex('namespace', ns(rs))) {
      const s = labelSelectorAsSelector((o as Deployment).spec?.selector ?? null);
      if (!s.empty && s.matches(rs.metadata?.labels ?? {})) this.queue.add(keyOf(o));
    }
  }

  private podDeleted(pod: Pod): void {
    const ref = controllerOf(pod);
    if (ref?.kind !== 'ReplicaSet') return;
    const rs = this.replicaSets.get(ns(pod), ref.name) as ReplicaSet | undefined;
    const d = rs === undefined ? undefined : this.ownerOf(rs);
    if (d?.spec?.strategy?.type === 'Recreate') this.queue.add(keyOf(d));
  }

  private sync(key: string, done: () => void): void {
    const [namespace, name] = key.split('/') as [string, string];
    const d = this.deployments.get(namespace, name) as Deployment | undefined;
    if (d === undefined) return done();
    const nowMs = this.epochMs + this.host.clock.now();
    const now = rfc3339(nowMs);
    const selector = labelSelectorAsSelector(d.spec?.selector ?? null);
    const status: DeploymentStatus = JSON.parse(JSON.stringify(d.status ?? {})) as DeploymentStatus;
    if (selector.empty) {
      this.recorder.event(d as KubeObject, 'Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.');
      return this.finish(d, { writes: [], status: { ...status, observedGeneration: d.metadata?.generation ?? 0 } }, done);
    }
    // getReplicaSetsForDeployment: adopt matching orphans, release owned ones that no longer match.
    const claims: Write[] = [];
    const rss: ReplicaSet[] = [];
    for (const o of this.replicaSets.byIndex('namespace', namespace)) {
      const rs = o as ReplicaSet;
      const ref = controllerOf(rs);
      const matches = selector.matches(rs.metadata?.labels ?? {});
      if (ref !== undefined && ref.uid !== d.metadata?.uid) continue;
      if (ref !== undefined) {
        if (matches) rss.push(rs);
        else if (d.metadata?.deletionTimestamp === undefined) claims.push(this.ownerPatch(rs, d, false));
        continue;
      }
      if (!matches || d.metadata?.deletionTimestamp !== undefined || rs.metadata?.deletionTimestamp !== undefined) continue;
      rss.push(rs);
      claims.push(this.ownerPatch(rs, d, true));
    }
    const podsByRs = new Map<string, Pod[]>();
    const owned = new Set(rss.map((rs) => rs.metadata?.uid));
    for (const o of this.pods.byIndex('namespace', namespace)) {
      const uid = controllerOf(o as Pod)?.uid;
      if (uid === undefined || !owned.has(uid)) continue;
      if (!podsByRs.has(uid)) podsByRs.set(uid, []);
      podsByRs.get(uid)!.push(o as Pod);
    }
    const view: View = { d, rss, podsByRs, nowMs, now };
    let plan: Plan;
    if (d.metadata?.deletionTimestamp !== undefined) plan = { writes: [], status: calculateStatus(view, rss, undefined, status) };
    else {
      this.pausedConditions(d, status, now);
      if (d.spec?.paused === true || isScalingEvent(view)) plan = syncScaleOnly(view, status);
      else if (d.spec?.strategy?.type === 'Recreate') plan = rolloutRecreate(view, status);
      else plan = rolloutRolling(view, status);
    }
    this.finish(d, { ...plan, writes: [...claims, ...plan.writes] }, done);
  }

  /** upstream checkPausedConditions: Progressing Unknown "DeploymentPaused" / "DeploymentResumed" (not over a timeout). */
  private pausedConditions(d: Deployment, status: DeploymentStatus, now: string): void {
    if (!hasProgressDeadline(d)) return;
    const c = getCondition(status, 'Progressing');
    if (c?.reason === Reasons.TimedOut) return;
    const pausedCond = c?.reason === Reasons.Paused;
    if (d.spec?.paused === true && !pausedCond) setCondition(status, condition('Progressing', 'Unknown', Reasons.Paused, 'Deployment is paused', now));
    else if (d.spec?.paused !== true && pausedCond) setCondition(status, condition('Progressing', 'Unknown', Reasons.Resumed, 'Deployment is resumed', now));
  }

  private ownerPatch(rs: ReplicaSet, d: Deployment, adopt: boolean): Write {
    const others = (rs.metadata?.ownerReferences ?? []).filter((r) => r.uid !== d.metadata?.uid);
    const refs = adopt ? [...others, { apiVersion: 'apps/v1', kind: 'Deployment', name: nameOf(d), uid: d.metadata?.uid ?? '', controller: true, blockOwnerDeletion: true }] : others;
    return { request: { verb: 'patch', patchType: 'merge', group: 'apps', version: 'v1', resource: 'replicasets', namespace: ns(rs), name: nameOf(rs), body: { metadata: { resourceVersion: rs.metadata?.resourceVersion, ownerReferences: refs } } } };
  }

  /** Apply the writes in order (the first failure stops them and retries later), then post the status if it changed. */
  private finish(d: Deployment, plan: Plan, done: () => void): void {
    const key = keyOf(d);
    const step = (i: number): void => {
      if (i < plan.writes.length) {
        const w = plan.writes[i]!;
        this.client.request(w.request, (error) => {
          if (error !== null) {
            if (w.request.verb === 'create' && w.request.resource === 'replicasets') this.recorder.event(d as KubeObject, 'Warning', Reasons.FailedRSCreate, `Failed to create new replica set "${(w.request.body as ReplicaSet).metadata?.name ?? ''}": ${error.message}`);
            this.queue.addRateLimited(key);
            return done();
          }
          if (w.event !== undefined) this.recorder.event(d as KubeObject, w.event.type, w.event.reason, w.event.message);
          step(i + 1);
        });
        return;
      }
      this.postStatus(d, plan, done);
    };
    step(0);
  }

  private postStatus(d: Deployment, plan: Plan, done: () => void): void {
    const key = keyOf(d);
    const next = compact(plan.status ?? d.status ?? {});
    const prev = (d.status ?? {}) as Record<string, unknown>;
    const finish = () => {
      this.queue.forget(key);
      if (plan.requeueAfterMs !== undefined) this.queue.addAfter(key, plan.requeueAfterMs);
      done();
    };
    if (jsonEqual(next, compact(d.status ?? {}))) return finish();
    // A merge patch: fields that went to zero are removed explicitly.
    const body: Record<string, unknown> = { ...next };
    for (const k of Object.keys(prev)) if (!(k in body)) body[k] = null;
    this.client.request({ verb: 'patch', patchType: 'merge', group: 'apps', version: 'v1', resource: 'deployments', namespace: ns(d), name: nameOf(d), subresource: 'status', body: { status: body } }, (error) => {
      if (error !== null) {
        this.queue.addRateLimited(key);
        return done();
      }
      finish();
    });
  }
}
