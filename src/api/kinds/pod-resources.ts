import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import { tryParseQuantity } from '../quantity.js';

/**
 * A pod's total request or limit of one resource (upstream
 * component-helpers resource PodRequests/PodLimits): the larger of the sum
 * over its containers and sidecars and its biggest init container, plus the
 * pod overhead. A request left out defaults to the limit.
 */
export function podResourceTotal(pod: Pod, kind: 'requests' | 'limits', resource: string): number {
  const amount = (c: Container) => tryParseQuantity((kind === 'requests' ? (c.resources?.requests?.[resource] ?? c.resources?.limits?.[resource]) : c.resources?.limits?.[resource]))?.value ?? 0;
  const inits = pod.spec?.initContainers ?? [];
  const sum = [...(pod.spec?.containers ?? []), ...inits.filter((c) => c.restartPolicy === 'Always')].reduce((n, c) => n + amount(c), 0);
  const init = Math.max(0, ...inits.filter((c) => c.restartPolicy !== 'Always').map(amount));
  return Math.max(sum, init) + (tryParseQuantity(pod.spec?.overhead?.[resource])?.value ?? 0);
}

/** Every resource a pod's containers, init containers or overhead name under `kind`. */
export function podResourceNames(pod: Pod, kind: 'requests' | 'limits'): Set<string> {
  const names = new Set<string>(Object.keys(pod.spec?.overhead ?? {}));
  for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]) for (const n of Object.keys(c.resources?.[kind] ?? {})) names.add(n);
  return names;
}
