import type { TopologySpreadConstraint } from 'kubernetes-types/core/v1.js';
import { labelSelectorAsSelector, requirement, Selector } from '../../api/labels/index.js';
import { MAX_NODE_SCORE, unresolvable, unschedulable, type CycleState, type Plugin } from '../framework.js';
import type { NodeInfo, PodInfo } from '../node-info.js';
import { podMatchesNodeSelectorAndAffinity } from './node-affinity.js';

interface Constraint {
  maxSkew: number;
  topologyKey: string;
  selector: Selector;
  minDomains: number;
  honorNodeAffinity: boolean;
}

/** upstream filterTopologySpreadConstraints: the constraints of one kind, with matchLabelKeys folded into the selector. */
function constraints(p: PodInfo, action: 'DoNotSchedule' | 'ScheduleAnyway'): Constraint[] {
  return (p.pod.spec?.topologySpreadConstraints ?? [])
    .filter((c: TopologySpreadConstraint) => c.whenUnsatisfiable === action)
    .map((c) => {
      let selector = labelSelectorAsSelector(c.labelSelector ?? null);
      const extra = (c.matchLabelKeys ?? []).filter((k) => p.labels[k] !== undefined).map((k) => requirement(k, 'in', [p.labels[k]!]));
      if (extra.length > 0 && !selector.isNothing) selector = Selector.of([...selector.requirements, ...extra]);
      return { maxSkew: c.maxSkew, topologyKey: c.topologyKey, selector, minDomains: c.minDomains ?? 1, honorNodeAffinity: (c.nodeAffinityPolicy ?? 'Honor') === 'Honor' };
    });
}

/** Pods on the node in the pod's namespace that the selector picks, not being deleted. */
function countMatching(node: NodeInfo, selector: Selector, namespace: string): number {
  let n = 0;
  for (const p of node.pods.values()) if (p.namespace === namespace && p.pod.metadata?.deletionTimestamp === undefined && selector.matches(p.labels)) n++;
  return n;
}

interface FilterState {
  constraints: Constraint[];
  /** Per constraint: matching pods per topology value. */
  counts: Array<Map<string, number>>;
  /** Per constraint: the smallest count over its domains (0 below minDomains). */
  min: number[];
}

const FILTER = 'PodTopologySpread/filter';

/** Eligible nodes by pod placement rules and constraint keys, kept while the node set and labels stay the same. */
const eligibleCache = new WeakMap<readonly NodeInfo[], { version: number; bySignature: Map<string, Set<NodeInfo>> }>();

function eligibleNodes(state: CycleState, cs: readonly Constraint[]): Set<NodeInfo> {
  const compute = () => new Set(state.nodes.filter((n) => eligible(n, state.pod, cs)));
  if (state.nodesVersion === undefined) return compute();
  const spec = state.pod.pod.spec;
  const signature = JSON.stringify([cs.map((c) => [c.topologyKey, c.honorNodeAffinity]), spec?.nodeSelector ?? null, spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? null]);
  let entry = eligibleCache.get(state.nodes);
  if (entry === undefined || entry.version !== state.nodesVersion) eligibleCache.set(state.nodes, (entry = { version: state.nodesVersion, bySignature: new Map() }));
  let set = entry.bySignature.get(signature);
  if (set === undefined) entry.bySignature.set(signature, (set = compute()));
  return set;
}
const SCORE = 'PodTopologySpread/score';

/** A node counts for spreading when it matches the pod's node affinity (nodeAffinityPolicy Honor) and has every constraint's key. */
function eligible(node: NodeInfo, p: PodInfo, cs: readonly Constraint[]): boolean {
  if (node.node === undefined) return false;
  if (cs.some((c) => c.honorNodeAffinity) && !podMatchesNodeSelectorAndAffinity(p.pod, node)) return false;
  return cs.every((c) => node.labels[c.topologyKey] !== undefined);
}

/**
 * upstream plugins/podtopologyspread. Filter (DoNotSchedule): a node
 * without a constraint's topology key fails ("node(s) didn't match pod
 * topology spread constraints (missing required label)"); placing the pod
 * must keep matching pods in its domain within maxSkew of the emptiest
 * domain ("node(s) didn't match pod topology spread constraints"). Score
 * (ScheduleAnyway): domains with fewer matching pods score higher.
 */
