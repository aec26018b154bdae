import type { StoreEvent, StoredObject, WatchEvent, WatchOptions, Watcher } from './types.js';

export type IndexFn = (object: StoredObject) => string;

class WatcherImpl implements Watcher {
  stopped = false;

  constructor(
    readonly resource: string,
    readonly options: WatchOptions,
    readonly handler: (event: WatchEvent) => void,
    private readonly onStop: (w: WatcherImpl) => void,
  ) {}

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.onStop(this);
  }

  /**
   * Deliver one change through this watcher's prefix and filter, the way
   * upstream's watch cache does: an object entering the filter is ADDED, one
   * leaving it is DELETED.
   */
  deliver(e: StoreEvent): void {
    if (this.stopped || e.revision <= this.options.fromRevision) return;
    const prefix = this.options.keyPrefix;
    if (prefix !== undefined && !e.key.startsWith(prefix)) return;
    const filter = this.options.filter;
    if (filter === undefined) return this.handler({ type: e.type, revision: e.revision, object: e.object });
    const nowMatches = e.type !== 'DELETED' && filter(e.object);
    const wasMatching = e.prevObject !== undefined && filter(e.prevObject);
    if (e.type === 'DELETED') {
      if (wasMatching) this.handler({ type: 'DELETED', revision: e.revision, object: e.object });
    } else if (nowMatches) {
      this.handler({ type: wasMatching || e.type === 'ADDED' ? e.type : 'ADDED', revision: e.revision, object: e.object });
    } else if (wasMatching) {
      this.handler({ type: 'DELETED', revision: e.revision, object: e.object });
    }
  }
}

/** The watchers of one resource, with unindexed ones in a list and indexed ones in buckets by value. */
export class WatcherRegistry {
  private readonly unindexed = new Set<WatcherImpl>();
  private readonly buckets = new Map<string, Map<string, Set<WatcherImpl>>>();

  constructor(
    private readonly resource: string,
    private readonly indexes: ReadonlyMap<string, IndexFn>,
  ) {}

  get size(): number {
    let n = this.unindexed.size;
    for (const byValue of this.buckets.values()) for (const set of byValue.values()) n += set.size;
    return n;
  }

  add(options: WatchOptions, handler: (event: WatchEvent) => void): WatcherImpl {
    const index = options.index;
    // An index is how a field selector on an indexed field is served, so its
    // condition is part of the watcher's filter: an object moving onto the
    // value is ADDED for the watcher, one moving away is DELETED.
    let effective = options;
    if (index !== undefined) {
      const fn = this.indexes.get(index.name);
      if (fn === undefined) throw new Error(`resource ${this.resource} has no index "${index.name}"`);
      const user = options.filter;
      effective = { ...options, filter: user === undefined ? (o) => fn(o) === index.value : (o) => fn(o) === index.value && user(o) };
    }
    const watcher = new WatcherImpl(this.resource, effective, handler, (w) => this.remove(w));
    if (index === undefined) this.unindexed.add(watcher);
    else {
      let byValue = this.buckets.get(index.name);
      if (byValue === undefined) this.buckets.set(index.name, (byValue = new Map()));
      let set = byValue.get(index.value);
      if (set === undefined) byValue.set(index.value, (set = new Set()));
      set.add(watcher);
    }
    return watcher;
  }

  /** Hand one change to every watcher that can care about it. */
  dispatch(e: StoreEvent): void {
    for (const w of this.unindexed) w.deliver(e);
    for (const [name, byValue] of this.buckets) {
      const fn = this.indexes.get(name)!;
      const now = e.type === 'DELETED' ? undefined : fn(e.object);
      const before = e.prevObject === undefined ? undefined : fn(e.prevObject);
      if (now !== undefined) byValue.get(now)?.forEach((w) => w.deliver(e));
      if (before !== undefined && before !== now) byValue.get(before)?.forEach((w) => w.deliver(e));
    }
  }

  private remove(w: WatcherImpl): void {
    if (w.options.index === undefined) this.unindexed.delete(w);
    else this.buckets.get(w.options.index.name)?.get(w.options.index.value)?.delete(w);
  }
}
