import type { Rng, Simulation } from '../sim/index.js';
import { FaultInputError, requireInteger, requireRate } from './errors.js';
import type { Hosts } from './hosts.js';

/** A record as written: each write is atomic, whole or not at all. */
export type DiskRecord = string | Uint8Array;

export type DiskErrorCode = 'ENOSPC' | 'EIO' | 'ENOENT';

/** An operation the disk refused, with the errno name a program would see. */
export class DiskError extends Error {
  constructor(
    readonly code: DiskErrorCode,
    readonly op: string,
    readonly path: string,
  ) {
    super(`${code}: ${op} ${path}: ${DISK_ERROR_TEXT[code]}`);
    this.name = 'DiskError';
  }
}

export const DISK_ERROR_TEXT: Record<DiskErrorCode, string> = {
  ENOSPC: 'no space left on device',
  EIO: 'input/output error',
  ENOENT: 'no such file or directory',
};

export interface DiskOptions {
  /** Total bytes. Default 100 GiB. */
  capacityBytes?: number;
  /** Time for a write or read to complete, in ms. Default 0 (still ordered after earlier operations). */
  writeLatencyMs?: number;
  readLatencyMs?: number;
  /** Time for an fsync, in ms. Default 2 (a datacenter SSD; etcd's guidance is under 10 ms). */
  fsyncLatencyMs?: number;
}

type Callback<T = void> = (error: DiskError | null, value?: T) => void;

type PendingOp = { kind: 'append'; record: DiskRecord } | { kind: 'truncate' };

interface FileState {
  /** What a reader sees now (the page cache). */
  current: DiskRecord[];
  /** What survives a crash. */
  durable: DiskRecord[];
  /** Operations since the last fsync, in order. */
  pending: PendingOp[];
}

const sizeOf = (r: DiskRecord): number => (typeof r === 'string' ? Buffer.byteLength(r) : r.byteLength);

/**
 * One host's disk. Operations queue behind each other and complete after
 * their latency (plus any injected latency); callbacks run on the kernel.
 * Files are lists of atomic records: appends add one, `writeFile` replaces
 * the content. Until `fsync`, a file's changes live only in the page cache;
 * when the host crashes, each file keeps its durable content plus a random
 * prefix of its unsynced operations (ordered, never torn: no corrupted data
 * is ever returned). Operations still queued when the host crashes never
 * complete, and their callbacks never run.
 */
export class Disk {
  private readonly files = new Map<string, FileState>();
  private capacity: number;
  private used = 0;
  private busyUntil = 0;
  private readonly writeLatencyMs: number;
  private readonly readLatencyMs: number;
  private readonly fsyncLatencyMs: number;
  /** Faults. */
  private extraLatencyMs = 0;
  private eioRate = 0;
  private full = false;

  constructor(
    private readonly sim: Simulation,
    private readonly hosts: Hosts,
    private readonly hostIndex: number,
    private readonly rng: Rng,
    options: DiskOptions = {},
  ) {
    this.capacity = requireInteger('disk.capacityBytes', options.capacityBytes ?? 100 * 2 ** 30, 1);
    this.writeLatencyMs = requireInteger('disk.writeLatencyMs', options.writeLatencyMs ?? 0);
    this.readLatencyMs = requireInteger('disk.readLatencyMs', options.readLatencyMs ?? 0);
    this.fsyncLatencyMs = requireInteger('disk.fsyncLatencyMs', options.fsyncLatencyMs ?? 2);
    hosts.onCrash(hostIndex, () => this.loseUnsynced());
  }

  get host(): string {
    return this.hosts.name(this.hostIndex);
  }

  get capacityBytes(): number {
    return this.capacity;
  }

  /** Bytes in use as the host sees them (including unsynced writes). */
  get usedBytes(): number {
    return this.used;
  }

  /** Bytes left; 0 while a disk-full fault is active. */
  get availableBytes(): number {
    return this.full ? 0 : Math.max(0, this.capacity - this.used);
  }

  /** Paths of the files on this disk, sorted. */
  list(prefix = ''): string[] {
    return [...this.files.keys()].filter((p) => p.startsWith(prefix)).sort();
  }

  exists(path: string): boolean {
    return this.files.has(path);
  }

  /** Append one record to a file (created if missing). */
  append(path: string, record: DiskRecord, cb: Callback): void {
    this.enqueue('append', path, this.writeLatencyMs, cb, () => {
      const size = sizeOf(record);
      if (size > this.availableBytes) return new DiskError('ENOSPC', 'append', path);
      const file = this.file(path);
      file.current.push(record);
      file.pending.push({ kind: 'append', record });
      this.used += size;
      return null;
    });
  }

