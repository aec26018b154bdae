import type { PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import type { NodeInfo, PodInfo } from './node-info.js';
import type { PodIndex } from './pod-index.js';

/** upstream framework.MaxNodeScore */
export const MAX_NODE_SCORE = 100;

/**
 * Why a node cannot take the pod (upstream framework.Status): Unschedulable
 * may be resolved by preemption; UnschedulableAndUnresolvable may not.
 */
export interface FilterFailure {
  code: 'Unschedulable' | 'UnschedulableAndUnresolvable';
  reasons: string[];
}

export const unschedulable = (...reasons: string[]): FilterFailure => ({ code: 'Unschedulable', reasons });
export const unresolvable = (...reasons: string[]): FilterFailure => ({ code: 'UnschedulableAndUnresolvable', reasons });

/** Objects plugins look up in the scheduler's informer caches. */
export interface Listers {
  claim(namespace: string, name: string): PersistentVolumeClaim | undefined;
  persistentVolume(name: string): PersistentVolume | undefined;
  storageClass(name: string): StorageClass | undefined;
}

/** One scheduling cycle's view: the pod, every node, and what plugins computed in PreFilter/PreScore. */
export interface CycleState {
  pod: PodInfo;
  nodes: readonly NodeInfo[];
  data: Map<string, unknown>;
  listers?: Listers;
  /** The cache's indexes over placed pods; absent when nodes are a what-if copy (preemption), so plugins scan. */
  index?: PodIndex;
  /** Changes whenever the node set or any node's labels change (absent: nothing may be cached across cycles). */
  nodesVersion?: number;
}

/** A scheduler plugin at the extension points Crucible runs (upstream framework interfaces). */
export interface Plugin {
  readonly name: string;
  /** Score weight in the default profile (upstream default_plugins.go). */
  readonly weight?: number;
  /** A failure here makes every node fail with it (upstream PreFilter). */
  preFilter?(state: CycleState): FilterFailure | undefined;
  filter?(state: CycleState, node: NodeInfo): FilterFailure | undefined;
  /** Returns false when the plugin has nothing to score for this pod (upstream PreScore Skip). */
  preScore?(state: CycleState, feasible: readonly NodeInfo[]): boolean | void;
  score?(state: CycleState, node: NodeInfo): number;
  /** Normalize the raw scores in place to 0..100. */
  normalize?(state: CycleState, scores: number[]): void;
}

/** upstream helper.DefaultNormalizeScore: scale to 0..max by the largest score, reversed when asked. */
export function defaultNormalize(scores: number[], reverse: boolean): void {
  let max = 0;
  for (const s of scores) if (s > max) max = s;
  if (max === 0) {
    if (reverse) for (let i = 0; i < scores.length; i++) scores[i] = MAX_NODE_SCORE;
    return;
  }
  for (let i = 0; i < scores.length; i++) {
    const s = Math.trunc((MAX_NODE_SCORE * scores[i]!) / max);
    scores[i] = reverse ? MAX_NODE_SCORE - s : s;
  }
}
