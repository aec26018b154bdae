import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import { tryParseQuantity } from '../api/quantity.js';

/** A ConfigMap's or Secret's data as the kubelet's cache holds it; 'missing' when the API server said 404; 'pending' while not read yet. */
export type CachedData = Record<string, string> | 'missing' | 'pending';

export interface EnvSources {
  configMap(namespace: string, name: string): CachedData;
  secret(namespace: string, name: string): CachedData;
}

export type EnvResult = { env: Map<string, string> } | { error: string } | 'pending';

export function decode(value: string): string {
  return Buffer.from(value, 'base64').toString('utf8');
}

/** `$(VAR)` expansion in env values (kubelet expansion.Expand): known names expand, `$$` escapes, the rest stay. */
export function expand(value: string, env: ReadonlyMap<string, string>): string {
  return value.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (m, name: string | undefined) => (m === '$$' ? '$' : (env.get(name!) ?? m)));
}

/**
 * A container's environment as the kubelet builds it (upstream
 * pkg/kubelet/kubelet_pods.go makeEnvironmentVariables): envFrom first,
 * then env in order, with $(VAR) expansion; values from ConfigMaps,
 * Secrets, the downward API (fieldRef, resourceFieldRef). A missing
 * ConfigMap, Secret or key that is not optional is an error with
 * upstream's text; the container then waits in CreateContainerConfigError.
 */
export function containerEnv(pod: Pod, container: Container, sources: EnvSources, podIP: string, hostIP: string): EnvResult {
  const ns = pod.metadata?.namespace ?? 'default';
  const env = new Map<string, string>();
  const lookup = (kind: 'ConfigMap' | 'Secret', name: string): CachedData => (kind === 'ConfigMap' ? sources.configMap(ns, name) : sources.secret(ns, name));
  for (const from of container.envFrom ?? []) {
    const ref = from.configMapRef ?? from.secretRef;
    if (ref === undefined) continue;
    const kind = from.configMapRef !== undefined ? 'ConfigMap' : 'Secret';
    const data = lookup(kind, ref.name ?? '');
    if (data === 'pending') return 'pending';
    if (data === 'missing') {
      if (ref.optional === true) continue;
      return { error: `${kind.toLowerCase()} "${ref.name}" not found` };
    }
    for (const [k, v] of Object.entries(data)) env.set(`${from.prefix ?? ''}${k}`, kind === 'Secret' ? decode(v) : v);
  }
  for (const e of container.env ?? []) {
    if (e.valueFrom === undefined) {
      env.set(e.name, expand(e.value ?? '', env));
      continue;
    }
    const vf = e.valueFrom;
    const keyRef = vf.configMapKeyRef ?? vf.secretKeyRef;
    if (keyRef !== undefined) {
      const kind = vf.configMapKeyRef !== undefined ? 'ConfigMap' : 'Secret';
      const data = lookup(kind, keyRef.name ?? '');
      if (data === 'pending') return 'pending';
      if (data === 'missing') {
        if (keyRef.optional === true) continue;
        return { error: `${kind.toLowerCase()} "${keyRef.name}" not found` };
      }
      const value = data[keyRef.key];
      if (value === undefined) {
        if (keyRef.optional === true) continue;
        // kubelet_pods.go: "couldn't find key %v in ConfigMap %v/%v"
        return { error: `couldn't find key ${keyRef.key} in ${kind} ${ns}/${keyRef.name}` };
      }
      env.set(e.name, kind === 'Secret' ? decode(value) : value);
      continue;
    }
    if (vf.fieldRef !== undefined) {
      const value = fieldValue(pod, vf.fieldRef.fieldPath, podIP, hostIP);
      if (value === undefined) return { error: `unsupported fieldPath: ${vf.fieldRef.fieldPath}` };
      env.set(e.name, value);
      continue;
    }
    if (vf.resourceFieldRef !== undefined) env.set(e.name, resourceValue(container, vf.resourceFieldRef.resource, vf.resourceFieldRef.divisor));
  }
  return { env };
}

/** Downward API fields (pkg/api/v1/pod podutil ConvertDownwardAPIFieldLabel and kubelet podFieldSelectorRuntimeValue). */
export function fieldValue(pod: Pod, path: string, podIP: string, hostIP: string): string | undefined {
  const m = pod.metadata ?? {};
  const label = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (label !== null) return (label[1] === 'labels' ? m.labels : m.annotations)?.[label[2]!] ?? '';
  switch (path) {
    case 'metadata.name':
      return m.name ?? '';
    case 'metadata.namespace':
      return m.namespace ?? '';
    case 'metadata.uid':
      return m.uid ?? '';
    case 'spec.nodeName':
      return pod.spec?.nodeName ?? '';
    case 'spec.serviceAccountName':
      return pod.spec?.serviceAccountName ?? '';
    case 'status.podIP':
    case 'status.podIPs':
      return podIP;
    case 'status.hostIP':
    case 'status.hostIPs':
      return hostIP;
    default:
      return undefined;
  }
}

/** resourceFieldRef: the limit (or request), divided by the divisor and rounded up (resource.ExtractContainerResourceValue). */
function resourceValue(container: Container, resource: string, divisor: string | undefined): string {
  const [kind, name] = resource.split('.') as ['limits' | 'requests', string];
  const q = tryParseQuantity(container.resources?.[kind]?.[name]);
  const d = tryParseQuantity(divisor ?? '1')?.value || 1;
  if (q === undefined) return '0';
  return String(Math.ceil(q.value / d));
}
