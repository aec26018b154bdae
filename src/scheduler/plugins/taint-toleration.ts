import { toleratesTaint } from '../../api/kinds/taints.js';
import { defaultNormalize, unresolvable, type CycleState, type Plugin } from '../framework.js';
import type { NodeInfo } from '../node-info.js';

/**
 * upstream plugins/tainttoleration: a NoSchedule or NoExecute taint the pod
 * does not tolerate rules the node out ("node(s) had untolerated taint
 * {key: value}", the first one); PreferNoSchedule taints it does not
 * tolerate count against the node (fewer is better).
 */
export const taintToleration: Plugin = {
  name: 'TaintToleration',
  weight: 3,
  filter(state: CycleState, node: NodeInfo) {
    if (node.taints.length === 0) return undefined;
    const tolerations = state.pod.pod.spec?.tolerations ?? [];
    for (const taint of node.taints) {
      if (taint.effect !== 'NoSchedule' && taint.effect !== 'NoExecute') continue;
      if (!tolerations.some((t) => toleratesTaint(t, taint))) return unresolvable(`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`);
    }
    return undefined;
  },
  preScore(_state: CycleState, feasible: readonly NodeInfo[]) {
    return feasible.some((n) => n.taints.some((t) => t.effect === 'PreferNoSchedule'));
  },
  score(state: CycleState, node: NodeInfo) {
    // getAllTolerationPreferNoSchedule: tolerations with an empty or PreferNoSchedule effect.
    const tolerations = (state.pod.pod.spec?.tolerations ?? []).filter((t) => t.effect === undefined || t.effect === '' || t.effect === 'PreferNoSchedule');
    let n = 0;
    for (const taint of node.taints) if (taint.effect === 'PreferNoSchedule' && !tolerations.some((t) => toleratesTaint(t, taint))) n++;
    return n;
  },
  normalize(_state, scores) {
    defaultNormalize(scores, true);
  },
};
