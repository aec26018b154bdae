import type { HostContext } from '../../../faults/index.js';
import type { Timer } from '../../../sim/index.js';
import { MVCCStore, type StoredObject, type WriteOp } from '../../store/index.js';
import { StorageUnavailableError } from '../backend.js';
import { ETCD_PEER_PORT, type Entry, type RaftMessage, type WalRecord } from './messages.js';
import { Wal } from './wal.js';
import { committableIndex, leaseHolds } from './quorum.js';
import { PendingProposals, PendingReads, type Result } from './pending.js';

export interface EtcdMemberOptions {
  /** etcd --election-timeout (default 1000 ms); elections start after a random time in [t, 2t). */
  electionTimeoutMs?: number;
  /** etcd --heartbeat-interval (default 100 ms). */
  heartbeatMs?: number;
  /** How long a request waits for its commit before etcd answers "request timed out" (etcd: 5 s + 2 x election timeout). */
  requestTimeoutMs?: number;
}

const TIMED_OUT = 'etcdserver: request timed out';

/**
 * One etcd member: Raft (leader election with randomized timeouts,
 * CheckQuorum, log replication, commit by majority of the current term)
 * over the simulated network, with its WAL on the simulated disk — a
 * follower acknowledges entries only after fsync, so a slow or full disk
 * slows or stops the cluster exactly where etcd would. Every member applies
 * the committed transactions to its own MVCC store in log order, so
 * revisions agree everywhere. A crash loses everything not in the WAL; a
 * restart replays it.
 */
export class EtcdMember {
  readonly store = new MVCCStore();
  private term = 0;
  private votedFor: string | null = null;
  private log: Entry[] = [];
  private role: 'follower' | 'candidate' | 'leader' = 'follower';
  private leader: string | undefined;
  private commitIndex = 0;
  private applied = 0;
  private durable = 0;
  private votes = new Set<string>();
  private readonly next = new Map<string, number>();
  private readonly match = new Map<string, number>();
  private readonly lastAck = new Map<string, number>();
  private electionTimer: Timer | undefined;
  private heartbeatTimer: Timer | undefined;
  private nextId = 0;
  private readonly proposals = new PendingProposals();
  private readonly reads = new PendingReads();
  private readonly wal: Wal;
  private savedTerm = 0;
  private savedVote: string | null = null;
  private readonly electionTimeoutMs: number;
  private readonly heartbeatMs: number;
  private readonly requestTimeoutMs: number;

  constructor(
    readonly host: HostContext,
    readonly peers: readonly string[],
    options: EtcdMemberOptions = {},
  ) {
    this.electionTimeoutMs = options.electionTimeoutMs ?? 1000;
    this.heartbeatMs = options.heartbeatMs ?? 100;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 5000 + 2 * this.electionTimeoutMs;
    this.wal = new Wal(host, (why) => this.fail(why));
    host.onRestart(() => this.recover());
    host.onCrash(() => {
      this.proposals.clear();
      this.reads.clear();
    });
    this.boot();
  }

  get name(): string { return this.host.name; }

  get isLeader(): boolean { return this.role === 'leader'; }

  get currentTerm(): number { return this.term; }

  get knownLeader(): string | undefined { return this.leader; }

  get appliedIndex(): number { return this.applied; }

  /** Propose a transaction; `done` runs when this member has applied it (or with etcd's timeout). */
  propose(ops: readonly WriteOp[], done: Result): void {
    const id = ++this.nextId;
    const timer = this.host.after(this.requestTimeoutMs, () => {
      if (this.proposals.expire(id)) done(new StorageUnavailableError(TIMED_OUT));
    });
    this.proposals.add(id, done, timer);
    if (this.role === 'leader') this.appendAsLeader([{ index: 0, term: this.term, ops: [...ops], proposer: this.name, id }]);
    else if (this.leader !== undefined) this.send(this.leader, { t: 'propose', from: this.name, id, ops: [...ops] });
    // With no leader the proposal waits for one (forwarded when a leader is heard from), or times out.
    else this.proposals.holdUntilLeader(id, [...ops]);
  }

