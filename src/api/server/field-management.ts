import { cloneJson } from '../json-clone.js';
import { apiErrors } from '../errors/status.js';
import { serverSideApply, trackUpdate } from '../fieldmanager/manager.js';
import { apiVersionOf, type KubeObject, type ResourceType } from '../registry/types.js';
import type { ApiRequest } from './request.js';

const isApplyConfig = (v: unknown): v is KubeObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The manager the cluster's own components write as (their User-Agent's product upstream). */
function componentManager(user: string): string {
  if (user === 'system:kube-controller-manager') return 'kube-controller-manager';
  if (user === 'system:kube-scheduler') return 'kube-scheduler';
  if (user.startsWith('system:node:')) return 'kubelet';
  if (user.startsWith('system:serviceaccount:')) return user.split(':').at(-1)!;
  return 'unknown';
}

/**
 * metadata.managedFields for the API server's writes (upstream fieldmanager).
 */
export class FieldManagement {
  /** Bodies written through the scale subresource (their writer's entry says so). */
  readonly scaled = new WeakSet<object>();
  /** Bodies server-side apply produced (their managedFields are already right). */
  readonly applied = new WeakSet<object>();

  /**
   * metadata.managedFields for a create or update (upstream fieldmanager):
   * kept from the live object when the body leaves them out; the writer
   * (?fieldManager, or the component for the cluster's own writes to objects
   * that already track managers) takes the fields it set or changed. Apply
   * has done its own bookkeeping.
   */
  record(type: ResourceType, req: ApiRequest, body: unknown, old: KubeObject | undefined, next: KubeObject, now: string): void {
    if (this.applied.has(body as object)) return;
    const meta = (next.metadata ??= {}) as Record<string, unknown>;
    const bodyManaged = ((body as KubeObject | undefined)?.metadata as Record<string, unknown> | undefined)?.['managedFields'];
    if (bodyManaged === undefined && old !== undefined && old.metadata?.['managedFields'] !== undefined) meta['managedFields'] = old.metadata['managedFields'];
    const manager = req.query?.fieldManager ?? (meta['managedFields'] !== undefined ? componentManager(req.user.name) : undefined);
    if (manager === undefined) return;
    const base = old === undefined ? undefined : { ...old, metadata: { ...old.metadata, managedFields: meta['managedFields'] } };
    const subresource = this.scaled.has(body as object) ? 'scale' : req.subresource;
    const entries = trackUpdate({ kind: type.kind, apiVersion: apiVersionOf(type), old: base as never, next: next as never, manager, now, ...(subresource !== undefined && { subresource }) });
    if (entries.length > 0) meta['managedFields'] = entries;
    else delete meta['managedFields'];
  }

  /**
   * PATCH with application/apply-patch+yaml (server-side apply, upstream
   * fieldmanager): the applied configuration is merged into the live object
   * (or creates it), and its manager owns exactly the fields it sets.
   */
  apply(type: ResourceType, req: ApiRequest, live: KubeObject | undefined, now: string, create: (req: ApiRequest) => void, update: (req: ApiRequest, body: KubeObject) => void): void {
    const manager = req.query?.fieldManager;
    if (!manager) throw apiErrors.invalid({ group: 'meta.k8s.io', kind: 'PatchOptions' }, '', [{ type: 'FieldValueRequired', field: 'fieldManager', detail: 'is required for apply patch', badValue: '' } as never]);
    const config = req.body as KubeObject;
    if (!isApplyConfig(config)) throw apiErrors.badRequest('error decoding YAML: the applied configuration must be an object');
    const name = String(req.name);
    const cfgMeta = (config.metadata ?? {}) as { name?: string };
    if (cfgMeta.name !== undefined && cfgMeta.name !== name) throw apiErrors.badRequest(`the name of the object (${cfgMeta.name}) does not match the name on the URL (${name})`);
    const merged = serverSideApply({ kind: type.kind, apiVersion: apiVersionOf(type), live: live === undefined ? undefined : (cloneJson(live) as never), config: config as never, manager, force: req.query?.force === true, now }) as KubeObject;
    const applyReq: ApiRequest = { ...req, query: { ...req.query, fieldManager: undefined } as ApiRequest['query'], patchType: undefined };
    if (live === undefined) {
      const created = { ...merged, metadata: { ...merged.metadata, name } };
      this.applied.add(created);
      return create({ ...applyReq, verb: 'create', body: created });
    }
    merged.metadata = { ...(merged.metadata ?? {}), resourceVersion: String(live.metadata?.['resourceVersion'] ?? '') } as KubeObject['metadata'];
    this.applied.add(merged);
    update(applyReq, merged);
  }
}
