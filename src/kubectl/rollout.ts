import { parseGoDuration } from '../api/duration.js';
import type { KubeObject } from '../api/registry/index.js';
import type { Cluster } from '../cluster/cluster.js';
import type { KubectlArgs } from './args.js';
import { UsageError } from './args.js';
import { DescribeWriter } from './describe/format.js';
import { describePodTemplate } from './describe/pod.js';
import { tabwrite } from './tabwriter.js';

type Result = { output: string; exitCode: number };

/** One status line and whether the rollout is done (upstream polymorphichelpers rollout_status.go); an Error means it failed. */
function statusOf(kind: string, o: any): { message: string; done: boolean } {
  const name = o.metadata.name;
  const st = o.status ?? {};
  if (kind === 'Deployment') {
    if ((o.metadata.generation ?? 0) > (st.observedGeneration ?? 0)) return { message: 'Waiting for deployment spec update to be observed...', done: false };
    if ((st.conditions ?? []).some((c: any) => c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded')) throw new Error(`deployment "${name}" exceeded its progress deadline`);
    const replicas = o.spec?.replicas ?? 1;
    if ((st.updatedReplicas ?? 0) < replicas) return { message: `Waiting for deployment "${name}" rollout to finish: ${st.updatedReplicas ?? 0} out of ${replicas} new replicas have been updated...`, done: false };
    if ((st.replicas ?? 0) > (st.updatedReplicas ?? 0)) return { message: `Waiting for deployment "${name}" rollout to finish: ${(st.replicas ?? 0) - (st.updatedReplicas ?? 0)} old replicas are pending termination...`, done: false };
    if ((st.availableReplicas ?? 0) < (st.updatedReplicas ?? 0)) return { message: `Waiting for deployment "${name}" rollout to finish: ${st.availableReplicas ?? 0} of ${st.updatedReplicas ?? 0} updated replicas are available...`, done: false };
    return { message: `deployment "${name}" successfully rolled out`, done: true };
  }
  if (kind === 'DaemonSet') {
    if ((o.spec?.updateStrategy?.type ?? 'RollingUpdate') !== 'RollingUpdate') throw new Error('rollout status is only available for RollingUpdate strategy type');
    if ((o.metadata.generation ?? 0) > (st.observedGeneration ?? 0)) return { message: 'Waiting for daemon set spec update to be observed...', done: false };
    if ((st.updatedNumberScheduled ?? 0) < (st.desiredNumberScheduled ?? 0)) return { message: `Waiting for daemon set "${name}" rollout to finish: ${st.updatedNumberScheduled ?? 0} out of ${st.desiredNumberScheduled ?? 0} new pods have been updated...`, done: false };
    if ((st.numberAvailable ?? 0) < (st.desiredNumberScheduled ?? 0)) return { message: `Waiting for daemon set "${name}" rollout to finish: ${st.numberAvailable ?? 0} of ${st.desiredNumberScheduled ?? 0} updated pods are available...`, done: false };
    return { message: `daemon set "${name}" successfully rolled out`, done: true };
  }
  // StatefulSet
  if ((o.spec?.updateStrategy?.type ?? 'RollingUpdate') !== 'RollingUpdate') throw new Error('rollout status is only available for RollingUpdate strategy type');
  if ((st.observedGeneration ?? 0) === 0 || (o.metadata.generation ?? 0) > st.observedGeneration) return { message: 'Waiting for statefulset spec update to be observed...', done: false };
  const replicas = o.spec?.replicas ?? 1;
  if ((st.readyReplicas ?? 0) < replicas) return { message: `Waiting for ${replicas - (st.readyReplicas ?? 0)} pods to be ready...`, done: false };
  const partition = o.spec?.updateStrategy?.rollingUpdate?.partition;
  if (o.spec?.updateStrategy?.rollingUpdate !== undefined) {
    if (partition !== undefined && (st.updatedReplicas ?? 0) < replicas - partition) return { message: `Waiting for partitioned roll out to finish: ${st.updatedReplicas ?? 0} out of ${replicas - partition} new pods have been updated...`, done: false };
    return { message: `partitioned roll out complete: ${st.updatedReplicas ?? 0} new pods have been updated...`, done: true };
  }
  if (st.updateRevision !== st.currentRevision) return { message: `waiting for statefulset rolling update to complete ${st.updatedReplicas ?? 0} pods at revision ${st.updateRevision}...`, done: false };
  return { message: `statefulset rolling update complete ${st.currentReplicas ?? 0} pods at revision ${st.currentRevision}...`, done: true };
}

function target(cluster: Cluster, args: KubectlArgs): { kind: string; name: string; namespace: string } {
  const ref = args.args[1];
  if (ref === undefined) throw new UsageError('required resource not specified');
  const [k, n] = ref.includes('/') ? ref.split('/', 2) : [ref, args.args[2]];
  const type = cluster.resource(k!);
  if (!['Deployment', 'DaemonSet', 'StatefulSet'].includes(type.kind)) throw new UsageError(`no status viewer has been implemented for ${type.kind}`);
  if (n === undefined) throw new UsageError('required resource not specified');
  return { kind: type.kind, name: n, namespace: args.namespace ?? 'default' };
}

/** kubectl rollout status: print each new status line while the rollout progresses (in virtual time), until done, failed or --timeout. */
export function rolloutStatus(cluster: Cluster, args: KubectlArgs): Result {
  const { kind, name, namespace } = target(cluster, args);
  cluster.get(kind, name, namespace);
  const lines: string[] = [];
  let last = '';
  let failed: string | undefined;
  let done = false;
  const check = (): boolean => {
    const o = cluster.peek(kind, name, namespace);
    if (o === undefined) return false;
    try {
      const s = statusOf(kind, o);
      if (s.message !== last) lines.push((last = s.message));
      done = s.done;
    } catch (e) {
      failed = (e as Error).message;
      return true;
    }
    return done || !args.watch;
  };
  const timeoutMs = args.timeout === undefined || args.timeout === '0s' || args.timeout === '0' ? 3_600_000 : (parseGoDuration(args.timeout) ?? 0);
  const held = cluster.run(check, timeoutMs);
  const text = lines.map((l) => `${l}\n`).join('');
  if (failed !== undefined) return { output: `${text}error: ${failed}\n`, exitCode: 1 };
  if (!held) return { output: `${text}error: timed out waiting for the condition\n`, exitCode: 1 };
  return { output: text, exitCode: 0 };
}

/** kubectl rollout history deployment/NAME [--revision=N]: revisions from the Deployment's ReplicaSets, with their change-cause. */
export function rolloutHistory(cluster: Cluster, args: KubectlArgs): Result {
  const { kind, name, namespace } = target(cluster, args);
  if (kind !== 'Deployment') throw new UsageError(`rollout history for ${kind} needs ControllerRevisions, which Crucible does not keep yet`);
  const d = cluster.get('deployments.apps', name, namespace);
  const owned = cluster.list<KubeObject>('replicasets.apps', { namespace }).filter((rs) => ((rs.metadata?.['ownerReferences'] as Array<{ uid: string; controller?: boolean }> | undefined) ?? []).some((r) => r.controller === true && r.uid === d.metadata.uid));
  const byRevision = new Map<number, KubeObject>();
  for (const rs of owned) {
    const rev = Number((rs.metadata?.['annotations'] as Record<string, string> | undefined)?.['deployment.kubernetes.io/revision']);
    if (Number.isInteger(rev) && rev > 0) byRevision.set(rev, rs);
  }
  const header = `deployment.apps/${name}`;
  if (args.revision !== undefined && args.revision > 0) {
    const rs = byRevision.get(args.revision);
    if (rs === undefined) return { output: `error: unable to find the specified revision\n`, exitCode: 1 };
    const template = structuredClone((rs['spec'] as { template?: any }).template ?? {});
    delete template.metadata?.labels?.['pod-template-hash'];
    const w = new DescribeWriter();
    describePodTemplate(w, template);
    return { output: `${header} with revision #${args.revision}\n${w.toString()}\n`, exitCode: 0 };
  }
  const rows = [...byRevision.keys()].sort((a, b) => a - b).map((r) => `${r}\t${(byRevision.get(r)!.metadata?.['annotations'] as Record<string, string> | undefined)?.['kubernetes.io/change-cause'] || '<none>'}\n`);
  return { output: `${header} \n${tabwrite(`REVISION\tCHANGE-CAUSE\n${rows.join('')}`, 0, 2)}\n`, exitCode: 0 };
}