export const podTopologySpread: Plugin = {
  name: 'PodTopologySpread',
  weight: 2,
  preFilter(state: CycleState) {
    const cs = constraints(state.pod, 'DoNotSchedule');
    if (cs.length === 0) return undefined;
    const index = state.index;
    const counts = cs.map(() => new Map<string, number>());
    const ok = eligibleNodes(state, cs);
    for (const node of ok) {
      cs.forEach((c, i) => {
        const v = node.labels[c.topologyKey]!;
        counts[i]!.set(v, (counts[i]!.get(v) ?? 0) + (index === undefined ? countMatching(node, c.selector, state.pod.namespace) : 0));
      });
    }
    if (index !== undefined) {
      // Count the matching pods from the label index instead of walking every node's pods.
      cs.forEach((c, i) => {
        for (const { pod, node } of index.candidates(c.selector, new Set([state.pod.namespace]))) {
          if (!ok.has(node) || pod.pod.metadata?.deletionTimestamp !== undefined || !c.selector.matches(pod.labels)) continue;
          const v = node.labels[c.topologyKey]!;
          counts[i]!.set(v, counts[i]!.get(v)! + 1);
        }
      });
    }
    const min = cs.map((c, i) => {
      const domains = counts[i]!;
      if (domains.size < c.minDomains) return 0;
      let m = Infinity;
      for (const n of domains.values()) m = Math.min(m, n);
      return m === Infinity ? 0 : m;
    });
    state.data.set(FILTER, { constraints: cs, counts, min } satisfies FilterState);
    return undefined;
  },
  filter(state: CycleState, node: NodeInfo) {
    const s = state.data.get(FILTER) as FilterState | undefined;
    if (s === undefined) return undefined;
    for (let i = 0; i < s.constraints.length; i++) {
      const c = s.constraints[i]!;
      const v = node.labels[c.topologyKey];
      if (v === undefined) return unresolvable("node(s) didn't match pod topology spread constraints (missing required label)");
      const self = c.selector.matches(state.pod.labels) ? 1 : 0;
      const skew = (s.counts[i]!.get(v) ?? 0) + self - s.min[i]!;
      if (skew > c.maxSkew) return unschedulable("node(s) didn't match pod topology spread constraints");
    }
    return undefined;
  },
  preScore(state: CycleState, feasible: readonly NodeInfo[]) {
    const cs = constraints(state.pod, 'ScheduleAnyway');
    if (cs.length === 0) return false;
    const counts = cs.map(() => new Map<string, number>());
    const domains = cs.map(() => new Set<string>());
    // Domains are those of the feasible nodes; pods are counted on every eligible node.
    for (const node of feasible) cs.forEach((c, i) => node.labels[c.topologyKey] !== undefined && domains[i]!.add(node.labels[c.topologyKey]!));
    for (const node of state.nodes) {
      if (!eligible(node, state.pod, cs)) continue;
      cs.forEach((c, i) => {
        const v = node.labels[c.topologyKey]!;
        if (domains[i]!.has(v)) counts[i]!.set(v, (counts[i]!.get(v) ?? 0) + countMatching(node, c.selector, state.pod.namespace));
      });
    }
    // upstream topologyNormalizingWeight: log(domains + 2)
    const weights = domains.map((d) => Math.log(d.size + 2));
    state.data.set(SCORE, { constraints: cs, counts, weights });
    return true;
  },
  score(state: CycleState, node: NodeInfo) {
    const s = state.data.get(SCORE) as { constraints: Constraint[]; counts: Array<Map<string, number>>; weights: number[] } | undefined;
    if (s === undefined) return 0;
    if (s.constraints.some((c) => node.labels[c.topologyKey] === undefined)) return -1; // ignored node
    let score = 0;
    s.constraints.forEach((c, i) => {
      const v = node.labels[c.topologyKey]!;
      const cnt = c.topologyKey === 'kubernetes.io/hostname' ? countMatching(node, c.selector, state.pod.namespace) : (s.counts[i]!.get(v) ?? 0);
      score += cnt * s.weights[i]! + (c.maxSkew - 1);
    });
    return Math.round(score);
  },
  normalize(state: CycleState, scores: number[]) {
    if (state.data.get(SCORE) === undefined) return;
    let min = Infinity;
    let max = 0;
    for (const s of scores) {
      if (s < 0) continue;
      if (s < min) min = s;
      if (s > max) max = s;
    }
    for (let i = 0; i < scores.length; i++) {
      const s = scores[i]!;
      if (s < 0) scores[i] = 0;
      else if (max === 0) scores[i] = MAX_NODE_SCORE;
      else scores[i] = Math.trunc((MAX_NODE_SCORE * (max + min - s)) / max);
    }
  },
};
