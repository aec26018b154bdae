import type { PersistentVolume } from 'kubernetes-types/core/v1.js';
import { unresolvable, type CycleState, type Plugin } from '../framework.js';
import type { NodeInfo } from '../node-info.js';
import { termMatches } from './node-affinity.js';

const KEY = 'VolumeBinding';

/**
 * upstream plugins/volumebinding, the parts without a provisioner: every
 * claim must exist ("persistentvolumeclaim \\"x\\" not found") and not be
 * being deleted; an unbound claim whose class binds Immediately (or has no
 * class) stops the pod until the PV controller binds it ("pod has unbound
 * immediate PersistentVolumeClaims"); WaitForFirstConsumer claims wait for
 * the node to be chosen; a bound PV's node affinity must match the node
 * ("node(s) had volume node affinity conflict").
 */
export const volumeBinding: Plugin = {
  name: 'VolumeBinding',
  preFilter(state: CycleState) {
    const pod = state.pod.pod;
    const claims = (pod.spec?.volumes ?? []).filter((v) => v.persistentVolumeClaim !== undefined);
    if (claims.length === 0 || state.listers === undefined) return undefined;
    const ns = state.pod.namespace;
    const bound: PersistentVolume[] = [];
    let unboundImmediate = false;
    for (const v of claims) {
      const name = v.persistentVolumeClaim!.claimName;
      const pvc = state.listers.claim(ns, name);
      if (pvc === undefined) return unresolvable(`persistentvolumeclaim "${name}" not found`);
      if (pvc.metadata?.deletionTimestamp !== undefined) return unresolvable(`persistentvolumeclaim "${name}" is being deleted`);
      const volumeName = pvc.spec?.volumeName;
      if (volumeName !== undefined && volumeName !== '') {
        const pv = state.listers.persistentVolume(volumeName);
        if (pv !== undefined) bound.push(pv);
        continue;
      }
      const className = pvc.spec?.storageClassName ?? '';
      const mode = className === '' ? 'Immediate' : (state.listers.storageClass(className)?.volumeBindingMode ?? 'Immediate');
      if (mode !== 'WaitForFirstConsumer') unboundImmediate = true;
    }
    if (unboundImmediate) return unresolvable('pod has unbound immediate PersistentVolumeClaims');
    state.data.set(KEY, bound);
    return undefined;
  },
  filter(state: CycleState, node: NodeInfo) {
    const bound = state.data.get(KEY) as PersistentVolume[] | undefined;
    for (const pv of bound ?? []) {
      const terms = pv.spec?.nodeAffinity?.required?.nodeSelectorTerms;
      if (terms !== undefined && !terms.some((t) => termMatches(t, node))) return unresolvable('node(s) had volume node affinity conflict');
    }
    return undefined;
  },
};
