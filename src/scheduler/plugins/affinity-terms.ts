import type { Pod, PodAffinityTerm } from 'kubernetes-types/core/v1.js';
import { labelSelectorAsSelector, requirement, Selector } from '../../api/labels/index.js';

/** A pod affinity term made ready to match (upstream framework.AffinityTerm). */
export interface AffinityTerm {
  selector: Selector;
  /** undefined: every namespace (an empty namespaceSelector). */
  namespaces: Set<string> | undefined;
  /** A namespaceSelector that is neither absent nor empty, matched against the namespace's name label. */
  namespaceSelector: Selector | undefined;
  topologyKey: string;
  weight: number;
}

/**
 * upstream framework.newAffinityTerm: the term's namespaces, or the pod's
 * own when neither namespaces nor a namespaceSelector is given; an empty
 * namespaceSelector means every namespace; matchLabelKeys add the pod's own
 * values to the selector.
 */
export function affinityTerm(pod: Pod, term: PodAffinityTerm, weight = 1): AffinityTerm {
  const ns = pod.metadata?.namespace ?? 'default';
  let selector = labelSelectorAsSelector(term.labelSelector ?? null);
  const labels = pod.metadata?.labels ?? {};
  const extra = [
    ...(term.matchLabelKeys ?? []).filter((k) => labels[k] !== undefined).map((k) => requirement(k, 'in', [labels[k]!])),
    ...(term.mismatchLabelKeys ?? []).filter((k) => labels[k] !== undefined).map((k) => requirement(k, 'notin', [labels[k]!])),
  ];
  if (extra.length > 0 && !selector.isNothing) selector = Selector.of([...selector.requirements, ...extra]);
  const nsSel = term.namespaceSelector;
  const everyNamespace = nsSel !== undefined && nsSel !== null && (nsSel.matchLabels === undefined || Object.keys(nsSel.matchLabels).length === 0) && (nsSel.matchExpressions ?? []).length === 0;
  const names = new Set(term.namespaces ?? []);
  if (names.size === 0 && (nsSel === undefined || nsSel === null)) names.add(ns);
  return {
    selector,
    namespaces: everyNamespace ? undefined : names,
    namespaceSelector: everyNamespace || nsSel === undefined || nsSel === null ? undefined : labelSelectorAsSelector(nsSel),
    topologyKey: term.topologyKey,
    weight,
  };
}

/** Whether the term selects the pod: its namespace, then its labels. */
export function termMatchesPod(term: AffinityTerm, pod: Pod): boolean {
  const ns = pod.metadata?.namespace ?? 'default';
  if (term.namespaces !== undefined) {
    const byName = term.namespaces.has(ns);
    // Namespaces carry kubernetes.io/metadata.name=<name> (set by the API server), which is all a namespaceSelector sees here.
    const bySelector = term.namespaceSelector?.matches({ 'kubernetes.io/metadata.name': ns }) ?? false;
    if (!byName && !bySelector) return false;
  }
  return term.selector.matches(pod.metadata?.labels ?? {});
}

/** A pod's affinity terms, parsed once per pod. */
export interface PodAffinityTerms {
  requiredAffinity: AffinityTerm[];
  requiredAntiAffinity: AffinityTerm[];
  preferredAffinity: AffinityTerm[];
  preferredAntiAffinity: AffinityTerm[];
}

const cache = new WeakMap<Pod, PodAffinityTerms>();

export function podAffinityTerms(pod: Pod): PodAffinityTerms {
  let t = cache.get(pod);
  if (t !== undefined) return t;
  const a = pod.spec?.affinity;
  t = {
    requiredAffinity: (a?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((x) => affinityTerm(pod, x)),
    requiredAntiAffinity: (a?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((x) => affinityTerm(pod, x)),
    preferredAffinity: (a?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((x) => affinityTerm(pod, x.podAffinityTerm, x.weight)),
    preferredAntiAffinity: (a?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((x) => affinityTerm(pod, x.podAffinityTerm, x.weight)),
  };
  cache.set(pod, t);
  return t;
}

export function hasPodAffinity(pod: Pod): boolean {
  const a = pod.spec?.affinity;
  return a?.podAffinity !== undefined || a?.podAntiAffinity !== undefined;
}
