import type { KubeObject } from '../api/registry/types.js';
import type { ApiClient } from '../client/api-client.js';
import type { HostContext } from '../faults/index.js';
import type { CachedData } from './env.js';

/** An object as the cache holds it. */
export type CachedObject = KubeObject | 'missing' | 'pending';

interface Entry {
  object: CachedObject;
  fetchedAtMs: number;
  fetching: boolean;
}

/**
 * The kubelet's ConfigMap and Secret manager, in its TTL-cache form
 * (pkg/kubelet/util/manager cache_based_manager): an object is read from
 * the API server the first time a pod needs it and again once its copy is
 * older than the TTL; until the first answer comes it is 'pending'.
 */
export class ObjectCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly host: HostContext,
    private readonly client: ApiClient,
    private readonly resource: 'configmaps' | 'secrets' | 'persistentvolumeclaims' | 'persistentvolumes',
    private readonly ttlMs = 10_000,
  ) {}

  /** A ConfigMap's or Secret's data. */
  get(namespace: string, name: string): CachedData {
    const o = this.object(namespace, name);
    return typeof o === 'string' ? o : { ...((o['data'] ?? {}) as Record<string, string>) };
  }

  /** The whole object (namespace '' for cluster-scoped kinds). */
  object(namespace: string, name: string): CachedObject {
    const key = `${namespace}/${name}`;
    let entry = this.entries.get(key);
    const now = this.host.clock.monotonic();
    if (entry === undefined) {
      entry = { object: 'pending', fetchedAtMs: now, fetching: false };
      this.entries.set(key, entry);
      this.fetch(namespace, name, entry);
    } else if (!entry.fetching && now - entry.fetchedAtMs >= this.ttlMs) this.fetch(namespace, name, entry);
    return entry.object;
  }

  private fetch(namespace: string, name: string, entry: Entry): void {
    entry.fetching = true;
    this.client.request({ verb: 'get', group: '', version: 'v1', resource: this.resource, ...(namespace !== '' && { namespace }), name }, (error, body) => {
      entry.fetching = false;
      entry.fetchedAtMs = this.host.clock.monotonic();
      if (error === null && body !== undefined) entry.object = body;
      else if (error !== null && 'code' in error && error.code === 404) entry.object = 'missing';
      // Other errors (the API server out of reach) keep what was known.
    });
  }

  clear(): void {
    this.entries.clear();
  }
}
