import type { Nominator } from './nominator.js';
import type { CycleState, FilterFailure, Listers, Plugin } from './framework.js';
import type { NodeInfo, PodInfo } from './node-info.js';
import type { PodIndex } from './pod-index.js';

/** upstream minFeasibleNodesToFind and minFeasibleNodesPercentageToFind */
const MIN_FEASIBLE_NODES = 100;
const MIN_FEASIBLE_PERCENTAGE = 5;

/**
 * How many feasible nodes to find before scoring (upstream
 * numFeasibleNodesToFind): all of them below 100 nodes; else
 * percentageOfNodesToScore, by default 50 − nodes/125 percent (at least 5 %),
 * and never fewer than 100.
 */
export function numFeasibleNodesToFind(numAllNodes: number, percentageOfNodesToScore = 0): number {
  if (numAllNodes < MIN_FEASIBLE_NODES) return numAllNodes;
  let percentage = percentageOfNodesToScore;
  if (percentage === 0) percentage = Math.max(MIN_FEASIBLE_PERCENTAGE, 50 - Math.trunc(numAllNodes / 125));
  const n = Math.trunc((numAllNodes * percentage) / 100);
  return Math.max(n, MIN_FEASIBLE_NODES);
}

/** Why every node failed (upstream framework.Diagnosis). */
export interface Diagnosis {
  nodeToStatus: Map<string, FilterFailure>;
  preFilterMsg?: string;
  postFilterMsg?: string;
}

/**
 * upstream framework.FitError.Error(): "0/N nodes are available: " then the
 * PreFilter message, or the histogram of node reasons ("1 node(s) had
 * untolerated taint {…}, 2 Insufficient memory", sorted as strings), then
 * the PostFilter (preemption) message, each closed by a period.
 */
export function fitErrorMessage(numAllNodes: number, d: Diagnosis): string {
  let msg = `0/${numAllNodes} nodes are available:`;
  if (d.preFilterMsg !== undefined && d.preFilterMsg !== '') msg += ` ${d.preFilterMsg}.`;
  else {
    const histogram = new Map<string, number>();
    for (const s of d.nodeToStatus.values()) for (const r of s.reasons) histogram.set(r, (histogram.get(r) ?? 0) + 1);
    const parts = [...histogram].map(([r, n]) => `${n} ${r}`).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    if (parts.length > 0) msg += ` ${parts.join(', ')}.`;
  }
  if (d.postFilterMsg !== undefined && d.postFilterMsg !== '') msg += ` ${d.postFilterMsg}.`;
  return msg;
}

export type ScheduleOutcome = { node: string; evaluated: number; feasible: number } | { diagnosis: Diagnosis; numAllNodes: number };

/**
 * One scheduling cycle's decision (upstream schedule_one.go
 * schedulePod): PreFilter; Filter from where the last cycle stopped until
 * enough feasible nodes are found (a nominated node is tried first); Score
 * with each plugin's normalisation and weight; the best node, ties broken at
 * random from the scheduler's seeded stream.
 */
export class SchedulingAlgorithm {
  private nextStartNodeIndex = 0;
  private readonly preFilters: Plugin[];
  private readonly filters: Plugin[];
  private readonly scorers: Plugin[];

  constructor(
    plugins: readonly Plugin[],
    private readonly random: () => number,
    private readonly percentageOfNodesToScore = 0,
  ) {
    this.preFilters = plugins.filter((p) => p.preFilter !== undefined);
    this.filters = plugins.filter((p) => p.filter !== undefined);
    this.scorers = plugins.filter((p) => p.score !== undefined);
  }

  runPreFilter(state: CycleState): FilterFailure | undefined {
    for (const p of this.preFilters) {
      const f = p.preFilter!(state);
      if (f !== undefined) return f;
    }
    return undefined;
  }

  /** Nominated pods a node should be seen with (set by the scheduler). */
  nominator: Nominator | undefined;

