import { cloneJson } from '../json-clone.js';
import { apiErrors } from '../errors/status.js';
import { labelSelectorAsSelector } from '../labels/index.js';
import type { KubeObject, ResourceType } from '../registry/types.js';
import type { StoredObject } from '../store/index.js';
import { fieldErrors } from '../validation/field-errors.js';
import { getObject, type Reply, type ServerContext } from './context.js';
import { storeKey, storeResource } from './keys.js';
import type { ApiRequest } from './request.js';
import { rfc3339 } from './time.js';

/** A simple JSON path (`.spec.replicas`) read or written, as a CRD's scale subresource names its fields. */
function atPath(o: KubeObject, path: string): unknown {
  return path.split('.').filter(Boolean).reduce<unknown>((v, k) => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[k] : undefined), o);
}
function setAtPath(o: KubeObject, path: string, value: unknown): void {
  const keys = path.split('.').filter(Boolean);
  let v = o as Record<string, unknown>;
  for (const k of keys.slice(0, -1)) v = (v[k] ??= {}) as Record<string, unknown>;
  v[keys[keys.length - 1]!] = value;
}

/** Where a kind keeps its replicas and selector: built-in workloads, or a CRD's scale subresource paths. */
const scalePaths = (type: ResourceType) => type.scale ?? { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' };

/** GET .../scale: the autoscaling/v1 Scale view of a workload (a custom resource's from its CRD's paths, upstream registry/customresource ScaleREST). */
export function readScale(ctx: ServerContext, type: ResourceType, req: ApiRequest): KubeObject {
  const o = getObject(ctx, type, req.namespace, req.name ?? '');
  const meta = o.metadata ?? {};
  const paths = scalePaths(type);
  let selector = '';
  if (type.scale !== undefined) {
    const found = type.scale.labelSelectorPath === undefined ? undefined : atPath(o, type.scale.labelSelectorPath);
    selector = typeof found === 'string' ? found : '';
  } else {
    const specSelector = (o['spec'] as { selector?: unknown } | undefined)?.selector;
    try {
      selector = specSelector === undefined ? '' : labelSelectorAsSelector(specSelector as never).toString();
    } catch {
      selector = '';
    }
  }
  const specReplicas = atPath(o, paths.specReplicasPath);
  const statusReplicas = atPath(o, paths.statusReplicasPath);
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name: meta.name, namespace: meta.namespace, uid: meta['uid'], resourceVersion: meta['resourceVersion'], creationTimestamp: meta['creationTimestamp'] },
    spec: { replicas: typeof specReplicas === 'number' ? specReplicas : 0 },
    status: { replicas: typeof statusReplicas === 'number' ? statusReplicas : 0, selector },
  };
}

/** PUT/PATCH .../scale: set spec.replicas (with the Scale's resourceVersion as a precondition). */
export function writeScale(ctx: ServerContext, type: ResourceType, req: ApiRequest, old: KubeObject, update: (o: KubeObject, done: Reply) => void, reply: Reply): void {
  const scale = (req.body ?? {}) as { spec?: { replicas?: number }; metadata?: { resourceVersion?: string } };
  const replicas = scale.spec?.replicas;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    throw apiErrors.invalid({ group: 'autoscaling', kind: 'Scale' }, req.name ?? '', [fieldErrors.invalid('spec.replicas', replicas ?? null, 'must be greater than or equal to 0')]);
  }
  const next = cloneJson(old);
  setAtPath(next, scalePaths(type).specReplicasPath, replicas);
  next.metadata = { ...(next.metadata ?? {}), resourceVersion: scale.metadata?.resourceVersion ?? String(old.metadata?.['resourceVersion']) } as KubeObject['metadata'];
  update(next, (error) => (error ? reply(error) : reply(null, { code: 200, body: readScale(ctx, type, req) })));
}

