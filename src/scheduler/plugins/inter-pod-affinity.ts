import { MAX_NODE_SCORE, unresolvable, unschedulable, type CycleState, type Plugin } from '../framework.js';
import type { NodeInfo, PodInfo } from '../node-info.js';
import type { PodIndex } from '../pod-index.js';
import { podAffinityTerms, termMatchesPod, type AffinityTerm } from './affinity-terms.js';

/** upstream kube-scheduler default hardPodAffinityWeight */
const HARD_POD_AFFINITY_WEIGHT = 1;

interface PreFilterState {
  /** (topologyKey, value) pairs where an existing pod's required anti-affinity selects the incoming pod. */
  existingAntiAffinity: Map<string, number>;
  /** Per pair, existing pods matching all the incoming pod's required affinity terms. */
  affinity: Map<string, number>;
  /** Per pair, existing pods matching one of the incoming pod's required anti-affinity terms. */
  antiAffinity: Map<string, number>;
}

const pair = (key: string, value: string) => `${key}\x00${value}`;
const bump = (m: Map<string, number>, k: string, by = 1) => m.set(k, (m.get(k) ?? 0) + by);
const KEY = 'InterPodAffinity';
const SCORE_KEY = 'InterPodAffinity/score';

/**
 * upstream plugins/interpodaffinity. Filter: the node's topology domains
 * must hold a pod matching every required affinity term ("node(s) didn't
 * match pod affinity rules" — unless no pod matches anywhere and the pod
 * matches its own terms, the first of a group), none matching a required
 * anti-affinity term ("node(s) didn't match pod anti-affinity rules"), and
 * no existing pod whose required anti-affinity selects this one ("node(s)
 * didn't satisfy existing pods anti-affinity rules"). Score: preferred
 * terms both ways, and existing pods' required affinity, by domain.
 */
export const interPodAffinity: Plugin = {
  name: 'InterPodAffinity',
  weight: 2,
  preFilter(state: CycleState) {
    const s = state.index !== undefined ? indexedPreFilter(state, state.index) : scannedPreFilter(state);
    state.data.set(KEY, s);
    return undefined;
  },
  filter(state: CycleState, node: NodeInfo) {
    const s = state.data.get(KEY) as PreFilterState;
    const terms = podAffinityTerms(state.pod.pod);
    if (!satisfiesAffinity(s, terms.requiredAffinity, state.pod, node)) return unresolvable("node(s) didn't match pod affinity rules");
    for (const t of terms.requiredAntiAffinity) {
      const v = node.labels[t.topologyKey];
      if (v !== undefined && (s.antiAffinity.get(pair(t.topologyKey, v)) ?? 0) > 0) return unschedulable("node(s) didn't match pod anti-affinity rules");
    }
    if (s.existingAntiAffinity.size > 0) {
      for (const [k, v] of Object.entries(node.labels)) if ((s.existingAntiAffinity.get(pair(k, v)) ?? 0) > 0) return unschedulable("node(s) didn't satisfy existing pods anti-affinity rules");
    }
    return undefined;
  },
  preScore(state: CycleState) {
    const scores = state.index !== undefined ? indexedScores(state, state.index) : scannedScores(state);
    if (scores.size === 0) return false;
    state.data.set(SCORE_KEY, scores);
    return true;
  },
  score(state: CycleState, node: NodeInfo) {
    const scores = state.data.get(SCORE_KEY) as Map<string, number>;
    let n = 0;
    for (const [k, v] of Object.entries(node.labels)) n += scores.get(pair(k, v)) ?? 0;
    return n;
  },
  normalize(_state, scores) {
    let min = Infinity;
    let max = -Infinity;
    for (const s of scores) {
      if (s < min) min = s;
      if (s > max) max = s;
    }
    const diff = max - min;
    for (let i = 0; i < scores.length; i++) scores[i] = diff > 0 ? Math.trunc((MAX_NODE_SCORE * (scores[i]! - min)) / diff) : 0;
  },
};

/** Counts over every pod on every node (what-if node copies during preemption). */
function scannedPreFilter(state: CycleState): PreFilterState {
  const incoming = state.pod;
  const terms = podAffinityTerms(incoming.pod);
  const s: PreFilterState = { existingAntiAffinity: new Map(), affinity: new Map(), antiAffinity: new Map() };
  const hasOwnTerms = terms.requiredAffinity.length > 0 || terms.requiredAntiAffinity.length > 0;
  for (const node of state.nodes) {
    if (node.node === undefined) continue;
    for (const existing of node.affinityPods) {
      for (const t of podAffinityTerms(existing.pod).requiredAntiAffinity) {
        const v = node.labels[t.topologyKey];
        if (v !== undefined && termMatchesPod(t, incoming.pod)) bump(s.existingAntiAffinity, pair(t.topologyKey, v));
      }
    }
    if (!hasOwnTerms) continue;
    for (const existing of node.pods.values()) countOwnTerms(s, terms.requiredAffinity, terms.requiredAntiAffinity, existing, node);
  }
  return s;
}