  /** Replace a file's content with one record (created if missing). */
  writeFile(path: string, record: DiskRecord, cb: Callback): void {
    this.enqueue('write', path, this.writeLatencyMs, cb, () => {
      const file = this.files.get(path);
      const freed = file === undefined ? 0 : file.current.reduce((n, r) => n + sizeOf(r), 0);
      const size = sizeOf(record);
      if (size > this.availableBytes + freed) return new DiskError('ENOSPC', 'write', path);
      const target = file ?? this.file(path);
      target.current = [record];
      target.pending.push({ kind: 'truncate' }, { kind: 'append', record });
      this.used += size - freed;
      return null;
    });
  }

  /** Read a file's records as the host sees them now. */
  read(path: string, cb: Callback<readonly DiskRecord[]>): void {
    let result: readonly DiskRecord[] = [];
    this.enqueue(
      'read',
      path,
      this.readLatencyMs,
      (err) => (err ? cb(err) : cb(null, result)),
      () => {
        const file = this.files.get(path);
        if (file === undefined) return new DiskError('ENOENT', 'read', path);
        result = file.current.slice();
        return null;
      },
    );
  }

  /** Make a file's changes durable. */
  fsync(path: string, cb: Callback): void {
    this.enqueue('fsync', path, this.fsyncLatencyMs, cb, () => {
      const file = this.files.get(path);
      if (file === undefined) return new DiskError('ENOENT', 'fsync', path);
      for (const op of file.pending) applyOp(file.durable, op);
      file.pending = [];
      return null;
    });
  }

  /** Delete a file (durably: like unlink followed by a directory fsync). */
  remove(path: string, cb: Callback): void {
    this.enqueue('remove', path, this.writeLatencyMs, cb, () => {
      const file = this.files.get(path);
      if (file === undefined) return new DiskError('ENOENT', 'remove', path);
      this.used -= file.current.reduce((n, r) => n + sizeOf(r), 0);
      this.files.delete(path);
      return null;
    });
  }

  /** The records that would survive a crash right now (for checkers and tests). */
  durableRecords(path: string): readonly DiskRecord[] {
    return this.files.get(path)?.durable.slice() ?? [];
  }

  /**
   * Whether writing `bytes` would fail now, for components that model their
   * data instead of storing it (a node's image layers, volume directories):
   * ENOSPC when they do not fit or the disk is full, EIO at the fault rate.
   */
  writeError(bytes: number): DiskErrorCode | undefined {
    if (bytes > this.availableBytes) return 'ENOSPC';
    if (this.eioRate > 0 && this.rng.chance(this.eioRate)) return 'EIO';
    return undefined;
  }

  // ---- faults -------------------------------------------------------------

  /** Add latency to every operation that starts from now on. */
  setExtraLatency(ms: number): void {
    this.extraLatencyMs = requireInteger('addMs', ms);
  }

  /** Fail this fraction of operations with EIO. */
  setErrorRate(rate: number): void {
    this.eioRate = requireRate('rate', rate);
  }

  /** While full, every write that adds bytes fails with ENOSPC. */
  setFull(full: boolean): void {
    this.full = full;
  }

  // ---- internals ----------------------------------------------------------

  private enqueue(op: string, path: string, latencyMs: number, cb: Callback<never>, apply: () => DiskError | null): void {
    if (typeof path !== 'string' || path.length === 0) throw new FaultInputError({ path: `${op}.path`, message: `must be a non-empty string, got ${JSON.stringify(path)}` });
    const epoch = this.hosts.epoch(this.hostIndex);
    const start = Math.max(this.sim.now, this.busyUntil);
    const done = start + latencyMs + this.extraLatencyMs;
    this.busyUntil = done;
    this.sim.at(done, () => {
      if (this.hosts.epoch(this.hostIndex) !== epoch) return; // the host crashed meanwhile
      if (this.rng.chance(this.eioRate)) return cb(new DiskError('EIO', op, path));
      cb(apply());
    });
  }

  private file(path: string): FileState {
    let file = this.files.get(path);
    if (file === undefined) {
      file = { current: [], durable: [], pending: [] };
      this.files.set(path, file);
    }
    return file;
  }

  /** On crash: each file keeps its durable records plus a random prefix of its unsynced operations. */
  private loseUnsynced(): void {
    this.busyUntil = this.sim.now;
    for (const path of this.list()) {
      const file = this.files.get(path)!;
      const kept = this.rng.int(0, file.pending.length);
      const survivor = file.durable.slice();
      for (const op of file.pending.slice(0, kept)) applyOp(survivor, op);
      file.current = survivor;
      file.durable = survivor.slice();
      file.pending = [];
    }
    this.used = 0;
    for (const file of this.files.values()) this.used += file.current.reduce((n, r) => n + sizeOf(r), 0);
  }
}

function applyOp(records: DiskRecord[], op: PendingOp): void {
  if (op.kind === 'truncate') records.length = 0;
  else records.push(op.record);
}
