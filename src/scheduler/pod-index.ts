import type { Selector } from '../api/labels/index.js';
import type { NodeInfo, PodInfo } from './node-info.js';
import { podAffinityTerms, type AffinityTerm } from './plugins/affinity-terms.js';

export type TermKind = 'requiredAffinity' | 'requiredAntiAffinity' | 'preferredAffinity' | 'preferredAntiAffinity';

/** The existing pods sharing one affinity term, summed by topology domain. */
export interface TermGroup {
  kind: TermKind;
  term: AffinityTerm;
  /** `${topologyKey}\0${value}` → summed weight (1 per pod for required terms). */
  byDomain: Map<string, number>;
}

interface Placed {
  pod: PodInfo;
  node: NodeInfo;
}

const termKey = (kind: TermKind, t: AffinityTerm): string =>
  `${kind}|${t.topologyKey}|${t.weight}|${t.namespaces === undefined ? '*' : [...t.namespaces].sort().join(',')}|${t.namespaceSelector?.requirements.map((r) => `${r.key}${r.operator}${r.values.join(',')}`).join(';') ?? ''}|${t.selector.isNothing ? '!' : t.selector.requirements.map((r) => `${r.key}${r.operator}${r.values.join(',')}`).join(';')}`;

/**
 * Indexes over the assigned pods that keep affinity and spreading fast at
 * scale (upstream keeps per-node lists of pods with affinity and counts in
 * PreFilter state; this keeps the counts between cycles): pods by namespace
 * and label, and existing pods' affinity terms grouped and summed by
 * topology domain. The scheduler cache updates it as pods come and go.
 */
export class PodIndex {
  private readonly byLabel = new Map<string, Map<string, Placed>>();
  private readonly byNamespace = new Map<string, Map<string, Placed>>();
  readonly groups = new Map<string, TermGroup>();

  add(pod: PodInfo, node: NodeInfo): void {
    this.apply(pod, node, 1);
  }

  remove(pod: PodInfo, node: NodeInfo): void {
    this.apply(pod, node, -1);
  }

  private apply(pod: PodInfo, node: NodeInfo, sign: 1 | -1): void {
    const entry: Placed = { pod, node };
    const put = (m: Map<string, Map<string, Placed>>, k: string) => {
      let s = m.get(k);
      if (s === undefined) m.set(k, (s = new Map()));
      if (sign > 0) s.set(pod.key, entry);
      else s.delete(pod.key);
    };
    put(this.byNamespace, pod.namespace);
    for (const [k, v] of Object.entries(pod.labels)) put(this.byLabel, `${pod.namespace}\x00${k}=${v}`);
    if (!pod.hasAffinity) return;
    const terms = podAffinityTerms(pod.pod);
    const each = (kind: TermKind, list: AffinityTerm[]) => {
      for (const t of list) {
        const v = node.labels[t.topologyKey];
        if (v === undefined) continue;
        const key = termKey(kind, t);
        let g = this.groups.get(key);
        if (g === undefined) this.groups.set(key, (g = { kind, term: t, byDomain: new Map() }));
        const d = `${t.topologyKey}\x00${v}`;
        const n = (g.byDomain.get(d) ?? 0) + sign * (kind === 'requiredAffinity' || kind === 'requiredAntiAffinity' ? 1 : t.weight);
        if (n === 0) g.byDomain.delete(d);
        else g.byDomain.set(d, n);
        if (g.byDomain.size === 0) this.groups.delete(key);
      }
    };
    each('requiredAffinity', terms.requiredAffinity);
    each('requiredAntiAffinity', terms.requiredAntiAffinity);
    each('preferredAffinity', terms.preferredAffinity);
    each('preferredAntiAffinity', terms.preferredAntiAffinity);
  }

  /**
   * The placed pods a selector may pick in the namespaces given (undefined
   * = all): those with the selector's most selective equality label when it
   * has one, else every pod in those namespaces. Callers still match.
   */
  candidates(selector: Selector, namespaces: ReadonlySet<string> | undefined): Iterable<Placed> {
    const eq = selector.requirements.filter((r) => (r.operator === '=' || r.operator === '==' || r.operator === 'in') && r.values.length === 1);
    const spaces = namespaces === undefined ? [...this.byNamespace.keys()] : [...namespaces];
    const out: Placed[] = [];
    for (const ns of spaces) {
      let best: Map<string, Placed> | undefined;
      for (const r of eq) {
        const s = this.byLabel.get(`${ns}\x00${r.key}=${r.values[0]}`);
        if (s === undefined) {
          best = new Map();
          break;
        }
        if (best === undefined || s.size < best.size) best = s;
      }
      const pool = best ?? this.byNamespace.get(ns);
      if (pool !== undefined) for (const p of pool.values()) out.push(p);
    }
    return out;
  }
}
