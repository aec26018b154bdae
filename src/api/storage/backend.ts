import type { MVCCStore, StoredObject, WriteOp } from '../store/index.js';

/** A storage failure that is not the store's own refusal (etcd unavailable, timed out). */
export class StorageUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StorageUnavailableError';
  }
}

/**
 * Where the API server keeps its state. Reads and watches are served from
 * `store` (a replica); `barrier` makes the next read reflect every write
 * committed before it (a linearizable read); `commit` applies a transaction
 * once it is durable. An in-memory backend answers at once; the etcd model
 * answers when a quorum has the write, or with etcd's timeout.
 */
export interface StorageBackend {
  readonly store: MVCCStore;
  barrier(done: (error: Error | null) => void): void;
  commit(ops: readonly WriteOp[], done: (error: Error | null, results?: StoredObject[]) => void): void;
}

/** State in one process's memory: every call completes synchronously. */
export class MemoryBackend implements StorageBackend {
  constructor(readonly store: MVCCStore) {}

  barrier(done: (error: Error | null) => void): void {
    done(null);
  }

  commit(ops: readonly WriteOp[], done: (error: Error | null, results?: StoredObject[]) => void): void {
    let results: StoredObject[];
    try {
      results = this.store.transact(ops);
    } catch (e) {
      return done(e as Error);
    }
    done(null, results);
  }
}
