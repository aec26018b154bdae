import { apiErrors } from '../errors/status.js';
import { parseFieldSelector } from '../fields/index.js';
import type { KubeObject, ResourceType } from '../registry/types.js';
import { StoreError, type StoredObject } from '../store/index.js';
import { outShared, type ServerContext } from './context.js';
import { storeResource } from './keys.js';
import type { ApiRequest, WatchEventOut, WatchHandle } from './request.js';

/**
 * A watch with upstream's resourceVersion semantics: unset or "0" starts
 * with an ADDED event for every matching object and continues from there;
 * a specific version replays every change after it. A version that has been
 * compacted away is answered inside the stream with an ERROR event carrying
 * a 410 Expired Status, as the API server does, and the watch ends.
 */
export function watchResource(ctx: ServerContext, type: ResourceType, req: ApiRequest, filter: (o: StoredObject) => boolean, sink: (e: WatchEventOut) => void): WatchHandle {
  const resource = storeResource(type);
  const keyPrefix = type.namespaced && req.namespace ? `${req.namespace}/` : undefined;
  const rv = req.query?.resourceVersion;
  let from: number;
  if (rv === undefined || rv === '' || rv === '0') {
    const initial = ctx.store.list(resource, { filter, ...(keyPrefix !== undefined && { keyPrefix }) });
    for (const o of initial.items) sink({ type: 'ADDED', object: outShared(o) });
    from = initial.revision;
  } else {
    from = Number(rv);
    if (!Number.isInteger(from) || from < 0) throw apiErrors.badRequest(`invalid resource version: ${rv}`);
  }
  // A kubelet's watch (spec.nodeName=<node>) is served from the node index.
  const node = type.resource === 'pods' && type.group === '' ? parseFieldSelector(req.query?.fieldSelector ?? '').requiredValue('spec.nodeName') : undefined;
  try {
    const watcher = ctx.store.watch(
      resource,
      { fromRevision: from, filter, ...(keyPrefix !== undefined && { keyPrefix }), ...(node !== undefined && { index: { name: 'spec.nodeName', value: node } }) },
      (e) => sink({ type: e.type, object: outShared(e.object) }),
    );
    return { stop: () => watcher.stop() };
  } catch (e) {
    if (e instanceof StoreError && e.code === 'Compacted') {
      sink({ type: 'ERROR', object: apiErrors.resourceExpired(e.message).status as unknown as KubeObject });
      return { stop: () => {} };
    }
    throw e;
  }
}

/** A BOOKMARK event carries only the current resourceVersion. */
export function bookmark(type: ResourceType, revision: number): WatchEventOut {
  return { type: 'BOOKMARK', object: { kind: type.kind, apiVersion: type.group === '' ? type.version : `${type.group}/${type.version}`, metadata: { resourceVersion: String(revision) } } };
}
