import type { Pod } from 'kubernetes-types/core/v1.js';
import { apiErrors } from '../errors/status.js';
import { formatQuantity, tryParseQuantity } from '../quantity.js';
import type { AdmissionContext } from './types.js';

interface LimitItem {
  type: string;
  default?: Record<string, string>;
  defaultRequest?: Record<string, string>;
  max?: Record<string, string>;
  min?: Record<string, string>;
}

/**
 * LimitRanger admission (upstream plugin/pkg/admission/limitranger) for
 * Container limits: fill in default limits and requests, then enforce min
 * and max with upstream's messages.
 */
export function admitLimitRanges(ctx: AdmissionContext): void {
  if (ctx.namespace === undefined) return;
  const pod = ctx.object as Pod;
  const ranges = ctx.store.list('limitranges', { keyPrefix: `${ctx.namespace}/` }).items;
  const items = ranges.flatMap((r) => ((r['spec'] as { limits?: LimitItem[] } | undefined)?.limits ?? []).filter((l) => l.type === 'Container'));
  if (items.length === 0 || pod.spec === undefined) return;
  for (const c of [...(pod.spec.initContainers ?? []), ...pod.spec.containers]) {
    c.resources ??= {};
    for (const item of items) {
      for (const [name, value] of Object.entries(item.default ?? {})) {
        c.resources.limits ??= {};
        c.resources.limits[name] ??= value;
      }
      for (const [name, value] of Object.entries(item.defaultRequest ?? item.default ?? {})) {
        c.resources.requests ??= {};
        if (c.resources.requests[name] === undefined) c.resources.requests[name] = c.resources.limits?.[name] !== undefined && item.defaultRequest === undefined ? c.resources.limits[name]! : value;
      }
      for (const [name, maxText] of Object.entries(item.max ?? {})) {
        const max = tryParseQuantity(maxText);
        const limit = tryParseQuantity(c.resources.limits?.[name]);
        if (max === undefined) continue;
        if (limit === undefined) fail(`maximum ${name} usage per Container is ${formatQuantity(max)}.  No limit is specified`);
        else if (limit.value > max.value) fail(`maximum ${name} usage per Container is ${formatQuantity(max)}, but limit is ${formatQuantity(limit)}`);
      }
      for (const [name, minText] of Object.entries(item.min ?? {})) {
        const min = tryParseQuantity(minText);
        const request = tryParseQuantity(c.resources.requests?.[name]);
        if (min === undefined) continue;
        if (request === undefined) fail(`minimum ${name} usage per Container is ${formatQuantity(min)}.  No request is specified`);
        else if (request.value < min.value) fail(`minimum ${name} usage per Container is ${formatQuantity(min)}, but request is ${formatQuantity(request)}`);
      }
    }
  }
  function fail(why: string): never {
    throw apiErrors.forbidden({ group: '', resource: 'pods' }, String(pod.metadata?.name ?? ''), why);
  }
}