  /** A linearizable read barrier (ReadIndex with a leader lease): done once this member has applied everything committed before now. */
  barrier(done: (error: Error | null) => void): void {
    let settled = false;
    let remoteId: number | undefined;
    const finish = (error: Error | null): void => {
      if (settled) return;
      settled = true;
      timer.cancel();
      if (remoteId !== undefined) this.reads.forgetRemote(remoteId);
      done(error);
    };
    // Without a leader, or without an answer, etcd's timeout is the answer.
    const timer = this.host.after(this.requestTimeoutMs, () => finish(new StorageUnavailableError(TIMED_OUT)));
    const wait = (index: number): void => {
      this.reads.wait(index, finish);
      this.reads.settle(this.applied);
    };
    if (this.role === 'leader') {
      if (this.leaseValid() && this.termCommitted()) wait(this.commitIndex);
      return;
    }
    if (this.leader === undefined) return;
    remoteId = ++this.nextId;
    this.reads.expectRemote(remoteId, wait);
    this.send(this.leader, { t: 'read-req', from: this.name, id: remoteId });
  }

  // ---- lifecycle -----------------------------------------------------------

  private boot(): void {
    this.host.net.bind<RaftMessage>(ETCD_PEER_PORT, (m) => this.receive(m.payload));
    this.resetElectionTimer();
  }

  private recover(): void {
    this.store.reset();
    this.role = 'follower';
    this.leader = undefined;
    this.commitIndex = 0;
    this.applied = 0;
    this.wal.reset();
    this.wal.load((state) => {
      this.term = state.term;
      this.votedFor = state.votedFor;
      this.log = state.log;
      this.savedTerm = this.term;
      this.savedVote = this.votedFor;
      this.durable = this.log.length;
      this.boot();
    });
  }

  /** The hard state record, if term or vote changed since it was last written. */
  private hardState(): WalRecord[] {
    if (this.term === this.savedTerm && this.votedFor === this.savedVote) return [];
    this.savedTerm = this.term;
    this.savedVote = this.votedFor;
    return [{ r: 'hard', term: this.term, votedFor: this.votedFor }];
  }

  /** The disk failed: etcd stops (the member stays silent until its host restarts). */
  private get failed(): boolean {
    return this.wal.failed;
  }

  private fail(why: string): void {
    this.host.log('etcd.disk-failure', { error: why });
    this.stepDown(this.term);
    this.electionTimer?.cancel();
  }

  // ---- messages ------------------------------------------------------------

  private send(to: string, m: RaftMessage): void {
    const entries = m.t === 'append' ? m.entries.length : 0;
    this.host.net.send(to, ETCD_PEER_PORT, m, 128 + 1024 * entries);
  }

  private receive(m: RaftMessage): void {
    if (this.failed) return;
    if ('term' in m && m.term > this.term) {
      this.term = m.term;
      this.votedFor = null;
      this.stepDown(m.term);
    }
    switch (m.t) {
      case 'vote-req':
        return this.onVoteRequest(m);
      case 'vote-resp':
        return this.onVote(m);
      case 'append':
        return this.onAppend(m);
      case 'append-resp':
        return this.onAppendResponse(m);
      case 'propose':
        if (this.role === 'leader') this.appendAsLeader([{ index: 0, term: this.term, ops: m.ops, proposer: m.from, id: m.id }]);
        return;
      case 'read-req':
        if (this.role === 'leader' && this.leaseValid() && this.termCommitted()) this.send(m.from, { t: 'read-resp', from: this.name, id: m.id, index: this.commitIndex });
        return;
      case 'read-resp':
        this.reads.answerRemote(m.id, m.index);
    }
  }

  private lastIndex(): number {
    return this.log.length;
  }

  private termAt(index: number): number {
    return index === 0 ? 0 : (this.log[index - 1]?.term ?? -1);
  }

