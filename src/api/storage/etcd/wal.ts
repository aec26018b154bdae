import type { HostContext } from '../../../faults/index.js';
import type { Entry, WalRecord } from './messages.js';

const WAL = 'etcd/member/wal';

/** What a member recovers from its WAL after a restart. */
export interface WalState {
  term: number;
  votedFor: string | null;
  log: Entry[];
}

/**
 * An etcd member's write-ahead log on its host's disk. Records are written in
 * batches, each batch one atomic disk record followed by one fsync (group
 * commit, as etcd's raft loop batches a Ready); a callback runs only once its
 * records are durable. A disk error stops the log for good (etcd exits).
 */
export class Wal {
  private queue: WalRecord[] = [];
  private waiters: Array<() => void> = [];
  private busy = false;
  private stopped = false;

  constructor(
    private readonly host: HostContext,
    private readonly onFailure: (why: string) => void,
  ) {}

  get failed(): boolean {
    return this.stopped;
  }

  /** Make `records` durable, then call `then`. */
  persist(records: WalRecord[], then: () => void): void {
    if (this.stopped) return;
    this.queue.push(...records);
    this.waiters.push(then);
    if (!this.busy) this.flush();
  }

  /** Forget what was in flight (the process died) and start again. */
  reset(): void {
    this.queue = [];
    this.waiters = [];
    this.busy = false;
    this.stopped = false;
  }

  /** Replay the log: the last hard state, and the entries after truncations. */
  load(done: (state: WalState) => void): void {
    this.host.disk.read(WAL, (error, records) => {
      const state: WalState = { term: 0, votedFor: null, log: [] };
      if (error === null) {
        for (const raw of records ?? []) {
          for (const rec of JSON.parse(String(raw)) as WalRecord[]) {
            if (rec.r === 'hard') {
              state.term = rec.term;
              state.votedFor = rec.votedFor;
            } else if (rec.r === 'truncate') state.log.length = rec.from - 1;
            else state.log[rec.e.index - 1] = rec.e;
          }
        }
      }
      done(state);
    });
  }

  private flush(): void {
    if (this.waiters.length === 0 || this.stopped) {
      this.busy = false;
      return;
    }
    this.busy = true;
    const batch = this.queue.splice(0);
    const waiters = this.waiters.splice(0);
    if (batch.length > 0) this.host.disk.append(WAL, JSON.stringify(batch), (e) => e && this.fail(e.message));
    this.host.disk.fsync(WAL, (e) => {
      if (e) return this.fail(e.message);
      if (this.stopped) return;
      for (const w of waiters) w();
      this.flush();
    });
  }

  private fail(why: string): void {
    if (this.stopped) return;
    this.stopped = true;
    this.onFailure(why);
  }
}
