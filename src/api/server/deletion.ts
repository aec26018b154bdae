import { apiErrors } from '../errors/status.js';
import type { KubeObject, ResourceType } from '../registry/types.js';
import type { StoredObject } from '../store/index.js';
import { getObject, groupResource, out, storeFailure, type ServerContext } from './context.js';
import { storeKey, storeResource } from './keys.js';
import type { ApiRequest, ApiResponse } from './request.js';
import { rfc3339 } from './time.js';

type Meta = Record<string, unknown> & { finalizers?: string[]; deletionTimestamp?: string; deletionGracePeriodSeconds?: number; uid?: string; resourceVersion?: string; name?: string };

/** The finalizers that carry a propagation policy (upstream metav1.FinalizerOrphanDependents / FinalizerDeleteDependents). */
export const FOREGROUND_FINALIZER = 'foregroundDeletion';
export const ORPHAN_FINALIZER = 'orphan';

/**
 * How long a deletion waits (upstream pod strategy CheckGracefulDelete): a
 * pod gets the request's grace period, else its own
 * terminationGracePeriodSeconds; an unscheduled or finished pod goes at
 * once. Other kinds have no grace period.
 */
function gracePeriod(type: ResourceType, object: KubeObject, requested: number | undefined): number {
  if (type.resource !== 'pods' || type.group !== '') return 0;
  const spec = (object['spec'] ?? {}) as { nodeName?: string; terminationGracePeriodSeconds?: number };
  const phase = (object['status'] as { phase?: string } | undefined)?.phase;
  if (!spec.nodeName || phase === 'Succeeded' || phase === 'Failed') return 0;
  return Math.max(0, requested ?? spec.terminationGracePeriodSeconds ?? 30);
}

function successStatus(type: ResourceType, object: KubeObject): KubeObject {
  const meta = (object.metadata ?? {}) as Meta;
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name: meta.name, group: type.group, kind: type.resource, uid: meta.uid } };
}

/** DELETE of one object. */
export function deleteObject(ctx: ServerContext, type: ResourceType, req: ApiRequest): ApiResponse {
  const name = req.name ?? '';
  const key = storeKey(type, req.namespace, name);
  const resource = storeResource(type);
  const current = getObject(ctx, type, req.namespace, name);
  const meta = (current.metadata ?? {}) as Meta;
  const pre = req.preconditions;
  if (pre?.uid !== undefined && pre.uid !== meta.uid) {
    throw apiErrors.conflict(groupResource(type), name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${meta.uid ?? ''}`);
  }
  if (pre?.resourceVersion !== undefined && pre.resourceVersion !== meta.resourceVersion) {
    throw apiErrors.conflict(groupResource(type), name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${meta.resourceVersion ?? ''}`);
  }
  if (req.query?.dryRun) return { code: 200, body: out(current) };

  // Namespaces wait in Terminating until the namespace controller empties them (spec.finalizers).
  if (type.resource === 'namespaces' && type.group === '') {
    const specFinalizers = ((current['spec'] as { finalizers?: string[] } | undefined)?.finalizers ?? []).length;
    if (specFinalizers > 0 || (meta.finalizers ?? []).length > 0) {
      if (meta.deletionTimestamp !== undefined) return { code: 200, body: out(current) };
      const next = { ...structuredClone(current), status: { phase: 'Terminating' } } as KubeObject;
      (next.metadata as Meta).deletionTimestamp = rfc3339(ctx.now());
      (next.metadata as Meta).deletionGracePeriodSeconds = 0;
      return { code: 200, body: out(ctx.store.update(resource, key, next as StoredObject)) };
    }
  }

  const finalizers = [...(meta.finalizers ?? [])];
  const policy = req.query?.propagationPolicy;
  const wanted = policy === 'Foreground' ? FOREGROUND_FINALIZER : policy === 'Orphan' ? ORPHAN_FINALIZER : undefined;
  if (wanted !== undefined && meta.deletionTimestamp === undefined) {
    const other = wanted === FOREGROUND_FINALIZER ? ORPHAN_FINALIZER : FOREGROUND_FINALIZER;
    const at = finalizers.indexOf(other);
    if (at >= 0) finalizers.splice(at, 1);
    if (!finalizers.includes(wanted)) finalizers.push(wanted);
  }
  let grace = gracePeriod(type, current, req.query?.gracePeriodSeconds);
  if (meta.deletionTimestamp !== undefined) {
    // Already being deleted: a pod's grace period may only shorten.
    const remaining = meta.deletionGracePeriodSeconds ?? 0;
    if (grace >= remaining && !(grace === 0 && finalizers.length === 0)) return { code: 200, body: out(current) };
    grace = Math.min(grace, remaining);
  }
  if (grace === 0 && finalizers.length === 0) {
    try {
      const deleted = ctx.store.delete(resource, key);
      return { code: 200, body: type.resource === 'pods' ? out(deleted) : successStatus(type, deleted as KubeObject) };
    } catch (e) {
      throw storeFailure(type, name, e);
    }
  }
  const next = structuredClone(current);
  const nextMeta = next.metadata as Meta;
  nextMeta.deletionTimestamp = rfc3339(ctx.now() + grace * 1000);
  nextMeta.deletionGracePeriodSeconds = grace;
  if (finalizers.length > 0) nextMeta.finalizers = finalizers;
  return { code: 200, body: out(ctx.store.update(resource, key, next as StoredObject)) };
}

/**
 * After an update: an object being deleted whose last finalizer is gone (and,
 * for a pod, whose grace period is over) is removed. Returns the deleted
 * object, if it was.
 */
export function finishDeletionIfDone(ctx: ServerContext, type: ResourceType, key: string, object: KubeObject): KubeObject | undefined {
  const meta = (object.metadata ?? {}) as Meta;
  if (meta.deletionTimestamp === undefined || (meta.finalizers ?? []).length > 0) return undefined;
  if (type.resource === 'pods' && (meta.deletionGracePeriodSeconds ?? 0) > 0) return undefined;
  if (type.resource === 'namespaces' && ((object['spec'] as { finalizers?: string[] } | undefined)?.finalizers ?? []).length > 0) return undefined;
  return ctx.store.delete(storeResource(type), key) as KubeObject;
}

/** DELETE of a collection: every object the list would return, with the same options. */
export function deleteCollection(ctx: ServerContext, type: ResourceType, req: ApiRequest, list: (r: ApiRequest) => KubeObject): ApiResponse {
  const listed = list({ ...req, verb: 'list' });
  const items = (listed['items'] as KubeObject[]).map((item) => {
    const response = deleteObject(ctx, type, { ...req, verb: 'delete', name: String(item.metadata?.name), namespace: item.metadata?.namespace });
    return response.body;
  });
  return { code: 200, body: { ...listed, items } };
}
