import type { NodeSelectorRequirement, NodeSelectorTerm, Pod } from 'kubernetes-types/core/v1.js';
import { defaultNormalize, unresolvable, type CycleState, type Plugin } from '../framework.js';
import type { NodeInfo } from '../node-info.js';

/** upstream component-helpers nodeaffinity: one requirement against a node's labels (or fields: metadata.name). */
function matches(r: NodeSelectorRequirement, get: (key: string) => string | undefined): boolean {
  const v = get(r.key);
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In':
      return v !== undefined && values.includes(v);
    case 'NotIn':
      return v === undefined || !values.includes(v);
    case 'Exists':
      return v !== undefined;
    case 'DoesNotExist':
      return v === undefined;
    case 'Gt':
    case 'Lt': {
      if (v === undefined || values.length !== 1) return false;
      const a = Number.parseInt(v, 10);
      const b = Number.parseInt(values[0]!, 10);
      if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
      return r.operator === 'Gt' ? a > b : a < b;
    }
    default:
      return false;
  }
}

/** A term matches when all its expressions and fields do; an empty term matches nothing. */
export function termMatches(term: NodeSelectorTerm, node: NodeInfo): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  return exprs.every((r) => matches(r, (k) => node.labels[k])) && fields.every((r) => matches(r, (k) => (k === 'metadata.name' ? node.name : undefined)));
}

/** nodeSelector and required node affinity (terms ORed), as upstream RequiredNodeAffinity.Match. */
export function podMatchesNodeSelectorAndAffinity(pod: Pod, node: NodeInfo): boolean {
  const selector = pod.spec?.nodeSelector;
  if (selector !== undefined) for (const k in selector) if (node.labels[k] !== selector[k]) return false;
  const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (required === undefined) return true;
  const terms = required.nodeSelectorTerms ?? [];
  for (let i = 0; i < terms.length; i++) if (termMatches(terms[i]!, node)) return true;
  return false;
}

/**
 * upstream plugins/nodeaffinity: the node must match the pod's nodeSelector
 * and required node affinity ("node(s) didn't match Pod's node
 * affinity/selector"); preferred terms add their weights to the score.
 */
export const nodeAffinity: Plugin = {
  name: 'NodeAffinity',
  weight: 2,
  filter(state: CycleState, node: NodeInfo) {
    return podMatchesNodeSelectorAndAffinity(state.pod.pod, node) ? undefined : unresolvable("node(s) didn't match Pod's node affinity/selector");
  },
  preScore(state: CycleState) {
    return (state.pod.pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).length > 0;
  },
  score(state: CycleState, node: NodeInfo) {
    let n = 0;
    for (const p of state.pod.pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []) if (p.weight !== 0 && termMatches(p.preference, node)) n += p.weight;
    return n;
  },
  normalize(_state, scores) {
    defaultNormalize(scores, false);
  },
};
