import type { ResourceRegistry, ResourceType } from '../api/registry/index.js';

/** The groups in kube-apiserver's order (the legacy core group first, then by priority as kubectl shows them). */
function groups(registry: ResourceRegistry): Array<{ name: string; versions: string[]; types: ResourceType[] }> {
  const byGroup = new Map<string, Map<string, ResourceType[]>>();
  for (const t of registry.listAllVersions()) {
    if (t.group === '') continue;
    if (!byGroup.has(t.group)) byGroup.set(t.group, new Map());
    const versions = byGroup.get(t.group)!;
    if (!versions.has(t.version)) versions.set(t.version, []);
    versions.get(t.version)!.push(t);
  }
  return [...byGroup].map(([name, versions]) => ({ name, versions: [...versions.keys()], types: [...versions.values()].flat() }));
}

const gv = (group: string, version: string) => (group === '' ? version : `${group}/${version}`);

/** One resource and its subresources as an APIResourceList shows them. */
function apiResources(types: ResourceType[]): unknown[] {
  const out: unknown[] = [];
  for (const t of types) {
    out.push({
      name: t.resource,
      singularName: t.singular,
      namespaced: t.namespaced,
      kind: t.kind,
      verbs: t.verbs,
      ...(t.shortNames.length > 0 && { shortNames: t.shortNames }),
      ...(t.categories.length > 0 && { categories: t.categories }),
    });
    for (const sub of t.subresources) {
      const info = subresourceInfo(t, sub);
      const other = info.group !== t.group || info.version !== t.version;
      out.push({ name: `${t.resource}/${sub}`, singularName: '', namespaced: t.namespaced, ...(other && { group: info.group, version: info.version }), kind: info.kind, verbs: info.verbs });
    }
  }
  return out;
}

const UPDATE = ['get', 'patch', 'update'];

/**
 * What a subresource answers with and allows, as kube-apiserver 1.32
 * publishes it: pods/eviction is policy/v1 Eviction (kubectl drain looks
 * for it to evict rather than delete), scale is autoscaling/v1 Scale, …
 */
export function subresourceInfo(t: ResourceType, sub: string): { group: string; version: string; kind: string; verbs: string[] } {
  const own = (kind: string, verbs: string[]) => ({ group: t.group, version: t.version, kind, verbs });
  switch (sub) {
    case 'status':
    case 'ephemeralcontainers':
    case 'resize':
      return own(t.kind, UPDATE);
    case 'scale':
      return { group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: UPDATE };
    case 'eviction':
      return { group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] };
    case 'binding':
      return own('Binding', ['create']);
    case 'token':
      return { group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest', verbs: ['create'] };
    case 'log':
      return own(t.kind, ['get']);
    case 'exec':
      return own('PodExecOptions', ['create', 'get']);
    case 'attach':
      return own('PodAttachOptions', ['create', 'get']);
    case 'portforward':
      return own('PodPortForwardOptions', ['create', 'get']);
    case 'proxy':
      return own(`${t.kind}ProxyOptions`, ['create', 'delete', 'get', 'patch', 'update']);
    default:
      return own(t.kind, ['get']);
  }
}

/** GET /api: the legacy group's versions. */
export function apiVersions(address: string): unknown {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: address }] };
}

/** GET /apis: every named group with its versions (legacy discovery). */
export function apiGroupList(registry: ResourceRegistry): unknown {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: groups(registry).map((g) => ({ name: g.name, versions: g.versions.map((v) => ({ groupVersion: gv(g.name, v), version: v })), preferredVersion: { groupVersion: gv(g.name, g.versions[0]!), version: g.versions[0] } })),
  };
}

/** GET /api/v1 or /apis/<group>/<version>: the resources of one group version; undefined when none. */
export function apiResourceList(registry: ResourceRegistry, group: string, version: string): unknown | undefined {
  const types = registry.listAllVersions().filter((t) => t.group === group && t.version === version);
  if (types.length === 0) return undefined;
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: gv(group, version), resources: apiResources(types) };
}

/**
 * Aggregated discovery (apidiscovery.k8s.io/v2, KEP-3352), what kubectl
 * 1.32 asks for first: every group version with its resources in one
 * document, for /api (legacy) or /apis (named groups).
 */
export function aggregatedDiscovery(registry: ResourceRegistry, legacy: boolean): unknown {
  const list = legacy ? [{ name: '', versions: ['v1'], types: registry.list().filter((t) => t.group === '') }] : groups(registry);
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: 'apidiscovery.k8s.io/v2',
    metadata: {},
    items: list.map((g) => ({
      metadata: { name: g.name, creationTimestamp: null },
      versions: g.versions.map((v) => ({
        version: v,
        resources: g.types
          .filter((t) => t.version === v)
          .map((t) => ({
            resource: t.resource,
            responseKind: { group: t.group, version: t.version, kind: t.kind },
            scope: t.namespaced ? 'Namespaced' : 'Cluster',
            singularResource: t.singular,
            verbs: t.verbs,
            ...(t.shortNames.length > 0 && { shortNames: t.shortNames }),
            ...(t.categories.length > 0 && { categories: t.categories }),
            ...(t.subresources.length > 0 && {
              subresources: t.subresources.map((sub) => {
                const info = subresourceInfo(t, sub);
                return { subresource: sub, responseKind: { group: info.group, version: info.version, kind: info.kind }, verbs: info.verbs };
              }),
            }),
          })),
        freshness: 'Current',
      })),
    })),
  };
}
