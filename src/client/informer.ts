import type { HostContext } from '../faults/index.js';
import type { KubeObject } from '../api/registry/types.js';
import type { WatchEventOut } from '../api/server/index.js';
import type { Timer } from '../sim/index.js';
import type { ApiClient, ClientError, ClientRequest } from './api-client.js';
import { Backoff } from './backoff.js';

export interface EventHandler {
  onAdd?(object: KubeObject): void;
  onUpdate?(oldObject: KubeObject, newObject: KubeObject): void;
  onDelete?(object: KubeObject): void;
}

export interface InformerOptions {
  group: string;
  version: string;
  resource: string;
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Re-deliver every cached object as an update this often (0: never). */
  resyncMs?: number;
  /** Page size of the initial list (client-go's pager uses 500). */
  pageSize?: number;
}

export type IndexFunc = (object: KubeObject) => string[];

const keyOf = (o: KubeObject): string => (o.metadata?.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : String(o.metadata?.name));

/**
 * A shared informer (client-go Reflector + DeltaFIFO + Indexer, simplified):
 * lists, then watches from the list's resourceVersion with bookmarks; when
 * the server ends a watch it watches again from the last version seen; a
 * 410 or a lost connection makes it list again after a back-off. Handlers
 * see adds, updates and deletes; the cache can be read any time, and may be
 * stale while the API server is out of reach — exactly as in a real cluster.
 */
export class Informer {
  private readonly cache = new Map<string, KubeObject>();
  private readonly handlers: EventHandler[] = [];
  private readonly indexFns = new Map<string, IndexFunc>();
  private readonly indexes = new Map<string, Map<string, Set<string>>>();
  private lastResourceVersion = '';
  private synced = false;
  private stopped = true;
  private generation = 0;
  private watchHandle: { stop(): void } | undefined;
  private resyncTimer: Timer | undefined;
  private readonly backoff: Backoff;
  /** Lists done, for tests and metrics. */
  lists = 0;

  constructor(
    private readonly host: HostContext,
    private readonly client: ApiClient,
    readonly options: InformerOptions,
  ) {
    this.backoff = new Backoff(host.rng(`informer/${options.resource}`));
    // A crash loses the process's memory: the cache starts empty after a restart, as a new informer's would.
    host.onCrash(() => {
      this.stop();
      this.cache.clear();
      for (const index of this.indexes.values()) index.clear();
      this.lastResourceVersion = '';
      this.synced = false;
    });
  }

  addEventHandler(handler: EventHandler): void {
    this.handlers.push(handler);
    for (const o of this.cache.values()) handler.onAdd?.(o);
  }

  addIndexer(name: string, fn: IndexFunc): void {
    this.indexFns.set(name, fn);
    const index = new Map<string, Set<string>>();
    this.indexes.set(name, index);
    for (const [key, o] of this.cache) for (const v of fn(o)) addTo(index, v, key);
  }

  get hasSynced(): boolean {
    return this.synced;
  }

  get resourceVersion(): string {
    return this.lastResourceVersion;
  }

  get(namespaceOrName: string, name?: string): KubeObject | undefined {
    return this.cache.get(name === undefined ? namespaceOrName : `${namespaceOrName}/${name}`);
  }

  list(): KubeObject[] {
    return [...this.cache.values()];
  }

  byIndex(name: string, value: string): KubeObject[] {
    const keys = this.indexes.get(name)?.get(value);
    return keys === undefined ? [] : [...keys].map((k) => this.cache.get(k)!).filter((o) => o !== undefined);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.listAndWatch();
    const resync = this.options.resyncMs ?? 0;
    if (resync > 0) {
      const tick = (): void => {
        for (const o of this.cache.values()) for (const h of this.handlers) h.onUpdate?.(o, o);
        this.resyncTimer = this.host.after(resync, tick);
      };
      this.resyncTimer = this.host.after(resync, tick);
    }
  }

  stop(): void {
    this.stopped = true;
    this.generation++;
    this.watchHandle?.stop();
    this.watchHandle = undefined;
    this.resyncTimer?.cancel();
  }

  private base(): ClientRequest {
    const o = this.options;
    return {
      verb: 'list',
      group: o.group,
      version: o.version,
      resource: o.resource,
      ...(o.namespace !== undefined && { namespace: o.namespace }),
      query: { ...(o.labelSelector && { labelSelector: o.labelSelector }), ...(o.fieldSelector && { fieldSelector: o.fieldSelector }) },
    };
  }