  private onVoteRequest(m: Extract<RaftMessage, { t: 'vote-req' }>): void {
    const upToDate = m.lastTerm > this.termAt(this.lastIndex()) || (m.lastTerm === this.termAt(this.lastIndex()) && m.lastIndex >= this.lastIndex());
    const grant = m.term === this.term && (this.votedFor === null || this.votedFor === m.from) && upToDate;
    if (!grant) return this.send(m.from, { t: 'vote-resp', term: this.term, from: this.name, granted: false });
    this.votedFor = m.from;
    this.resetElectionTimer();
    const term = this.term;
    this.wal.persist(this.hardState(), () => this.send(m.from, { t: 'vote-resp', term, from: this.name, granted: true }));
  }

  private onVote(m: Extract<RaftMessage, { t: 'vote-resp' }>): void {
    if (this.role !== 'candidate' || m.term !== this.term || !m.granted) return;
    this.votes.add(m.from);
    if (this.votes.size * 2 > this.peers.length) this.becomeLeader();
  }

  private onAppend(m: Extract<RaftMessage, { t: 'append' }>): void {
    if (m.term < this.term) return this.send(m.from, { t: 'append-resp', term: this.term, from: this.name, success: false, match: this.lastIndex() });
    this.role = 'follower';
    this.leader = m.from;
    this.resetElectionTimer();
    for (const p of this.proposals.takeHeld()) this.send(m.from, { t: 'propose', from: this.name, id: p.id, ops: p.ops });
    if (m.prevIndex > this.lastIndex() || this.termAt(m.prevIndex) !== m.prevTerm) {
      return this.send(m.from, { t: 'append-resp', term: this.term, from: this.name, success: false, match: Math.min(this.lastIndex(), m.prevIndex - 1) });
    }
    const records: WalRecord[] = this.hardState();
    for (const e of m.entries) {
      const existing = this.log[e.index - 1];
      if (existing !== undefined && existing.term === e.term) continue;
      if (existing !== undefined) {
        records.push({ r: 'truncate', from: e.index });
        this.log.length = e.index - 1;
        this.durable = Math.min(this.durable, e.index - 1);
      }
      this.log[e.index - 1] = e;
      records.push({ r: 'entry', e });
    }
    const match = m.prevIndex + m.entries.length;
    const term = this.term;
    const acknowledge = (): void => {
      // Only what is on disk counts: a heartbeat can run ahead of a slow fsync.
      const durableMatch = Math.min(match, this.durable);
      if (m.commit > this.commitIndex) this.commitIndex = Math.max(this.commitIndex, Math.min(m.commit, durableMatch));
      this.apply();
      this.send(m.from, { t: 'append-resp', term, from: this.name, success: true, match: durableMatch });
    };
    const newEntries = records.some((r) => r.r !== 'hard');
    if (records.length === 0) return acknowledge();
    this.wal.persist(records, () => {
      if (newEntries) this.durable = Math.max(this.durable, match);
      acknowledge();
    });
  }

  private onAppendResponse(m: Extract<RaftMessage, { t: 'append-resp' }>): void {
    if (this.role !== 'leader' || m.term !== this.term) return;
    this.lastAck.set(m.from, this.host.clock.monotonic());
    if (m.success) {
      this.match.set(m.from, Math.max(this.match.get(m.from) ?? 0, m.match));
      this.next.set(m.from, (this.match.get(m.from) ?? 0) + 1);
      this.advanceCommit();
    } else {
      this.next.set(m.from, Math.max(1, Math.min((this.next.get(m.from) ?? 1) - 1, m.match + 1)));
    }
  }

  // ---- roles ---------------------------------------------------------------

  private resetElectionTimer(): void {
    this.electionTimer?.cancel();
    const rng = this.host.rng('etcd/election');
    this.electionTimer = this.host.after(this.electionTimeoutMs + rng.int(0, this.electionTimeoutMs - 1), () => this.startElection());
  }

