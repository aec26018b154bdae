import type { Container } from 'kubernetes-types/core/v1.js';
import { tryParseQuantity } from '../../api/quantity.js';

/**
 * How much slower a container's work runs under its CPU limit (the CFS
 * quota): demand over the limit stretches every piece of work by
 * demand / limit; at or under the limit it runs at full speed.
 */
export function cpuSlowdown(container: Container, demandMillicores: number): number {
  const limit = tryParseQuantity(container.resources?.limits?.['cpu']);
  if (limit === undefined || limit.value <= 0) return 1;
  const limitMillicores = limit.value * 1000;
  return demandMillicores > limitMillicores ? demandMillicores / limitMillicores : 1;
}