  private listAndWatch(): void {
    const gen = ++this.generation;
    const items: KubeObject[] = [];
    const page = (continueToken?: string): void => {
      const req = this.base();
      req.query = { ...req.query, limit: this.options.pageSize ?? 500, ...(continueToken && { continue: continueToken }) };
      this.client.request(req, (err, body) => {
        if (gen !== this.generation || this.stopped) return;
        if (err !== null) return this.retry(() => this.listAndWatch());
        const list = body as { apiVersion?: string; kind?: string; items: KubeObject[]; metadata: { resourceVersion: string; continue?: string } };
        // List items carry no apiVersion/kind; client-go fills them from its scheme when it needs a reference (events, owners).
        const kind = list.kind?.endsWith('List') === true ? list.kind.slice(0, -4) : undefined;
        for (const o of list.items) items.push(o.kind === undefined && kind !== undefined ? { apiVersion: list.apiVersion, kind, ...o } : o);
        if (list.metadata.continue) return page(list.metadata.continue);
        this.lists++;
        this.replace(items, list.metadata.resourceVersion);
        this.watch(gen);
      });
    };
    page();
  }

  private watch(gen: number): void {
    if (gen !== this.generation || this.stopped) return;
    const req = this.base();
    req.verb = 'watch';
    req.query = { ...req.query, resourceVersion: this.lastResourceVersion, allowWatchBookmarks: true };
    let expired = false;
    this.watchHandle = this.client.watch(req, {
      onEvent: (e) => {
        if (gen !== this.generation) return;
        if (e.type === 'ERROR') {
          expired = (e.object as { code?: number }).code === 410;
          return;
        }
        this.apply(e);
      },
      onClose: (error: ClientError | null) => {
        if (gen !== this.generation || this.stopped) return;
        this.watchHandle = undefined;
        // A normal end: watch again from where we were. 410 or a lost connection: list again.
        if (error === null && !expired) return this.watch(gen);
        this.retry(() => this.listAndWatch());
      },
    });
  }

  private retry(fn: () => void): void {
    const gen = this.generation;
    this.host.after(this.backoff.next(this.host.clock.monotonic()), () => {
      if (gen === this.generation && !this.stopped) fn();
    });
  }

  private apply(e: WatchEventOut): void {
    const rv = String(e.object.metadata?.['resourceVersion'] ?? '');
    if (rv) this.lastResourceVersion = rv;
    if (e.type === 'BOOKMARK') return;
    const key = keyOf(e.object);
    const old = this.cache.get(key);
    if (e.type === 'DELETED') {
      if (old === undefined) return;
      this.remove(key, old);
      for (const h of this.handlers) h.onDelete?.(e.object);
      return;
    }
    this.put(key, e.object, old);
    for (const h of this.handlers) {
      if (old === undefined) h.onAdd?.(e.object);
      else h.onUpdate?.(old, e.object);
    }
  }

  /** Replace the cache with a fresh list, telling handlers what changed meanwhile. */
  private replace(items: KubeObject[], resourceVersion: string): void {
    const seen = new Set<string>();
    for (const o of items) {
      const key = keyOf(o);
      seen.add(key);
      const old = this.cache.get(key);
      if (old !== undefined && old.metadata?.['resourceVersion'] === o.metadata?.['resourceVersion']) continue;
      this.put(key, o, old);
      for (const h of this.handlers) {
        if (old === undefined) h.onAdd?.(o);
        else h.onUpdate?.(old, o);
      }
    }
    for (const [key, old] of [...this.cache]) {
      if (seen.has(key)) continue;
      this.remove(key, old);
      for (const h of this.handlers) h.onDelete?.(old);
    }
    this.lastResourceVersion = resourceVersion;
    this.synced = true;
  }

  private put(key: string, o: KubeObject, old: KubeObject | undefined): void {
    if (old !== undefined) this.unindex(key, old);
    this.cache.set(key, Object.freeze(o));
    for (const [name, fn] of this.indexFns) for (const v of fn(o)) addTo(this.indexes.get(name)!, v, key);
  }

  private remove(key: string, old: KubeObject): void {
    this.unindex(key, old);
    this.cache.delete(key);
  }

  private unindex(key: string, o: KubeObject): void {
    for (const [name, fn] of this.indexFns) for (const v of fn(o)) this.indexes.get(name)!.get(v)?.delete(key);
  }
}

function addTo(index: Map<string, Set<string>>, value: string, key: string): void {
  let set = index.get(value);
  if (set === undefined) index.set(value, (set = new Set()));
  set.add(key);
}
