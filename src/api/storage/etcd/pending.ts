import type { Timer } from '../../../sim/index.js';
import type { StoredObject, WriteOp } from '../../store/index.js';

export type Result = (error: Error | null, results?: StoredObject[]) => void;

/** Proposals this member's clients made, waiting to be applied here (or to time out). */
export class PendingProposals {
  private readonly pending = new Map<number, { done: Result; timer: Timer }>();
  /** Proposals made while no leader was known, sent once one is heard from. */
  private unforwarded: Array<{ id: number; ops: WriteOp[] }> = [];

  add(id: number, done: Result, timer: Timer): void {
    this.pending.set(id, { done, timer });
  }

  has(id: number): boolean {
    return this.pending.has(id);
  }

  /** The timeout fired: true if the proposal was still waiting. */
  expire(id: number): boolean {
    return this.pending.delete(id);
  }

  /** Answer a proposal once its entry is applied. */
  resolve(id: number, error: Error | null, results: StoredObject[] | undefined): void {
    const p = this.pending.get(id);
    if (p === undefined) return;
    this.pending.delete(id);
    p.timer.cancel();
    p.done(error, results);
  }

  holdUntilLeader(id: number, ops: WriteOp[]): void {
    this.unforwarded.push({ id, ops });
  }

  /** Proposals held for a leader that are still waiting. */
  takeHeld(): Array<{ id: number; ops: WriteOp[] }> {
    return this.unforwarded.splice(0).filter((p) => this.pending.has(p.id));
  }

  clear(): void {
    this.pending.clear();
    this.unforwarded = [];
  }
}

/** Linearizable reads waiting until this member has applied up to a read index (etcd's ReadIndex). */
export class PendingReads {
  private waiting: Array<{ index: number; done: (e: Error | null) => void }> = [];
  private readonly remote = new Map<number, (index: number) => void>();

  wait(index: number, done: (e: Error | null) => void): void {
    this.waiting.push({ index, done });
  }

  /** A follower asked the leader for the read index under this id. */
  expectRemote(id: number, onIndex: (index: number) => void): void {
    this.remote.set(id, onIndex);
  }

  answerRemote(id: number, index: number): void {
    const cb = this.remote.get(id);
    this.remote.delete(id);
    cb?.(index);
  }

  forgetRemote(id: number): void {
    this.remote.delete(id);
  }

  /** Release every read whose index has been applied. */
  settle(applied: number): void {
    const ready = this.waiting.filter((r) => applied >= r.index);
    this.waiting = this.waiting.filter((r) => applied < r.index);
    for (const r of ready) r.done(null);
  }

  clear(): void {
    this.waiting = [];
    this.remote.clear();
  }
}
