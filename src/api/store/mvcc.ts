import { StoreError } from './errors.js';
import type { StoreEvent, StoredObject, WatchEvent, WatchOptions, Watcher, WriteOp } from './types.js';
import { WatcherRegistry, type IndexFn } from './watchers.js';

/** One version of a key: the object, or null for a deletion (tombstone). */
interface Version {
  readonly revision: number;
  readonly object: StoredObject | null;
}

interface Table {
  readonly keys: Map<string, Version[]>;
  sorted: string[] | undefined;
  readonly indexes: Map<string, IndexFn>;
  readonly watchers: WatcherRegistry;
}

export interface ListOptions {
  /** Read as of this revision (must not be compacted); default: now. */
  atRevision?: number;
  keyPrefix?: string;
  filter?: (object: StoredObject) => boolean;
  /** At most this many items; the result then carries `continueAfter`. */
  limit?: number;
  /** Resume after this key (from a previous page's `continueAfter`). */
  continueAfter?: string;
}

export interface ListResult {
  items: StoredObject[];
  /** The revision the list was read at (pages of one list share it). */
  revision: number;
  /** Set when more items remain. */
  continueAfter?: string;
}

/**
 * A multi-version key-value store with a global revision, the model of
 * etcd's MVCC backend the API server sits on. Every write bumps the
 * revision and stamps it into `metadata.resourceVersion`; each key keeps
 * its versions, so reads and paginated lists can be served as of an older
 * revision until it is compacted. Watches replay history from a revision
 * and then follow live changes, in order, exactly once; a watch or read
 * from before the compaction point fails with `Compacted` (the API
 * server's `410 Gone`).
 *
 * Keys are per resource (`pods`) and look like `namespace/name` (or `name`
 * for cluster-scoped kinds), so a namespace is a key prefix. Objects handed
 * to the store belong to it afterwards: callers must not mutate them, and
 * the objects it returns must not be mutated either.
 */
export class MVCCStore {
  private rev = 0;
  private compacted = 0;
  private readonly tables = new Map<string, Table>();
  private readonly history: StoreEvent[] = [];
  private readonly observers: Array<(event: StoreEvent) => void> = [];
  /** Index into `history` of the first event after `compacted`. */
  private historyStart = 0;

  /** The current revision (the resourceVersion of the latest write). */
  get revision(): number {
    return this.rev;
  }

  /** Revisions at or below this are gone. */
  get compactedRevision(): number {
    return this.compacted;
  }

  /** Register an index (e.g. `spec.nodeName` for pods) that indexed watches can use. */
  defineIndex(resource: string, name: string, fn: IndexFn): void {
    this.table(resource).indexes.set(name, fn);
  }

  get(resource: string, key: string, atRevision?: number): StoredObject | undefined {
    const at = this.readRevision(atRevision);
    const versions = this.tables.get(resource)?.keys.get(key);
    return versions === undefined ? undefined : (versionAt(versions, at)?.object ?? undefined);
  }

  /** Objects in key order, as of one revision. */
  list(resource: string, options: ListOptions = {}): ListResult {
    const at = this.readRevision(options.atRevision);
    const table = this.tables.get(resource);
    if (table === undefined) return { items: [], revision: at };
    const keys = this.sortedKeys(table);
    let i = 0;
    const start = options.continueAfter ?? options.keyPrefix;
    if (start !== undefined) i = lowerBound(keys, start);
    if (options.continueAfter !== undefined && keys[i] === options.continueAfter) i++;
    const items: StoredObject[] = [];
    const { keyPrefix, filter, limit } = options;
    for (; i < keys.length; i++) {
      const key = keys[i]!;
      if (keyPrefix !== undefined && !key.startsWith(keyPrefix)) break;
      const object = versionAt(table.keys.get(key)!, at)?.object;
      if (object === null || object === undefined) continue;
      if (filter !== undefined && !filter(object)) continue;
      if (limit !== undefined && items.length === limit) return { items, revision: at, continueAfter: keys[i - 1]! };
      items.push(object);
    }
    return { items, revision: at };
  }

  /** Create a key; fails with KeyExists if it has a live object. */
  create(resource: string, key: string, object: StoredObject): StoredObject {
    const table = this.table(resource);
    const versions = table.keys.get(key);
    if (versions !== undefined && versions[versions.length - 1]!.object !== null) throw new StoreError('KeyExists', `key ${resource}/${key} already exists`);
    return this.write(table, resource, key, versions, 'ADDED', object, undefined);
  }

  /**
   * Replace a key's object. With `expectedRevision`, only if the key was last
   * written at that revision (compare-and-swap); otherwise Conflict.
   */
  update(resource: string, key: string, object: StoredObject, expectedRevision?: number): StoredObject {
    const { table, versions, current } = this.live(resource, key, expectedRevision);
    return this.write(table, resource, key, versions, 'MODIFIED', object, current);
  }

