import { cloneJson } from '../json-clone.js';
import { apiErrors } from '../errors/status.js';
import type { KubeObject, ResourceType } from '../registry/types.js';
import type { StoredObject, WriteOp } from '../store/index.js';
import { getObject, groupResource, out, type Reply, type ServerContext } from './context.js';
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

/** Commit ops and answer with the last result (or a Status for a plain delete). */
function commitAndReply(ctx: ServerContext, type: ResourceType, name: string, ops: WriteOp[], reply: Reply, asStatus = false): void {
  ctx.commit(type, name, ops, (error, results) => {
    if (error) return reply(error);
    const last = results![results!.length - 1] as KubeObject;
    reply(null, { code: 200, body: asStatus && type.resource !== 'pods' ? successStatus(type, last) : out(last) });
  });
}

/** DELETE of one object. */
export function deleteObject(ctx: ServerContext, type: ResourceType, req: ApiRequest, reply: Reply): void {
  const name = req.name ?? '';
  const key = storeKey(type, req.namespace, name);
  const resource = storeResource(type);
  const current = getObject(ctx, type, req.namespace, name);
  const meta = (current.metadata ?? {}) as Meta;
  const rv = Number(meta.resourceVersion);
  const pre = req.preconditions;
  if (pre?.uid !== undefined && pre.uid !== meta.uid) {
    throw apiErrors.conflict(groupResource(type), name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${meta.uid ?? ''}`);
  }
  if (pre?.resourceVersion !== undefined && pre.resourceVersion !== meta.resourceVersion) {
    throw apiErrors.conflict(groupResource(type), name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${meta.resourceVersion ?? ''}`);
  }
  if (req.query?.dryRun) return reply(null, { code: 200, body: out(current) });

  // Namespaces wait in Terminating until the namespace controller empties them (spec.finalizers).
  if (type.resource === 'namespaces' && type.group === '') {
    const specFinalizers = ((current['spec'] as { finalizers?: string[] } | undefined)?.finalizers ?? []).length;
    if (specFinalizers > 0 || (meta.finalizers ?? []).length > 0) {
      if (meta.deletionTimestamp !== undefined) return reply(null, { code: 200, body: out(current) });
      const next = { ...cloneJson(current), status: { phase: 'Terminating' } } as KubeObject;
      (next.metadata as Meta).deletionTimestamp = rfc3339(ctx.now());
      (next.metadata as Meta).deletionGracePeriodSeconds = 0;
      return commitAndReply(ctx, type, name, [{ kind: 'update', resource, key, object: next as StoredObject, expectedRevision: rv }], reply);
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
    if (grace >= remaining && !(grace === 0 && finalizers.length === 0)) return reply(null, { code: 200, body: out(current) });
    grace = Math.min(grace, remaining);
  }
  if (grace === 0 && finalizers.length === 0) {
    const pinned = pre?.resourceVersion !== undefined ? { expectedRevision: rv } : {};
    return commitAndReply(ctx, type, name, [{ kind: 'delete', resource, key, ...pinned }], reply, true);
  }
  const next = cloneJson(current);
  const nextMeta = next.metadata as Meta;
  nextMeta.deletionTimestamp = rfc3339(ctx.now() + grace * 1000);
  nextMeta.deletionGracePeriodSeconds = grace;
  if (finalizers.length > 0) nextMeta.finalizers = finalizers;
  commitAndReply(ctx, type, name, [{ kind: 'update', resource, key, object: next as StoredObject, expectedRevision: rv }], reply);
}

/**
 * An update of an object being deleted whose last finalizer goes (and, for
 * a pod, whose grace period is over) also deletes it: watchers see the
 * update, then the deletion, in one transaction.
 */
export function deletesAfterUpdate(type: ResourceType, object: KubeObject): boolean {
  const meta = (object.metadata ?? {}) as Meta;
  if (meta.deletionTimestamp === undefined || (meta.finalizers ?? []).length > 0) return false;
  if (type.resource === 'pods' && (meta.deletionGracePeriodSeconds ?? 0) > 0) return false;
  if (type.resource === 'namespaces' && ((object['spec'] as { finalizers?: string[] } | undefined)?.finalizers ?? []).length > 0) return false;
  return true;
}

/** DELETE of a collection: every object the list would return, with the same options, one after another. */
export function deleteCollection(ctx: ServerContext, type: ResourceType, req: ApiRequest, listed: KubeObject, reply: Reply, deleteOne: (r: ApiRequest, done: Reply) => void = (r, done) => deleteObject(ctx, type, r, done)): void {
  const items = listed['items'] as KubeObject[];
  const deleted: KubeObject[] = [];
  const step = (i: number): void => {
    if (i >= items.length) return reply(null, { code: 200, body: { ...listed, items: deleted } } as ApiResponse);
    const item = items[i]!;
    try {
      deleteOne({ ...req, verb: 'delete', name: String(item.metadata?.name), namespace: item.metadata?.namespace }, (error, response) => {
        // An object that went away meanwhile is simply not in the result.
        if (!error) deleted.push(response!.body);
        step(i + 1);
      });
    } catch {
      step(i + 1);
    }
  };
  step(0);
}
