import type { PodSpec } from 'kubernetes-types/core/v1.js';
import { tryParseQuantity } from '../quantity.js';

export type QOSClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

const COMPUTE = ['cpu', 'memory'] as const;

/**
 * upstream pkg/apis/core/helper/qos GetPodQOS: BestEffort when no container
 * requests or limits cpu or memory; Guaranteed when every container limits
 * both and its requests equal its limits; Burstable otherwise. Only cpu and
 * memory count. (Requests default to limits, so limits alone are enough.)
 */
export function podQOSClass(spec: PodSpec): QOSClass {
  const containers = [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
  let anySet = false;
  let guaranteed = true;
  for (const c of containers) {
    const requests = c.resources?.requests ?? {};
    const limits = c.resources?.limits ?? {};
    for (const r of COMPUTE) {
      const req = tryParseQuantity(requests[r] ?? limits[r]);
      const lim = tryParseQuantity(limits[r]);
      if ((req !== undefined && req.value !== 0) || (lim !== undefined && lim.value !== 0)) anySet = true;
      if (lim === undefined || req === undefined || req.value !== lim.value) guaranteed = false;
    }
  }
  if (!anySet) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}