function countOwnTerms(s: PreFilterState, affinity: readonly AffinityTerm[], anti: readonly AffinityTerm[], existing: PodInfo, node: NodeInfo): void {
  if (affinity.length > 0 && affinity.every((t) => termMatchesPod(t, existing.pod))) {
    for (const t of affinity) {
      const v = node.labels[t.topologyKey];
      if (v !== undefined) bump(s.affinity, pair(t.topologyKey, v));
    }
  }
  for (const t of anti) {
    const v = node.labels[t.topologyKey];
    if (v !== undefined && termMatchesPod(t, existing.pod)) bump(s.antiAffinity, pair(t.topologyKey, v));
  }
}

/** The same counts from the cache's index: existing pods' terms by group, the pod's own terms over label-indexed candidates. */
function indexedPreFilter(state: CycleState, index: PodIndex): PreFilterState {
  const incoming = state.pod;
  const terms = podAffinityTerms(incoming.pod);
  const s: PreFilterState = { existingAntiAffinity: new Map(), affinity: new Map(), antiAffinity: new Map() };
  for (const g of index.groups.values()) {
    if (g.kind !== 'requiredAntiAffinity' || !termMatchesPod(g.term, incoming.pod)) continue;
    for (const [d, n] of g.byDomain) bump(s.existingAntiAffinity, d, n);
  }
  if (terms.requiredAffinity.length > 0) {
    const first = terms.requiredAffinity[0]!;
    for (const { pod, node } of index.candidates(first.selector, first.namespaces)) if (node.node !== undefined) countOwnTerms(s, terms.requiredAffinity, [], pod, node);
  }
  for (const t of terms.requiredAntiAffinity) {
    for (const { pod, node } of index.candidates(t.selector, t.namespaces)) if (node.node !== undefined) countOwnTerms(s, [], [t], pod, node);
  }
  return s;
}

function scannedScores(state: CycleState): Map<string, number> {
  const incoming = state.pod.pod;
  const terms = podAffinityTerms(incoming);
  const ownPreferred = terms.preferredAffinity.length > 0 || terms.preferredAntiAffinity.length > 0;
  const scores = new Map<string, number>();
  for (const node of state.nodes) {
    const pods = ownPreferred ? node.pods.values() : node.affinityPods.values();
    for (const existing of pods) {
      const add = (t: AffinityTerm, w: number) => {
        const v = node.labels[t.topologyKey];
        if (v !== undefined) bump(scores, pair(t.topologyKey, v), w);
      };
      for (const t of terms.preferredAffinity) if (termMatchesPod(t, existing.pod)) add(t, t.weight);
      for (const t of terms.preferredAntiAffinity) if (termMatchesPod(t, existing.pod)) add(t, -t.weight);
      if (!existing.hasAffinity) continue;
      const theirs = podAffinityTerms(existing.pod);
      for (const t of theirs.requiredAffinity) if (termMatchesPod(t, incoming)) add(t, HARD_POD_AFFINITY_WEIGHT);
      for (const t of theirs.preferredAffinity) if (termMatchesPod(t, incoming)) add(t, t.weight);
      for (const t of theirs.preferredAntiAffinity) if (termMatchesPod(t, incoming)) add(t, -t.weight);
    }
  }
  return scores;
}

function indexedScores(state: CycleState, index: PodIndex): Map<string, number> {
  const incoming = state.pod.pod;
  const terms = podAffinityTerms(incoming);
  const scores = new Map<string, number>();
  for (const g of index.groups.values()) {
    const sign = g.kind === 'requiredAffinity' ? HARD_POD_AFFINITY_WEIGHT : g.kind === 'preferredAffinity' ? 1 : g.kind === 'preferredAntiAffinity' ? -1 : 0;
    if (sign === 0 || !termMatchesPod(g.term, incoming)) continue;
    for (const [d, n] of g.byDomain) bump(scores, d, sign * n);
  }
  const own = (t: AffinityTerm, w: number) => {
    for (const { pod, node } of index.candidates(t.selector, t.namespaces)) {
      const v = node.labels[t.topologyKey];
      if (v !== undefined && termMatchesPod(t, pod.pod)) bump(scores, pair(t.topologyKey, v), w);
    }
  };
  for (const t of terms.preferredAffinity) own(t, t.weight);
  for (const t of terms.preferredAntiAffinity) own(t, -t.weight);
  for (const [k, v] of scores) if (v === 0) scores.delete(k);
  return scores;
}

function satisfiesAffinity(s: PreFilterState, terms: readonly AffinityTerm[], incoming: PodInfo, node: NodeInfo): boolean {
  if (terms.length === 0) return true;
  let podsExist = true;
  for (const t of terms) {
    const v = node.labels[t.topologyKey];
    if (v === undefined) return false;
    if ((s.affinity.get(pair(t.topologyKey, v)) ?? 0) <= 0) podsExist = false;
  }
  // The first pod of a group with affinity to itself may go anywhere its topology labels exist.
  return podsExist || (s.affinity.size === 0 && terms.every((t) => termMatchesPod(t, incoming.pod)));
}