  /**
   * upstream RunFilterPluginsWithNominatedPods: first with the node's
   * nominated pods of equal or higher priority added, then (if that passed)
   * without them, since a pod may need what one of them provides.
   */
  runFilters(state: CycleState, node: NodeInfo): FilterFailure | undefined {
    const withNominated = this.nominator?.withNominatedPods(state.pod, node);
    if (withNominated !== undefined) {
      const f = this.runFilterPlugins(state, withNominated);
      if (f !== undefined) return f;
    }
    return this.runFilterPlugins(state, node);
  }

  private runFilterPlugins(state: CycleState, node: NodeInfo): FilterFailure | undefined {
    const filters = this.filters;
    for (let i = 0; i < filters.length; i++) {
      const f = filters[i]!.filter!(state, node);
      if (f !== undefined) return f;
    }
    return undefined;
  }

  schedule(pod: PodInfo, nodes: readonly NodeInfo[], listers?: Listers, index?: PodIndex, nodesVersion?: number): ScheduleOutcome {
    const state: CycleState = { pod, nodes, data: new Map(), ...(listers !== undefined && { listers }), ...(index !== undefined && { index }), ...(nodesVersion !== undefined && { nodesVersion }) };
    const nodeToStatus = new Map<string, FilterFailure>();
    if (nodes.length === 0) return { diagnosis: { nodeToStatus }, numAllNodes: 0 };
    const pre = this.runPreFilter(state);
    if (pre !== undefined) {
      for (const n of nodes) nodeToStatus.set(n.name, pre);
      return { diagnosis: { nodeToStatus, preFilterMsg: pre.reasons.join(', ') }, numAllNodes: nodes.length };
    }
    const nominated = pod.pod.status?.nominatedNodeName;
    if (nominated !== undefined && nominated !== '') {
      const n = nodes.find((x) => x.name === nominated);
      if (n !== undefined && this.runFilters(state, n) === undefined) return { node: n.name, evaluated: 1, feasible: 1 };
    }
    const want = numFeasibleNodesToFind(nodes.length, this.percentageOfNodesToScore);
    const feasible: NodeInfo[] = [];
    let processed = 0;
    const start = this.nextStartNodeIndex % nodes.length;
    for (let i = 0; i < nodes.length && feasible.length < want; i++) {
      const node = nodes[(start + i) % nodes.length]!;
      processed++;
      const f = this.runFilters(state, node);
      if (f === undefined) feasible.push(node);
      else nodeToStatus.set(node.name, f);
    }
    this.nextStartNodeIndex = (start + processed) % nodes.length;
    if (feasible.length === 0) return { diagnosis: { nodeToStatus }, numAllNodes: nodes.length };
    if (feasible.length === 1) return { node: feasible[0]!.name, evaluated: processed, feasible: 1 };
    return { node: this.selectHost(state, feasible), evaluated: processed, feasible: feasible.length };
  }

  private selectHost(state: CycleState, feasible: readonly NodeInfo[]): string {
    const totals = new Array<number>(feasible.length).fill(0);
    for (const p of this.scorers) {
      if (p.preScore?.(state, feasible) === false) continue;
      const scores = new Array<number>(feasible.length);
      for (let i = 0; i < feasible.length; i++) scores[i] = p.score!(state, feasible[i]!);
      p.normalize?.(state, scores);
      const w = p.weight ?? 1;
      for (let i = 0; i < scores.length; i++) totals[i]! += scores[i]! * w;
    }
    // upstream selectHost: the highest score; among equals each is kept with probability 1/count (reservoir sampling).
    let best = 0;
    let ties = 1;
    for (let i = 1; i < totals.length; i++) {
      if (totals[i]! > totals[best]!) {
        best = i;
        ties = 1;
      } else if (totals[i] === totals[best]) {
        ties++;
        if (Math.floor(this.random() * ties) === 0) best = i;
      }
    }
    return feasible[best]!.name;
  }
}
