import { closeSync, existsSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { MVCCStore, StoredObject } from '../api/store/index.js';
import type { Topology } from '../cluster/topology.js';

/** What a data directory remembers about the cluster it holds (so a restart rebuilds the same one). */
export interface ClusterRecord {
  seed: string;
  nodes: number;
  /** The topology it was built from (--topology, --scenario), when not just a node count. */
  topology?: Omit<Topology, 'seed'>;
}

/** The state read back from a data directory. */
export interface SavedState {
  cluster: ClusterRecord;
  revision: number;
  entries: Array<{ resource: string; key: string; object: StoredObject }>;
}

type LogLine = { r: number; t: 'ADDED' | 'MODIFIED' | 'DELETED'; res: string; k: string; o?: StoredObject };

/** Write a snapshot after this many logged writes, and start the log again. */
const SNAPSHOT_EVERY = 5_000;

/**
 * `crucible serve --data-dir DIR`: the API server's store on disk, as etcd
 * keeps it — a write-ahead log (`wal.jsonl`, one line per write, appended
 * before the API answers, so a `kill -9` loses nothing acknowledged) and a
 * snapshot (`snapshot.json`, replaced atomically every few thousand writes,
 * after which the log starts again). Reading back takes the snapshot, then
 * every logged write after it; a last line torn by a crash is dropped.
 */
export class DataDir {
  private fd: number | undefined;
  private logged = 0;
  private store: MVCCStore | undefined;
  private syncTimer: NodeJS.Timeout | undefined;

  constructor(readonly dir: string) {}

  private get walPath(): string {
    return join(this.dir, 'wal.jsonl');
  }

  private get snapshotPath(): string {
    return join(this.dir, 'snapshot.json');
  }

  private get clusterPath(): string {
    return join(this.dir, 'cluster.json');
  }

  /** The saved state, or undefined for an empty (or new) directory. Throws with the file and the problem when it cannot be read. */
  load(): SavedState | undefined {
    if (!existsSync(this.clusterPath)) return undefined;
    const cluster = readJson(this.clusterPath) as ClusterRecord;
    const objects = new Map<string, { resource: string; key: string; object: StoredObject }>();
    let revision = 0;
    if (existsSync(this.snapshotPath)) {
      const snap = readJson(this.snapshotPath) as { revision: number; items: Array<{ res: string; k: string; o: StoredObject }> };
      revision = snap.revision;
      for (const i of snap.items) objects.set(`${i.res}\u0000${i.k}`, { resource: i.res, key: i.k, object: i.o });
    }
    if (existsSync(this.walPath)) {
      const lines = readFileSync(this.walPath, 'utf8').split('\n');
      let good = 0;
      for (const line of lines) {
        if (line === '') break;
        let e: LogLine;
        try {
          e = JSON.parse(line) as LogLine;
        } catch {
          break; // a write torn by a crash: everything before it is whole
        }
        good += Buffer.byteLength(line) + 1;
        if (e.r <= revision) continue;
        const id = `${e.res}\u0000${e.k}`;
        if (e.t === 'DELETED') objects.delete(id);
        else objects.set(id, { resource: e.res, key: e.k, object: e.o! });
        revision = e.r;
      }
      const fd = openSync(this.walPath, 'r+');
      ftruncateSync(fd, good);
      closeSync(fd);
    }
    return { cluster, revision, entries: [...objects.values()] };
  }

  /** Start keeping `store` here: record the cluster, then log every write as it is applied. */
  attach(store: MVCCStore, cluster: ClusterRecord): void {
    mkdirSync(this.dir, { recursive: true });
    if (!existsSync(this.clusterPath)) atomicWrite(this.clusterPath, JSON.stringify(cluster));
    this.store = store;
    this.fd = openSync(this.walPath, 'a');
    // What the store holds already (the cluster coming up, or what was resumed) starts the snapshot.
    this.snapshot();
    store.observe((e) => {
      const line: LogLine = { r: e.revision, t: e.type, res: e.resource, k: e.key, ...(e.type !== 'DELETED' && { o: e.object }) };
      writeSync(this.fd!, `${JSON.stringify(line)}\n`);
      if (++this.logged >= SNAPSHOT_EVERY) this.snapshot();
    });
    // The page cache survives the process (kill -9); fsync each second covers the machine too.
    this.syncTimer = setInterval(() => this.fd !== undefined && fsyncSync(this.fd), 1000);
    this.syncTimer.unref();
  }

  /** Write the whole store as a snapshot (atomically), then start an empty log. */
  snapshot(): void {
    if (this.store === undefined || this.fd === undefined) return;
    const items = this.store.entries().map((e) => ({ res: e.resource, k: e.key, o: e.object }));
    atomicWrite(this.snapshotPath, JSON.stringify({ revision: this.store.revision, items }));
    closeSync(this.fd);
    this.fd = openSync(this.walPath, 'w');
    this.logged = 0;
  }

  /** A clean stop: snapshot, close the log. */
  close(): void {
    if (this.syncTimer !== undefined) clearInterval(this.syncTimer);
    this.snapshot();
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new DataDirError(`${path}: cannot read the saved cluster (${(e as Error).message}); move the directory away to start afresh`);
  }
}

function atomicWrite(path: string, text: string): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, text);
  const fd = openSync(tmp, 'r');
  fsyncSync(fd);
  closeSync(fd);
  renameSync(tmp, path);
}

/** A data directory that cannot be read back (the CLI reports it as a user error). */
export class DataDirError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataDirError';
  }
}
