import type { Pod } from 'kubernetes-types/core/v1.js';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import { labelSelectorAsSelector } from '../api/labels/index.js';
import { fitErrorMessage, type Diagnosis, type SchedulingAlgorithm } from './algorithm.js';
import { unresolvable, type CycleState, type FilterFailure, type Listers } from './framework.js';
import { NodeInfo, type PodInfo } from './node-info.js';

const priority = (p: Pod): number => p.spec?.priority ?? 0;
const startTime = (p: Pod): string => p.status?.startTime ?? p.metadata?.creationTimestamp ?? '';

/** upstream util.MoreImportantPod: higher priority first, then the one that started earlier. */
function moreImportant(a: Pod, b: Pod): number {
  if (priority(a) !== priority(b)) return priority(b) - priority(a);
  return startTime(a) < startTime(b) ? -1 : startTime(a) > startTime(b) ? 1 : 0;
}

export interface Candidate {
  node: string;
  victims: Pod[];
  pdbViolations: number;
}

export type PreemptionOutcome = { candidate: Candidate } | { message: string };

/** upstream filterPodsWithPDBViolation: which victims would take a budget below zero. */
function splitByBudget(victims: readonly PodInfo[], budgets: readonly PodDisruptionBudget[]): { violating: PodInfo[]; fine: PodInfo[] } {
  const allowed = budgets.map((b) => b.status?.disruptionsAllowed ?? 0);
  const violating: PodInfo[] = [];
  const fine: PodInfo[] = [];
  for (const v of victims) {
    let violates = false;
    budgets.forEach((b, i) => {
      if (b.metadata?.namespace !== v.namespace) return;
      const selector = labelSelectorAsSelector(b.spec?.selector ?? null);
      if (selector.empty || !selector.matches(v.labels)) return;
      if (b.status?.disruptedPods?.[v.pod.metadata?.name ?? ''] !== undefined) return;
      allowed[i]!--;
      if (allowed[i]! < 0) violates = true;
    });
    (violates ? violating : fine).push(v);
  }
  return { violating, fine };
}

/**
 * The scheduler's DefaultPreemption PostFilter (upstream
 * framework/preemption and plugins/defaultpreemption): on each node where
 * filters failed for a reason preemption can resolve, remove every pod of
 * lower priority; if the pod then fits, give back as many as still let it
 * fit (budget-violating ones first, most important first). Pick the node
 * with the fewest budget violations, then the lowest highest-priority
 * victim, the lowest priority sum, the fewest victims, the latest start.
 * With no candidate, the message says why, as upstream words it.
 */
export function preempt(
  algorithm: SchedulingAlgorithm,
  pod: PodInfo,
  nodes: readonly NodeInfo[],
  statuses: ReadonlyMap<string, FilterFailure>,
  budgets: readonly PodDisruptionBudget[],
  listers?: Listers,
): PreemptionOutcome {
  if (pod.pod.spec?.preemptionPolicy === 'Never') return { message: 'preemption: not eligible due to preemptionPolicy=Never.' };
  const nominated = pod.pod.status?.nominatedNodeName;
  if (nominated !== undefined && nominated !== '' && statuses.get(nominated)?.code !== 'UnschedulableAndUnresolvable') {
    const n = nodes.find((x) => x.name === nominated);
    for (const p of n?.pods.values() ?? []) {
      if (priority(p.pod) < priority(pod.pod) && p.pod.metadata?.deletionTimestamp !== undefined) return { message: 'preemption: not eligible due to a terminating pod on the nominated node.' };
    }
  }
  const result = new Map<string, FilterFailure>();
  const candidates: Candidate[] = [];
  for (const node of nodes) {
    const status = statuses.get(node.name);
    if (status === undefined) continue;
    if (status.code === 'UnschedulableAndUnresolvable') {
      result.set(node.name, unresolvable('Preemption is not helpful for scheduling'));
      continue;
    }
    const c = selectVictimsOnNode(algorithm, pod, node, nodes, budgets, listers);
    if ('failure' in c) result.set(node.name, c.failure);
    else candidates.push(c);
  }
  if (candidates.length === 0) {
    const d: Diagnosis = { nodeToStatus: result };
    return { message: `preemption: ${fitErrorMessage(nodes.length, d)}` };
  }
  return { candidate: pickOne(candidates) };
}

function selectVictimsOnNode(algorithm: SchedulingAlgorithm, pod: PodInfo, node: NodeInfo, nodes: readonly NodeInfo[], budgets: readonly PodDisruptionBudget[], listers?: Listers): Candidate | { failure: FilterFailure } {
  const copy = new NodeInfo(node.name, node.node);
  const potential: PodInfo[] = [];
  for (const p of node.pods.values()) {
    if (priority(p.pod) < priority(pod.pod)) potential.push(p);
    else copy.addPod(p);
  }
  if (potential.length === 0) return { failure: unresolvable('No preemption victims found for incoming pod') };
  const view = nodes.map((n) => (n === node ? copy : n));
  const fits = (): FilterFailure | undefined => {
    const state: CycleState = { pod, nodes: view, data: new Map(), ...(listers !== undefined && { listers }) };
    return algorithm.runPreFilter(state) ?? algorithm.runFilters(state, copy);
  };
  const failure = fits();
  if (failure !== undefined) return { failure };
  potential.sort((a, b) => moreImportant(a.pod, b.pod));
  const { violating, fine } = splitByBudget(potential, budgets);
  const victims: Pod[] = [];
  let pdbViolations = 0;
  const reprieve = (p: PodInfo): boolean => {
    copy.addPod(p);
    if (fits() === undefined) return true;
    copy.removePod(p.key);
    victims.push(p.pod);
    return false;
  };
  for (const p of violating) if (!reprieve(p)) pdbViolations++;
  for (const p of fine) reprieve(p);
  if (violating.length > 0 && fine.length > 0) victims.sort(moreImportant);
  if (victims.length === 0) return { failure: unresolvable('No preemption victims found for incoming pod') };
  return { node: node.name, victims, pdbViolations };
}

/** upstream pickOneNodeForPreemption */
function pickOne(candidates: Candidate[]): Candidate {
  const by = (list: Candidate[], key: (c: Candidate) => number, highest = false): Candidate[] => {
    const best = highest ? Math.max(...list.map(key)) : Math.min(...list.map(key));
    return list.filter((c) => key(c) === best);
  };
  let list = by(candidates, (c) => c.pdbViolations);
  list = by(list, (c) => priority(c.victims[0]!));
  list = by(list, (c) => c.victims.reduce((n, v) => n + priority(v) + 2 ** 31, 0));
  list = by(list, (c) => c.victims.length);
  // The node whose highest-priority victims started latest.
  const earliest = (c: Candidate) => {
    const top = priority(c.victims[0]!);
    const times = c.victims.filter((v) => priority(v) === top).map(startTime).sort();
    return times[0] ?? '';
  };
  list.sort((a, b) => (earliest(a) > earliest(b) ? -1 : earliest(a) < earliest(b) ? 1 : 0));
  return list[0]!;
}
