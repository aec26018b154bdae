import { isStatusError } from '../api/errors/status.js';
import { jsonEqual } from '../api/json-clone.js';
import type { KubeObject } from '../api/registry/index.js';
import type { Cluster } from './cluster.js';
import { ManifestError, parseManifests } from './manifests.js';

/** kubectl's annotation holding the configuration last applied. */
export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

export interface ApplyResult {
  object: KubeObject;
  /** What kubectl prints: `deployment.apps/web created`. */
  line: string;
  action: 'created' | 'configured' | 'unchanged';
}

/** Keys of `last` that `next` no longer has, set to null (recursively through maps), so a merge patch removes them. */
function deletions(last: unknown, next: unknown): Record<string, unknown> | undefined {
  if (last === null || typeof last !== 'object' || Array.isArray(last) || next === null || typeof next !== 'object' || Array.isArray(next)) return undefined;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(last as Record<string, unknown>)) {
    const n = (next as Record<string, unknown>)[k];
    if (n === undefined) out[k] = null;
    else {
      const d = deletions(v, n);
      if (d !== undefined && Object.keys(d).length > 0) out[k] = d;
    }
  }
  return out;
}

function merge(patch: Record<string, unknown>, removals: Record<string, unknown> | undefined): Record<string, unknown> {
  if (removals === undefined) return patch;
  const out = { ...patch };
  for (const [k, v] of Object.entries(removals)) {
    if (v === null) out[k] = null;
    else if (typeof out[k] === 'object' && out[k] !== null && !Array.isArray(out[k])) out[k] = merge(out[k] as Record<string, unknown>, v as Record<string, unknown>);
  }
  return out;
}

/**
 * `kubectl apply` (client-side): create what does not exist, with the
 * configuration recorded in the last-applied annotation; otherwise patch
 * the live object with the new configuration, removing what the last
 * applied one had and this one does not. Lists are merged by the kind's
 * strategic-merge keys (items dropped from a list are not removed).
 */
export function applyManifests(cluster: Cluster, input: string | KubeObject | KubeObject[], source: string): ApplyResult[] {
  const objects = typeof input === 'string' ? parseManifests(input, source) : Array.isArray(input) ? input : [input];
  // Resolve every object before changing anything, so a bad one leaves the cluster as it was.
  const typed = objects.map((o) => {
    const name = String(o.metadata?.name ?? '');
    const type = cluster.registry.forKind(String(o.apiVersion), String(o.kind));
    if (type === undefined) throw new ManifestError(`resource mapping not found for name: "${name}" namespace: "${o.metadata?.namespace ?? ''}" from "${source}": no matches for kind "${o.kind}" in version "${o.apiVersion}"\nensure CRDs are installed first`);
    if (name === '') throw new ManifestError(`error when retrieving current configuration of ${o.kind} from "${source}": resource name may not be empty`);
    return { o, type, name };
  });
  return typed.map(({ o, type, name }) => {
    const namespace = type.namespaced ? String(o.metadata?.namespace ?? 'default') : undefined;
    const target = { group: type.group, version: type.version, resource: type.resource, ...(namespace !== undefined && { namespace }) };
    const config = JSON.stringify(o);
    const withAnnotation = { ...o, metadata: { ...o.metadata, ...(namespace !== undefined && { namespace }), annotations: { ...((o.metadata?.['annotations'] as Record<string, string> | undefined) ?? {}), [LAST_APPLIED]: `${config}\n` } } };
    const label = `${type.singular || type.kind.toLowerCase()}${type.group === '' ? '' : `.${type.group}`}/${name}`;
    let live: KubeObject | undefined;
    try {
      live = cluster.request({ verb: 'get', ...target, name });
    } catch (e) {
      if (!(isStatusError(e) && e.code === 404)) throw e;
    }
    if (live === undefined) {
      const created = cluster.request({ verb: 'create', ...target, body: withAnnotation });
      return { object: created, line: `${label} created`, action: 'created' as const };
    }
    const lastText = (live.metadata?.['annotations'] as Record<string, string> | undefined)?.[LAST_APPLIED];
    let last: unknown;
    try {
      last = lastText === undefined ? undefined : JSON.parse(lastText);
    } catch {
      last = undefined;
    }
    const patch = merge(withAnnotation as Record<string, unknown>, deletions(last, o));
    const patched = cluster.request({ verb: 'patch', ...target, name, patchType: type.group.endsWith('.k8s.io') || type.group === '' || ['apps', 'batch', 'autoscaling', 'policy'].includes(type.group) ? 'strategic' : 'merge', body: patch });
    const same = jsonEqual(patched.metadata?.['resourceVersion'], live.metadata?.['resourceVersion']);
    return { object: patched, line: `${label} ${same ? 'unchanged' : 'configured'}`, action: same ? ('unchanged' as const) : ('configured' as const) };
  });
}
