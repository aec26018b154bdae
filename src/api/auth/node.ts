import type { MVCCStore, StoredObject } from '../store/index.js';
import type { Attributes, Decision } from './attributes.js';

const NODE_PREFIX = 'system:node:';

/** The node a user acts as, if it is a node identity (`system:node:<name>` in `system:nodes`). */
export function nodeOf(a: Attributes): string | undefined {
  return a.user.groups.includes('system:nodes') && a.user.name.startsWith(NODE_PREFIX) ? a.user.name.slice(NODE_PREFIX.length) : undefined;
}

const READ = new Set(['get', 'list', 'watch']);
const noRelationship = (node: string): Decision => ({ decision: 'no-opinion', reason: `no relationship found between node '${node}' and this object` });

/** The sources of a pod's projected volumes (upstream podutil.VisitPodSecretNames/VisitPodConfigmapNames visit them too). */
function projected(volumes: any[]): any[] { // eslint-disable-line @typescript-eslint/no-explicit-any
  return volumes.flatMap((v) => v.projected?.sources ?? []);
}

/** Does a pod bound to `node` reference this secret, configmap or claim? */
function referencedByPodOn(store: MVCCStore, node: string, resource: string, namespace: string, name: string): boolean {
  for (const pod of store.list('pods', { keyPrefix: `${namespace}/` }).items) {
    const spec = (pod['spec'] ?? {}) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    if (spec['nodeName'] !== node) continue;
    const volumes: any[] = spec['volumes'] ?? []; // eslint-disable-line @typescript-eslint/no-explicit-any
    const containers: any[] = [...(spec['containers'] ?? []), ...(spec['initContainers'] ?? [])]; // eslint-disable-line @typescript-eslint/no-explicit-any
    if (resource === 'secrets') {
      if (volumes.some((v) => v.secret?.secretName === name)) return true;
      if (projected(volumes).some((p) => p.secret?.name === name)) return true;
      if ((spec['imagePullSecrets'] ?? []).some((s: { name?: string }) => s.name === name)) return true;
      if (containers.some((c) => (c.env ?? []).some((e: any) => e.valueFrom?.secretKeyRef?.name === name) || (c.envFrom ?? []).some((e: any) => e.secretRef?.name === name))) return true; // eslint-disable-line @typescript-eslint/no-explicit-any
    }
    if (resource === 'configmaps') {
      if (volumes.some((v) => v.configMap?.name === name)) return true;
      if (projected(volumes).some((p) => p.configMap?.name === name)) return true;
      if (containers.some((c) => (c.env ?? []).some((e: any) => e.valueFrom?.configMapKeyRef?.name === name) || (c.envFrom ?? []).some((e: any) => e.configMapRef?.name === name))) return true; // eslint-disable-line @typescript-eslint/no-explicit-any
    }
    if (resource === 'persistentvolumeclaims' && volumes.some((v) => v.persistentVolumeClaim?.claimName === name)) return true;
  }
  return false;
}

/**
 * The Node authorizer (upstream plugin/pkg/auth/authorizer/node), for the
 * requests kubelets make: read nodes, pods, services and endpoints; write
 * their Node, Lease, pod status and events; read the secrets, config maps
 * and claims of the pods bound to them, and nothing else.
 * Which node and pod a write may touch is NodeRestriction's job.
 */
export function authorizeNode(store: MVCCStore, a: Attributes): Decision {
  const node = nodeOf(a);
  if (node === undefined) return { decision: 'no-opinion', reason: '' };
  const r = a.resource;
  const g = a.apiGroup;
  if (g === '' && (r === 'nodes' || r === 'services' || r === 'endpoints') && READ.has(a.verb) && a.subresource === undefined) return { decision: 'allow' };
  if (g === '' && r === 'nodes' && ['create', 'update', 'patch'].includes(a.verb)) return { decision: 'allow' };
  if (g === '' && r === 'pods') {
    if (a.subresource === undefined && (a.verb === 'list' || a.verb === 'watch' || a.verb === 'create' || a.verb === 'delete')) return { decision: 'allow' };
    if (a.subresource === undefined && a.verb === 'get') {
      const pod = store.get('pods', `${a.namespace}/${a.name}`);
      return pod !== undefined && (pod['spec'] as { nodeName?: string } | undefined)?.nodeName === node ? { decision: 'allow' } : noRelationship(node);
    }
    if ((a.subresource === 'status' && (a.verb === 'update' || a.verb === 'patch')) || (a.subresource === 'eviction' && a.verb === 'create')) return { decision: 'allow' };
  }
  if ((g === '' || g === 'events.k8s.io') && r === 'events' && ['create', 'update', 'patch'].includes(a.verb)) return { decision: 'allow' };
  if (g === 'coordination.k8s.io' && r === 'leases' && a.namespace === 'kube-node-lease') {
    if (a.verb === 'create' || (['get', 'update', 'patch', 'delete'].includes(a.verb) && a.name === node)) return { decision: 'allow' };
  }
  if (g === '' && (r === 'secrets' || r === 'configmaps' || r === 'persistentvolumeclaims') && a.verb === 'get' && a.namespace && a.name) {
    return referencedByPodOn(store, node, r, a.namespace, a.name) ? { decision: 'allow' } : noRelationship(node);
  }
  if (g === '' && r === 'persistentvolumes' && a.verb === 'get') return { decision: 'allow' };
  return { decision: 'no-opinion', reason: '' };
}

/**
 * NodeRestriction admission (upstream plugin/pkg/admission/noderestriction):
 * a node may modify only its own Node and only the pods bound to it.
 * Returns the refusal's detail, or undefined when the request may go on.
 */
export function nodeRestriction(a: Attributes, existing: StoredObject | undefined): string | undefined {
  const node = nodeOf(a);
  if (node === undefined) return undefined;
  if (a.apiGroup === '' && a.resource === 'nodes' && ['update', 'patch', 'delete'].includes(a.verb) && a.name !== node) {
    return `node "${node}" is not allowed to modify node "${a.name}"`;
  }
  if (a.apiGroup === '' && a.resource === 'pods' && existing !== undefined) {
    const bound = (existing['spec'] as { nodeName?: string } | undefined)?.nodeName;
    if (a.subresource === 'status' && (a.verb === 'update' || a.verb === 'patch') && bound !== node) {
      return `node "${node}" can only update pod status for pods with spec.nodeName set to itself`;
    }
    if (a.subresource === undefined && a.verb === 'delete' && bound !== node) return `node "${node}" can only delete pods with spec.nodeName set to itself`;
    if (a.subresource === 'eviction' && bound !== node) return `node "${node}" can only evict pods with spec.nodeName set to itself`;
  }
  return undefined;
}