  /** Delete a key (optionally only at an expected revision); returns its last object. */
  delete(resource: string, key: string, expectedRevision?: number): StoredObject {
    const { table, versions, current } = this.live(resource, key, expectedRevision);
    return this.write(table, resource, key, versions, 'DELETED', current, current);
  }

  /**
   * Apply several writes atomically: every precondition is checked first
   * (in order, each seeing the ones before it), then all are applied at
   * consecutive revisions; if any would fail, none is applied.
   */
  transact(ops: readonly WriteOp[]): StoredObject[] {
    if (ops.length === 1 && ops[0]!.kind === 'compact') {
      this.compact(Math.min(ops[0]!.revision, this.rev));
      return [];
    }
    const shadow = new Map<string, number | null>();
    const state = (resource: string, key: string): number | null => {
      const k = `${resource}\u0000${key}`;
      if (shadow.has(k)) return shadow.get(k)!;
      return this.modRevision(resource, key) ?? null;
    };
    let next = this.rev;
    for (const op of ops) {
      if (op.kind === 'compact') throw new Error('compaction must be a transaction of its own');
      const current = state(op.resource, op.key);
      const k = `${op.resource}\u0000${op.key}`;
      if (op.kind === 'create') {
        if (current !== null) throw new StoreError('KeyExists', `key ${op.resource}/${op.key} already exists`);
      } else {
        if (current === null) throw new StoreError('KeyNotFound', `key ${op.resource}/${op.key} not found`);
        if (op.expectedRevision !== undefined && op.expectedRevision !== current) {
          throw new StoreError('Conflict', `key ${op.resource}/${op.key} is at revision ${current}, not ${op.expectedRevision}`, { expected: op.expectedRevision, actual: current });
        }
      }
      next++;
      shadow.set(k, op.kind === 'delete' ? null : next);
    }
    return ops.map((op) => {
      if (op.kind === 'create') return this.create(op.resource, op.key, op.object);
      if (op.kind === 'update') return this.update(op.resource, op.key, op.object);
      if (op.kind === 'delete') return this.delete(op.resource, op.key);
      throw new Error('unreachable: compaction was refused above');
    });
  }

  /** The revision a key's live object was last written at. */
  modRevision(resource: string, key: string): number | undefined {
    const versions = this.tables.get(resource)?.keys.get(key);
    const last = versions?.[versions.length - 1];
    return last === undefined || last.object === null ? undefined : last.revision;
  }

  /**
   * Watch a resource from a revision: every change after it, then live
   * changes. Fails with Compacted if history before `fromRevision` is gone.
   */
  watch(resource: string, options: WatchOptions, handler: (event: WatchEvent) => void): Watcher {
    if (options.fromRevision < this.compacted) {
      throw new StoreError('Compacted', `too old resource version: ${options.fromRevision} (${this.compacted})`, { requested: options.fromRevision, compacted: this.compacted });
    }
    if (options.fromRevision > this.rev) throw new StoreError('FutureRevision', `resource version ${options.fromRevision} is in the future (current ${this.rev})`);
    const table = this.table(resource);
    const watcher = table.watchers.add(options, handler);
    // Replay what happened after fromRevision; new writes cannot interleave (single-threaded).
    for (let i = this.firstEventAfter(options.fromRevision); i < this.history.length && !watcher.stopped; i++) {
      const e = this.history[i]!;
      if (e.resource === resource && this.reaches(table, options, e)) watcher.deliver(e);
    }
    return watcher;
  }

  /** Forget versions and history at or below `revision` (etcd compaction). */
  compact(revision: number): void {
    if (revision <= this.compacted) return;
    if (revision > this.rev) throw new StoreError('FutureRevision', `cannot compact to ${revision}: current revision is ${this.rev}`);
    this.compacted = revision;
    this.historyStart = this.firstEventAfter(revision);
    if (this.historyStart > 4096 && this.historyStart * 2 > this.history.length) {
      this.history.splice(0, this.historyStart);
      this.historyStart = 0;
    }
    for (const table of this.tables.values()) {
      for (const [key, versions] of table.keys) {
        // Keep the newest version at or below the compaction point (it is still the value there).
        let keep = 0;
        for (let i = versions.length - 1; i >= 0; i--) {
          if (versions[i]!.revision <= revision) {
            keep = i;
            break;
          }
        }
        if (keep > 0) versions.splice(0, keep);
        if (versions.length === 1 && versions[0]!.object === null) {
          table.keys.delete(key);
          table.sorted = undefined;
        }
      }
    }
  }

  /**
   * Forget all data (a crashed etcd member's memory); index definitions stay,
   * watchers are dropped (their connections died with the process).
   */
  reset(): void {
    for (const [resource, table] of this.tables) {
      const fresh = new Map(table.indexes);
      this.tables.set(resource, { keys: new Map(), sorted: undefined, indexes: fresh, watchers: new WatcherRegistry(resource, fresh) });
    }
    this.rev = 0;
    this.compacted = 0;
    this.history.length = 0;
    this.historyStart = 0;
  }

