import type { Container } from 'kubernetes-types/core/v1.js';
import { tryParseQuantity } from '../../api/quantity.js';

/**
 * How much slower a container's work runs under its CPU limit (the CFS
 * quota): demand over the limit stretches every piece of work by
 * demand / limit; at or under the limit it runs at full speed.
 */
export function cpuSlowdown(container: Container, demandMillicores: number): number {
  if (demandMillicores <= 0) return 1;
  const limit = tryParseQuantity(container.resources?.limits?.['cpu']);
  if (limit === undefined || limit.value <= 0) return 1;
  const limitMillicores = limit.value * 1000;
  return demandMillicores > limitMillicores ? demandMillicores / limitMillicores : 1;
}

export interface CpuClaim {
  /** What the container wants now, millicores. */
  demand: number;
  /** Its request (cpu.shares weight), millicores; 0 for BestEffort. */
  request: number;
  /** Its limit (CFS quota), millicores; undefined when unlimited. */
  limit?: number;
}

/** cpu.shares of a container without a request: the kernel's minimum (2 shares ≈ 2 millicores). */
const MIN_SHARES_MILLICORES = 2;

/**
 * CPU the node gives each container (the CFS scheduler with cpu.shares from
 * requests and quotas from limits): nobody gets more than it wants or its
 * limit; when the node is oversubscribed the capacity is shared in
 * proportion to requests, and whatever a container leaves unused goes to the
 * others (water-filling). Returns millicores granted, in order.
 */
export function shareCpu(claims: readonly CpuClaim[], capacityMillicores: number): number[] {
  const want = claims.map((c) => Math.max(0, Math.min(c.demand, c.limit ?? Infinity)));
  const total = want.reduce((n, w) => n + w, 0);
  if (total <= capacityMillicores) return want;
  const granted = claims.map(() => 0);
  let open = claims.map((_, i) => i).filter((i) => want[i]! > 0);
  let left = capacityMillicores;
  while (open.length > 0 && left > 1e-9) {
    const weight = open.reduce((n, i) => n + Math.max(claims[i]!.request, MIN_SHARES_MILLICORES), 0);
    const satisfied = open.filter((i) => want[i]! - granted[i]! <= (left * Math.max(claims[i]!.request, MIN_SHARES_MILLICORES)) / weight);
    if (satisfied.length === 0) {
      for (const i of open) granted[i]! += (left * Math.max(claims[i]!.request, MIN_SHARES_MILLICORES)) / weight;
      break;
    }
    for (const i of satisfied) {
      left -= want[i]! - granted[i]!;
      granted[i] = want[i]!;
    }
    open = open.filter((i) => !satisfied.includes(i));
  }
  return granted;
}
