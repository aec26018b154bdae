import { cloneJson } from '../json-clone.js';
import { apiErrors, type StatusError } from '../errors/status.js';
import type { MVCCStore, StoredObject, WriteOp } from '../store/index.js';
import { StoreError } from '../store/index.js';
import { StorageUnavailableError } from '../storage/backend.js';
import type { ResourceRegistry, ResourceType } from '../registry/index.js';
import type { KubeObject } from '../registry/types.js';
import { storeKey, storeResource } from './keys.js';
import type { ApiRequest, ApiResponse } from './request.js';

/** How a handler answers: a Status error, or a response. */
export type Reply = (error: unknown, response?: ApiResponse) => void;

/** What every handler shares: the store, the resources, the clock and the random source. */
export interface ServerContext {
  /** The replica reads and watches are served from. */
  readonly store: MVCCStore;
  /** Apply writes atomically once durable; errors are already Status errors. */
  commit(type: ResourceType, name: string, ops: WriteOp[], done: (error: unknown, results?: StoredObject[]) => void): void;
  readonly registry: ResourceRegistry;
  /** Now, in virtual ms since the epoch (the API server host's clock). */
  now(): number;
  /** A [0,1) draw from the API server's seeded stream (uids, generated names). */
  random(): number;
}

/** The resource a request is about, or 404 as the API server answers an unknown path. */
export function resourceOf(ctx: ServerContext, req: ApiRequest): ResourceType {
  const type = ctx.registry.atVersion(req.group, req.version, req.resource);
  if (type === undefined) {
    throw apiErrors.pathNotFound();
  }
  if (req.subresource !== undefined && !type.subresources.includes(req.subresource)) {
    throw apiErrors.pathNotFound();
  }
  if (type.namespaced && req.name !== undefined && (req.namespace === undefined || req.namespace === '')) {
    throw apiErrors.badRequest('an empty namespace may not be set when a resource name is provided');
  }
  return type;
}

export const groupResource = (type: ResourceType): { group: string; resource: string } => ({ group: type.group, resource: type.resource });

/** Map the store's refusals to the API server's Status errors. */
export function storeFailure(type: ResourceType, name: string, e: unknown): StatusError | unknown {
  // etcd's own errors (timeouts, no leader) pass through as a 500 with etcd's text.
  if (e instanceof StorageUnavailableError) return apiErrors.unknown(e.message);
  if (!(e instanceof StoreError)) return e;
  switch (e.code) {
    case 'KeyExists':
      return apiErrors.alreadyExists(groupResource(type), name);
    case 'KeyNotFound':
      return apiErrors.notFound(groupResource(type), name);
    case 'Conflict':
      return apiErrors.conflict(groupResource(type), name);
    case 'Compacted':
      return apiErrors.resourceExpired(e.message);
    case 'FutureRevision':
      return apiErrors.unknown(`Timeout: Too large resource version: ${e.detail.requested ?? ''}, current: ${e.detail.compacted ?? ''}`, 504);
  }
}

/** Read one object (as stored) or answer 404. */
export function getObject(ctx: ServerContext, type: ResourceType, namespace: string | undefined, name: string): KubeObject {
  const found = ctx.store.get(storeResource(type), storeKey(type, namespace, name));
  if (found === undefined) throw apiErrors.notFound(groupResource(type), name);
  return found as KubeObject;
}

/** Objects returned to clients are copies: nobody outside the store holds its values. */
export function out(o: StoredObject | KubeObject): KubeObject {
  return cloneJson(o) as KubeObject;
}

const sharedCopies = new WeakMap<object, KubeObject>();

function deepFreeze<T>(o: T): T {
  if (o !== null && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o as object)) deepFreeze(v);
  }
  return o;
}

/**
 * One frozen copy of a stored object for every watcher of the same change
 * (a pod update reaches a dozen informers): copying once instead of per
 * watcher, and freezing, so a client that tried to change what it was sent
 * fails loudly instead of corrupting the others' caches.
 */
export function outShared(o: StoredObject | KubeObject): KubeObject {
  let copy = sharedCopies.get(o);
  if (copy === undefined) sharedCopies.set(o, (copy = deepFreeze(cloneJson(o) as KubeObject)));
  return copy;
}
