import type { WriteOp } from '../../store/index.js';

/** One log entry; `ops` null is the no-op a new leader commits to learn the commit index. */
export interface Entry {
  index: number;
  term: number;
  ops: WriteOp[] | null;
  /** Which member's client proposed it, and its proposal id there. */
  proposer?: string;
  id?: number;
}

/** Raft messages between members (datagrams: they may be lost, delayed or duplicated). */
export type RaftMessage =
  | { t: 'vote-req'; term: number; from: string; lastIndex: number; lastTerm: number }
  | { t: 'vote-resp'; term: number; from: string; granted: boolean }
  | { t: 'append'; term: number; from: string; prevIndex: number; prevTerm: number; entries: Entry[]; commit: number }
  | { t: 'append-resp'; term: number; from: string; success: boolean; match: number }
  | { t: 'propose'; from: string; id: number; ops: WriteOp[] }
  | { t: 'read-req'; from: string; id: number }
  | { t: 'read-resp'; from: string; id: number; index: number };

/** What the WAL holds (each record is written atomically; see Disk). */
export type WalRecord = { r: 'hard'; term: number; votedFor: string | null } | { r: 'entry'; e: Entry } | { r: 'truncate'; from: number };

export const ETCD_PEER_PORT = '2380';