/**
 * POST pods/<name>/binding: the scheduler's way to put a pod on a node.
 * Refused with 409 if the pod already has a node; sets PodScheduled=True
 * (upstream pod storage BindingREST.setPodHostAndAnnotations).
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
  const next = cloneJson(pod);
  (next['spec'] as { nodeName?: string }).nodeName = node;
  // podutil.UpdatePodCondition(PodScheduled=True): a new condition, its transition time now when the status changes.
  const status = (next['status'] ??= {}) as { conditions?: Array<Record<string, unknown>> };
  const conditions = status.conditions ?? [];
  const i = conditions.findIndex((c) => c['type'] === 'PodScheduled');
  const scheduled = { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: i >= 0 && conditions[i]!['status'] === 'True' ? conditions[i]!['lastTransitionTime'] : rfc3339(ctx.now()) };
  if (i >= 0) conditions[i] = scheduled;
  else conditions.push(scheduled);
  status.conditions = conditions;
  const op = { kind: 'update' as const, resource: storeResource(type), key: storeKey(type, req.namespace, name), object: next as StoredObject, expectedRevision: Number(pod.metadata?.['resourceVersion']) };
  ctx.commit(type, name, [op], (error) => {
    if (error) return reply(error);
    reply(null, { code: 201, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 } });
  });
}

/**
 * POST pods/<name>/eviction (upstream pkg/registry/core/pod/storage/eviction.go):
 * a pod covered by a PodDisruptionBudget is deleted only if the budget allows
 * a disruption (which this eviction then uses up); otherwise 429 with
 * upstream's message. Pending and finished pods, and pods already being
 * deleted, go without consulting any budget.
 */
export function evictPod(ctx: ServerContext, type: ResourceType, req: ApiRequest, reply: Reply, deletePod: (r: ApiRequest, done: Reply) => void): void {
  const name = req.name ?? '';
  const pod = getObject(ctx, type, req.namespace, name);
  const phase = (pod['status'] as { phase?: string } | undefined)?.phase;
  const deleteOptions = ((req.body as { deleteOptions?: { gracePeriodSeconds?: number } } | undefined)?.deleteOptions ?? {}) as { gracePeriodSeconds?: number };
  const evict = (): void =>
    deletePod({ ...req, verb: 'delete', subresource: undefined, ...(deleteOptions.gracePeriodSeconds !== undefined && { query: { ...req.query, gracePeriodSeconds: deleteOptions.gracePeriodSeconds } }) }, (error) =>
      error ? reply(error) : reply(null, { code: 201, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 } }),
    );
  if (phase === 'Pending' || phase === 'Succeeded' || phase === 'Failed' || pod.metadata?.['deletionTimestamp'] !== undefined) return evict();
  const labels = (pod.metadata?.['labels'] ?? {}) as Record<string, string>;
  const budgets = ctx.store.list('poddisruptionbudgets.policy', { keyPrefix: `${req.namespace}/` }).items.filter((pdb) => {
    try {
      return labelSelectorAsSelector((pdb['spec'] as { selector?: never } | undefined)?.selector).matches(labels);
    } catch {
      return false;
    }
  });
  if (budgets.length === 0) return evict();
  if (budgets.length > 1) return reply(apiErrors.internal('This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.'));
  const pdb = budgets[0]!;
  const status = (pdb['status'] ?? {}) as { disruptionsAllowed?: number; currentHealthy?: number; desiredHealthy?: number; disruptedPods?: Record<string, string>; observedGeneration?: number };
  if ((status.disruptionsAllowed ?? 0) <= 0) {
    const e = apiErrors.tooManyRequests('Cannot evict pod as it would violate the pod\'s disruption budget.');
    e.status.details = { causes: [{ reason: 'DisruptionBudget', message: `The disruption budget ${pdb.metadata?.name} needs ${status.desiredHealthy ?? 0} healthy pods and has ${status.currentHealthy ?? 0} currently` }] };
    return reply(e);
  }
  // Use up one disruption (with the time, so the disruption controller can tell it apart from a pod that just died).
  const next = cloneJson(pdb);
  next['status'] = { ...status, disruptionsAllowed: (status.disruptionsAllowed ?? 0) - 1, disruptedPods: { ...(status.disruptedPods ?? {}), [name]: rfc3339(ctx.now()) } };
  const pdbType = ctx.registry.get('policy', 'poddisruptionbudgets')!;
  ctx.commit(pdbType, String(pdb.metadata?.name), [{ kind: 'update', resource: 'poddisruptionbudgets.policy', key: `${req.namespace}/${pdb.metadata?.name}`, object: next, expectedRevision: Number(pdb.metadata?.resourceVersion) }], (error) =>
    error ? reply(error) : evict(),
  );
}
