import { jsonEqual } from '../../api/json-clone.js';
import type { StatefulSet, StatefulSetStatus } from 'kubernetes-types/apps/v1.js';
import type { PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/registry/types.js';
import { DEFAULT_EPOCH_MS } from '../../api/server/time.js';
import { EventRecorder, Informer, WorkQueue, type ApiClient } from '../../client/index.js';
import type { HostContext } from '../../faults/index.js';
import { computeHash } from '../deployment/util.js';
import { ownerEvents } from '../owner-events.js';
import { controllerOf, isPodAvailable, isPodReady, podFromTemplate } from '../pod-util.js';

const REVISION = 'controller-revision-hash';
const keyOf = (o: { metadata?: { namespace?: string; name?: string } }) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
const runningAndReady = (p: Pod) => p.status?.phase === 'Running' && isPodReady(p);
const terminating = (p: Pod) => p.metadata?.deletionTimestamp !== undefined;

type Step = { kind: 'claim'; claim: PersistentVolumeClaim; pod: string } | { kind: 'create'; pod: Pod } | { kind: 'delete'; pod: Pod };

/**
 * The StatefulSet controller (upstream pkg/controller/statefulset): pods
 * `<name>-<ordinal>` with stable hostnames under spec.serviceName and
 * their claims `<template>-<name>-<ordinal>` from volumeClaimTemplates
 * (kept when scaling down); OrderedReady creates one ordinal at a time,
 * each once the ones below are Running and Ready, and removes from the
 * highest; Parallel does all at once; a failed pod is recreated under the
 * same name; RollingUpdate replaces pods from the highest ordinal down to
 * the partition, one at a time; OnDelete waits for the user.
 */
export class StatefulSetController {
  private readonly sets: Informer;
  private readonly pods: Informer;
  private readonly claims: Informer;
  readonly queue: WorkQueue;
  private readonly recorder: EventRecorder;
  private readonly epochMs: number;

  constructor(
    private readonly host: HostContext,
    private readonly client: ApiClient,
    options: { epochMs?: number } = {},
  ) {
    this.epochMs = options.epochMs ?? DEFAULT_EPOCH_MS;
    this.sets = new Informer(host, client, { group: 'apps', version: 'v1', resource: 'statefulsets' });
    this.pods = new Informer(host, client, { group: '', version: 'v1', resource: 'pods' });
    this.claims = new Informer(host, client, { group: '', version: 'v1', resource: 'persistentvolumeclaims' });
    this.pods.addIndexer('owner', (o) => [controllerOf(o as Pod)?.uid ?? '']);
    this.queue = new WorkQueue(host);
    this.recorder = new EventRecorder(host, client, { component: 'statefulset-controller' }, { epochMs: this.epochMs });
    this.sets.addEventHandler({ onAdd: (o) => this.queue.add(keyOf(o)), onUpdate: (_o, n) => this.queue.add(keyOf(n)) });
    this.pods.addEventHandler(ownerEvents('StatefulSet', this.queue));
  }

  gate(active: () => boolean): void {
    this.queue.gate(active);
  }

  start(): void {
    for (const i of [this.sets, this.pods, this.claims]) i.start();
    this.queue.run(2, (key, done) => this.sync(key, done));
  }

  /** One pass: the steps to take, upstream's ordering rules applied (updateStatefulSet). */
  private plan(sts: StatefulSet, pods: Map<number, Pod>, updateRevision: string): Step[] {
    const name = sts.metadata?.name ?? '';
    const ns = sts.metadata?.namespace ?? '';
    const replicas = sts.spec?.replicas ?? 1;
    const start = sts.spec?.ordinals?.start ?? 0;
    const ordered = (sts.spec?.podManagementPolicy ?? 'OrderedReady') === 'OrderedReady';
    const steps: Step[] = [];
    // Failed or finished pods are deleted to be recreated (same name).
    for (const p of pods.values()) if (!terminating(p) && (p.status?.phase === 'Failed' || p.status?.phase === 'Succeeded')) steps.push({ kind: 'delete', pod: p });
    if (steps.length > 0) return steps;
    for (let i = start; i < start + replicas; i++) {
      const p = pods.get(i);
      if (p === undefined) {
        for (const t of sts.spec?.volumeClaimTemplates ?? []) {
          const claimName = `${t.metadata?.name ?? ''}-${name}-${i}`;
          if (this.claims.get(ns, claimName) !== undefined) continue;
          steps.push({
            kind: 'claim',
            pod: `${name}-${i}`,
            claim: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: claimName, namespace: ns, labels: { ...(t.metadata?.labels ?? {}), ...(sts.spec?.selector?.matchLabels ?? {}) } }, spec: JSON.parse(JSON.stringify(t.spec ?? {})) },
          });
        }
        steps.push({ kind: 'create', pod: this.newPod(sts, i, updateRevision) });
        if (ordered) return steps;
        continue;
      }
      if (ordered && (terminating(p) || !runningAndReady(p))) return steps;
    }
    // Scale down from the highest ordinal.
    const excess = [...pods.entries()].filter(([i]) => i < start || i >= start + replicas).sort((a, b) => b[0] - a[0]);
    for (const [, p] of excess) {
      if (terminating(p)) {
        if (ordered) return steps;
        continue;
      }
      steps.push({ kind: 'delete', pod: p });
      if (ordered) return steps;
    }
    if (steps.length > 0) return steps;
    // RollingUpdate from the highest ordinal down to the partition, one at a time.
    if ((sts.spec?.updateStrategy?.type ?? 'RollingUpdate') !== 'RollingUpdate') return steps;
    const partition = sts.spec?.updateStrategy?.rollingUpdate?.partition ?? 0;
    for (let i = start + replicas - 1; i >= start + partition; i--) {
      const p = pods.get(i);
      if (p === undefined) continue;
      if (p.metadata?.labels?.[REVISION] !== `${name}-${updateRevision}`) {
        if (!terminating(p)) steps.push({ kind: 'delete', pod: p });
        return steps;
      }
      if (!runningAndReady(p) || terminating(p)) return steps;
    }
    return steps;
  }

  /** upstream newVersionedStatefulSetPod: name, hostname, subdomain, identity labels, claims as volumes. */
  private newPod(sts: StatefulSet, ordinal: number, revision: string): Pod {
    const name = sts.metadata?.name ?? '';
    const podName = `${name}-${ordinal}`;
    const pod = podFromTemplate(sts.spec?.template, sts.metadata?.namespace ?? '', name, { apiVersion: 'apps/v1', kind: 'StatefulSet', name, uid: sts.metadata?.uid ?? '' });
    delete pod.metadata!.generateName;
    pod.metadata!.name = podName;
    pod.metadata!.labels = { ...pod.metadata!.labels, 'statefulset.kubernetes.io/pod-name': podName, 'apps.kubernetes.io/pod-index': String(ordinal), [REVISION]: `${name}-${revision}` };
    pod.spec!.hostname = podName;
    if (sts.spec?.serviceName !== undefined && sts.spec.serviceName !== '') pod.spec!.subdomain = sts.spec.serviceName;
    const claims = (sts.spec?.volumeClaimTemplates ?? []).map((t) => ({ name: t.metadata?.name ?? '', persistentVolumeClaim: { claimName: `${t.metadata?.name ?? ''}-${name}-${ordinal}` } }));
    pod.spec!.volumes = [...(pod.spec!.volumes ?? []).filter((v) => !claims.some((c) => c.name === v.name)), ...claims];
    return pod;
  }

  private sync(key: string, done: () => void): void {
    const [ns, name] = key.split('/') as [string, string];
    const sts = this.sets.get(ns, name) as StatefulSet | undefined;
    if (sts === undefined || !this.pods.hasSynced || !this.claims.hasSynced) return done();
    const pods = new Map<number, Pod>();
    for (const o of this.pods.byIndex('owner', sts.metadata?.uid ?? '')) {
      const m = new RegExp(`^${name}-(\\d+)$`).exec(o.metadata?.name ?? '');
      if (m !== null) pods.set(Number(m[1]), o as Pod);
    }
    const updateRevision = computeHash(sts.spec?.template, sts.status?.collisionCount ?? 0);
    const steps = sts.metadata?.deletionTimestamp === undefined ? this.plan(sts, pods, updateRevision) : [];
    const run = (i: number): void => {
      if (i >= steps.length) return this.writeStatus(sts, pods, updateRevision, done);
      const s = steps[i]!;
      const podName = s.kind === 'claim' ? s.pod : (s.pod.metadata?.name ?? '');
      const req =
        s.kind === 'claim'
          ? { verb: 'create' as const, group: '', version: 'v1', resource: 'persistentvolumeclaims', namespace: ns, body: s.claim as KubeObject }
          : s.kind === 'create'
            ? { verb: 'create' as const, group: '', version: 'v1', resource: 'pods', namespace: ns, body: s.pod as KubeObject }
            : { verb: 'delete' as const, group: '', version: 'v1', resource: 'pods', namespace: ns, name: podName };
      this.client.request(req, (error) => {
        const ok = error === null || (s.kind === 'claim' && 'code' in error && error.code === 409);
        const what = s.kind === 'claim' ? `create Claim ${s.claim.metadata?.name} Pod ${s.pod} in StatefulSet ${name}` : `${s.kind} Pod ${podName} in StatefulSet ${name}`;
        // upstream recordPodEvent / recordClaimEvent wording
        if (ok) this.recorder.event(sts as KubeObject, 'Normal', s.kind === 'delete' ? 'SuccessfulDelete' : 'SuccessfulCreate', `${what} ${s.kind === 'claim' ? 'success' : 'successful'}`);
        else this.recorder.event(sts as KubeObject, 'Warning', s.kind === 'delete' ? 'FailedDelete' : 'FailedCreate', `${what} failed error: ${error!.message}`);
        if (!ok) {
          this.queue.addRateLimited(key);
          return done();
        }
        run(i + 1);
      });
    };
    run(0);
  }

  private writeStatus(sts: StatefulSet, pods: Map<number, Pod>, updateRevision: string, done: () => void): void {
    const name = sts.metadata?.name ?? '';
    const now = this.epochMs + this.host.clock.now();
    const all = [...pods.values()].filter((p) => !terminating(p));
    const updated = all.filter((p) => p.metadata?.labels?.[REVISION] === `${name}-${updateRevision}`).length;
    const currentRevision = updated === (sts.spec?.replicas ?? 1) && all.length === updated ? updateRevision : (sts.status?.currentRevision?.replace(`${name}-`, '') ?? updateRevision);
    const status: StatefulSetStatus = {
      ...(sts.metadata?.generation !== undefined && { observedGeneration: sts.metadata.generation }),
      replicas: all.length,
      readyReplicas: all.filter(isPodReady).length,
      availableReplicas: all.filter((p) => isPodAvailable(p, sts.spec?.minReadySeconds ?? 0, now)).length,
      currentReplicas: all.filter((p) => p.metadata?.labels?.[REVISION] === `${name}-${currentRevision}`).length,
      updatedReplicas: updated,
      currentRevision: `${name}-${currentRevision}`,
      updateRevision: `${name}-${updateRevision}`,
      collisionCount: sts.status?.collisionCount ?? 0,
    };
    const compact = Object.fromEntries(Object.entries(status).filter(([k, v]) => v !== 0 || k === 'replicas' || k === 'collisionCount'));
    if (jsonEqual(compact, sts.status ?? {})) return done();
    this.client.request({ verb: 'update', group: 'apps', version: 'v1', resource: 'statefulsets', namespace: sts.metadata?.namespace ?? '', name, subresource: 'status', body: { ...sts, status: compact } as KubeObject }, (error) => {
      if (error !== null) this.queue.addRateLimited(keyOf(sts));
      done();
    });
  }
}