  private startElection(): void {
    if (this.failed) return;
    this.role = 'candidate';
    this.leader = undefined;
    this.term++;
    this.votedFor = this.name;
    this.votes = new Set([this.name]);
    this.resetElectionTimer();
    const term = this.term;
    this.wal.persist(this.hardState(), () => {
      if (this.role !== 'candidate' || this.term !== term) return;
      if (this.votes.size * 2 > this.peers.length) return this.becomeLeader();
      for (const p of this.peers) if (p !== this.name) this.send(p, { t: 'vote-req', term, from: this.name, lastIndex: this.lastIndex(), lastTerm: this.termAt(this.lastIndex()) });
    });
  }

  private becomeLeader(): void {
    this.role = 'leader';
    this.leader = this.name;
    this.electionTimer?.cancel();
    const now = this.host.clock.monotonic();
    for (const p of this.peers) {
      this.next.set(p, this.lastIndex() + 1);
      this.match.set(p, 0);
      this.lastAck.set(p, now);
    }
    this.host.log('etcd.leader', { term: this.term });
    // A no-op of the new term lets earlier entries commit (Raft §5.4.2).
    this.appendAsLeader([{ index: 0, term: this.term, ops: null }, ...this.proposals.takeHeld().map((p) => ({ index: 0, term: this.term, ops: p.ops, proposer: this.name, id: p.id }))]);
    this.heartbeat();
  }

  private stepDown(term: number): void {
    if (this.role === 'leader') this.host.log('etcd.step-down', { term });
    this.role = 'follower';
    this.heartbeatTimer?.cancel();
    this.resetElectionTimer();
  }

  private appendAsLeader(entries: Entry[]): void {
    for (const e of entries) {
      e.index = this.lastIndex() + 1;
      e.term = this.term;
      this.log.push(e);
    }
    const upTo = this.lastIndex();
    const term = this.term;
    this.wal.persist(
      entries.map((e) => ({ r: 'entry', e })),
      () => {
        if (this.term !== term) return;
        this.durable = Math.max(this.durable, upTo);
        this.advanceCommit();
      },
    );
    this.replicate();
  }

  private heartbeat(): void {
    if (this.role !== 'leader') return;
    // CheckQuorum: a leader that has not heard from a majority for an election timeout steps down.
    if (!this.leaseValid()) {
      this.stepDown(this.term);
      this.leader = undefined;
      return;
    }
    this.replicate();
    this.heartbeatTimer = this.host.after(this.heartbeatMs, () => this.heartbeat());
  }

  private leaseValid(): boolean {
    return leaseHolds(this.peers, this.name, this.lastAck, this.host.clock.monotonic(), this.electionTimeoutMs);
  }

  private termCommitted(): boolean {
    return this.termAt(this.commitIndex) === this.term;
  }

  private replicate(): void {
    for (const p of this.peers) {
      if (p === this.name) continue;
      const next = this.next.get(p) ?? this.lastIndex() + 1;
      const entries = this.log.slice(next - 1, next - 1 + 64);
      this.send(p, { t: 'append', term: this.term, from: this.name, prevIndex: next - 1, prevTerm: this.termAt(next - 1), entries, commit: this.commitIndex });
    }
  }

  private advanceCommit(): void {
    if (this.role !== 'leader') return;
    const n = committableIndex(this.peers, this.name, this.match, this.durable, this.lastIndex(), this.commitIndex, (i) => this.termAt(i), this.term);
    if (n > this.commitIndex) {
      this.commitIndex = n;
      this.apply();
    }
  }

  /** Apply committed entries in order, answering local proposals. */
  private apply(): void {
    while (this.applied < this.commitIndex) {
      const e = this.log[this.applied]!;
      this.applied++;
      if (e.ops === null) continue;
      let results: StoredObject[] | undefined;
      let error: Error | null = null;
      try {
        results = this.store.transact(e.ops);
      } catch (err) {
        error = err as Error;
      }
      if (e.proposer === this.name && e.id !== undefined) this.proposals.resolve(e.id, error, results);
    }
    this.reads.settle(this.applied);
  }
}
