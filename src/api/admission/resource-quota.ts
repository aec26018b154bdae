import { podResourceNames, podResourceTotal } from '../kinds/pod-resources.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { apiErrors } from '../errors/status.js';
import { formatQuantity, parseQuantity } from '../quantity.js';
import type { StoredObject } from '../store/index.js';
import type { AdmissionContext } from './types.js';

export const QUOTA_ALIASES: Readonly<Record<string, string>> = { cpu: 'requests.cpu', memory: 'requests.memory', 'ephemeral-storage': 'requests.ephemeral-storage' };
const COMPUTE = ['requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory', 'requests.ephemeral-storage', 'limits.ephemeral-storage'];
const ALIAS = QUOTA_ALIASES;

const terminal = (p: StoredObject): boolean => {
  const phase = (p['status'] as { phase?: string } | undefined)?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
};

/** What one pod counts against a quota (upstream pkg/quota/v1/evaluator/core/pods.go). */
export function podUsage(pod: Pod): Map<string, number> {
  const usage = new Map<string, number>([['pods', 1], ['count/pods', 1]]);
  // Init containers and overhead count as upstream's PodRequests/PodLimits count them.
  for (const kind of ['requests', 'limits'] as const) for (const name of podResourceNames(pod, kind)) usage.set(`${kind}.${name}`, podResourceTotal(pod, kind, name));
  return usage;
}

const pretty = (m: Map<string, number>, keys: string[], format: (k: string, v: number) => string): string =>
  keys
    .sort()
    .map((k) => `${k}=${format(k, m.get(k) ?? 0)}`)
    .join(',');

/**
 * ResourceQuota admission (upstream plugin/pkg/admission/resourcequota) for
 * pods and object counts: usage is recomputed from the pods and objects in
 * the namespace, and a create that would pass a hard limit is refused with
 * upstream's message. A quota on compute resources requires every container
 * to state them.
 */
export function admitResourceQuota(ctx: AdmissionContext): void {
  if (ctx.namespace === undefined) return;
  const quotas = ctx.store.list('resourcequotas', { keyPrefix: `${ctx.namespace}/` }).items;
  if (quotas.length === 0) return;
  const name = String(ctx.object.metadata?.name ?? '');
  const isPod = ctx.type.resource === 'pods' && ctx.type.group === '';
  const requested = isPod ? podUsage(ctx.object as Pod) : new Map([[`count/${ctx.type.group === '' ? ctx.type.resource : `${ctx.type.resource}.${ctx.type.group}`}`, 1]]);
  if (!isPod && ctx.type.group === '' && ['services', 'configmaps', 'secrets', 'persistentvolumeclaims', 'replicationcontrollers', 'resourcequotas'].includes(ctx.type.resource)) {
    requested.set(ctx.type.resource, 1);
  }
  for (const quota of quotas) {
    const hardRaw = ((quota['spec'] as { hard?: Record<string, string> } | undefined)?.hard ?? {}) as Record<string, string>;
    const hard = new Map<string, number>();
    for (const [k, v] of Object.entries(hardRaw)) hard.set(ALIAS[k] ?? k, parseQuantity(v).value);
    if (isPod) {
      const missing = [...hard.keys()].filter((k) => COMPUTE.includes(k)).map((k) => {
        const [kind, res] = k.split('.') as ['requests' | 'limits', string];
        const without = ((ctx.object as Pod).spec?.containers ?? []).filter((c) => c.resources?.[kind]?.[res] === undefined).map((c) => c.name);
        return without.length > 0 ? `${k} for: ${without.join(',')}` : undefined;
      }).filter((m): m is string => m !== undefined);
      if (missing.length > 0) {
        throw apiErrors.forbidden({ group: ctx.type.group, resource: ctx.type.resource }, name, `failed quota: ${quota.metadata?.name}: must specify ${missing.join('; ')}`);
      }
    }
    const used = new Map<string, number>();
    if (isPod) {
      for (const p of ctx.store.list('pods', { keyPrefix: `${ctx.namespace}/` }).items) {
        if (terminal(p)) continue;
        for (const [k, v] of podUsage(p as Pod)) used.set(k, (used.get(k) ?? 0) + v);
      }
    } else {
      const count = ctx.store.list(ctx.type.group === '' ? ctx.type.resource : `${ctx.type.resource}.${ctx.type.group}`, { keyPrefix: `${ctx.namespace}/` }).items.length;
      for (const k of requested.keys()) used.set(k, count);
    }
    const exceeded = [...requested.keys()].filter((k) => hard.has(k) && (used.get(k) ?? 0) + requested.get(k)! > hard.get(k)!);
    if (exceeded.length > 0) {
      const fmt = (k: string, v: number): string => (k.includes('cpu') || k.includes('memory') || k.includes('storage') ? formatQuantity({ value: v, format: k.includes('cpu') ? 'DecimalSI' : 'BinarySI' }) : String(v));
      throw apiErrors.forbidden(
        { group: ctx.type.group, resource: ctx.type.resource },
        name,
        `exceeded quota: ${quota.metadata?.name}, requested: ${pretty(requested, exceeded, fmt)}, used: ${pretty(used, exceeded, fmt)}, limited: ${pretty(hard, exceeded, (k) => hardRaw[k] ?? hardRaw[k.replace('requests.', '')] ?? '')}`,
      );
    }
  }
}