  /**
   * Every live object at the current revision (for a snapshot on disk).
   */
  entries(): Array<{ resource: string; key: string; object: StoredObject }> {
    const out: Array<{ resource: string; key: string; object: StoredObject }> = [];
    for (const [resource, table] of this.tables) {
      for (const [key, versions] of table.keys) {
        const last = versions[versions.length - 1]!.object;
        if (last !== null) out.push({ resource, key, object: last });
      }
    }
    return out;
  }

  /**
   * Load state saved from another store (a restart from disk), before any
   * write: each object keeps its resourceVersion, the store continues from
   * `revision`, and history before it counts as compacted, so an old watch
   * gets 410 Gone and relists, as after etcd compaction.
   */
  restore(entries: ReadonlyArray<{ resource: string; key: string; object: StoredObject }>, revision: number): void {
    if (this.rev !== 0) throw new Error('restore: the store already has writes');
    for (const { resource, key, object } of entries) {
      const table = this.table(resource);
      table.keys.set(key, [{ revision: Number(object.metadata?.['resourceVersion'] ?? revision), object }]);
      table.sorted = undefined;
    }
    this.rev = revision;
    this.compacted = revision;
  }

  /** Follow every write (not compactions), in order, as it is applied: for a write-ahead log on disk. */
  observe(listener: (event: StoreEvent) => void): void {
    this.observers.push(listener);
  }

  /** Live watchers of a resource (for tests and metrics). */
  watcherCount(resource: string): number {
    return this.tables.get(resource)?.watchers.size ?? 0;
  }

  // ---- internals ----------------------------------------------------------

  /** The live object at a key, checked against an expected revision (compare-and-swap). */
  private live(resource: string, key: string, expectedRevision: number | undefined): { table: Table; versions: Version[]; current: StoredObject } {
    const table = this.table(resource);
    const versions = table.keys.get(key);
    const last = versions?.[versions.length - 1];
    if (versions === undefined || last === undefined || last.object === null) throw new StoreError('KeyNotFound', `key ${resource}/${key} not found`);
    if (expectedRevision !== undefined && expectedRevision !== last.revision) {
      throw new StoreError('Conflict', `key ${resource}/${key} is at revision ${last.revision}, not ${expectedRevision}`, { expected: expectedRevision, actual: last.revision });
    }
    return { table, versions, current: last.object };
  }

  private write(table: Table, resource: string, key: string, versions: Version[] | undefined, type: StoreEvent['type'], object: StoredObject, prev: StoredObject | undefined): StoredObject {
    const revision = ++this.rev;
    const stamped = stamp(object, revision);
    if (versions === undefined) {
      table.keys.set(key, [{ revision, object: type === 'DELETED' ? null : stamped }]);
      table.sorted = undefined;
    } else versions.push({ revision, object: type === 'DELETED' ? null : stamped });
    const event: StoreEvent = { type, revision, resource, key, object: stamped, prevObject: prev };
    this.history.push(event);
    for (const o of this.observers) o(event);
    table.watchers.dispatch(event);
    return stamped;
  }

  private reaches(table: Table, options: WatchOptions, e: StoreEvent): boolean {
    const index = options.index;
    if (index === undefined) return true;
    const fn = table.indexes.get(index.name)!;
    return (e.type !== 'DELETED' && fn(e.object) === index.value) || (e.prevObject !== undefined && fn(e.prevObject) === index.value);
  }

  private readRevision(atRevision: number | undefined): number {
    if (atRevision === undefined || atRevision === 0) return this.rev;
    if (atRevision < this.compacted) {
      throw new StoreError('Compacted', `too old resource version: ${atRevision} (${this.compacted})`, { requested: atRevision, compacted: this.compacted });
    }
    if (atRevision > this.rev) throw new StoreError('FutureRevision', `resource version ${atRevision} is in the future (current ${this.rev})`);
    return atRevision;
  }

  private firstEventAfter(revision: number): number {
    // history is ordered by revision: binary search
    let lo = this.historyStart;
    let hi = this.history.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.history[mid]!.revision <= revision) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private table(resource: string): Table {
    let table = this.tables.get(resource);
    if (table === undefined) {
      const indexes = new Map<string, IndexFn>();
      table = { keys: new Map(), sorted: undefined, indexes, watchers: new WatcherRegistry(resource, indexes) };
      this.tables.set(resource, table);
    }
    return table;
  }

  private sortedKeys(table: Table): string[] {
    if (table.sorted === undefined) table.sorted = [...table.keys.keys()].sort();
    return table.sorted;
  }
}

/** The stored copy carries its revision as metadata.resourceVersion. */
function stamp(object: StoredObject, revision: number): StoredObject {
  const metadata = { ...(object.metadata ?? {}), resourceVersion: String(revision) };
  return { ...object, metadata };
}

function versionAt(versions: readonly Version[], revision: number): Version | undefined {
  for (let i = versions.length - 1; i >= 0; i--) if (versions[i]!.revision <= revision) return versions[i];
  return undefined;
}

function lowerBound(keys: readonly string[], target: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (keys[mid]! < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
