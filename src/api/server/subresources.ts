import { apiErrors } from '../errors/status.js';
import { labelSelectorAsSelector } from '../labels/index.js';
import type { KubeObject, ResourceType } from '../registry/types.js';
import type { StoredObject } from '../store/index.js';
import { fieldErrors } from '../validation/field-errors.js';
import { getObject, type Reply, type ServerContext } from './context.js';
import { storeKey, storeResource } from './keys.js';
import type { ApiRequest } from './request.js';

/** GET .../scale: the autoscaling/v1 Scale view of a workload. */
export function readScale(ctx: ServerContext, type: ResourceType, req: ApiRequest): KubeObject {
  const o = getObject(ctx, type, req.namespace, req.name ?? '');
  const meta = o.metadata ?? {};
  const spec = (o['spec'] ?? {}) as { replicas?: number; selector?: unknown };
  const status = (o['status'] ?? {}) as { replicas?: number };
  let selector = '';
  try {
    selector = spec.selector === undefined ? '' : labelSelectorAsSelector(spec.selector as never).toString();
  } catch {
    selector = '';
  }
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name: meta.name, namespace: meta.namespace, uid: meta['uid'], resourceVersion: meta['resourceVersion'], creationTimestamp: meta['creationTimestamp'] },
    spec: { replicas: spec.replicas ?? 0 },
    status: { replicas: status.replicas ?? 0, selector },
  };
}

/** PUT/PATCH .../scale: set spec.replicas (with the Scale's resourceVersion as a precondition). */
export function writeScale(ctx: ServerContext, type: ResourceType, req: ApiRequest, old: KubeObject, update: (o: KubeObject, done: Reply) => void, reply: Reply): void {
  const scale = (req.body ?? {}) as { spec?: { replicas?: number }; metadata?: { resourceVersion?: string } };
  const replicas = scale.spec?.replicas;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    throw apiErrors.invalid({ group: 'autoscaling', kind: 'Scale' }, req.name ?? '', [fieldErrors.invalid('spec.replicas', replicas ?? null, 'must be greater than or equal to 0')]);
  }
  const next = structuredClone(old);
  (next['spec'] as { replicas?: number }).replicas = replicas;
  next.metadata = { ...(next.metadata ?? {}), resourceVersion: scale.metadata?.resourceVersion ?? String(old.metadata?.['resourceVersion']) } as KubeObject['metadata'];
  update(next, (error) => (error ? reply(error) : reply(null, { code: 200, body: readScale(ctx, type, req) })));
}

/**
 * POST pods/<name>/binding: the scheduler's way to put a pod on a node.
 * Refused with 409 if the pod already has a node (upstream pod storage
 * BindingREST.setPodHostAndAnnotations).
 */
export function bindPod(ctx: ServerContext, type: ResourceType, req: ApiRequest, reply: Reply): void {
  const name = req.name ?? '';
  const binding = (req.body ?? {}) as { target?: { kind?: string; name?: string } };
  const node = binding.target?.name;
  if (!node) throw apiErrors.invalid({ group: '', kind: 'Binding' }, name, [fieldErrors.required('target.name')]);
  const pod = getObject(ctx, type, req.namespace, name);
  const spec = (pod['spec'] ?? {}) as { nodeName?: string };
  if (pod.metadata?.['deletionTimestamp'] !== undefined) throw apiErrors.conflict({ group: '', resource: 'pods/binding' }, name, `pod ${name} is being deleted, cannot be assigned to a host`);
  if (spec.nodeName) throw apiErrors.conflict({ group: '', resource: 'pods/binding' }, name, `pod ${name} is already assigned to node "${spec.nodeName}"`);
  const next = structuredClone(pod);
  (next['spec'] as { nodeName?: string }).nodeName = node;
  const op = { kind: 'update' as const, resource: storeResource(type), key: storeKey(type, req.namespace, name), object: next as StoredObject, expectedRevision: Number(pod.metadata?.['resourceVersion']) };
  ctx.commit(type, name, [op], (error) => {
    if (error) return reply(error);
    reply(null, { code: 201, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 } });
  });
}
