import type { StoredObject, WriteOp } from '../../store/index.js';
import type { StorageBackend } from '../backend.js';
import type { EtcdMember } from './member.js';

/**
 * The API server's view of etcd through its local member (kubeadm's layout:
 * each API server talks to the etcd on its own host). Reads and watches are
 * served from that member's store after a ReadIndex barrier; writes are
 * proposed through it and answered once it has applied them.
 */
export class EtcdBackend implements StorageBackend {
  constructor(readonly member: EtcdMember) {}

  get store() {
    return this.member.store;
  }

  barrier(done: (error: Error | null) => void): void {
    this.member.barrier(done);
  }

  commit(ops: readonly WriteOp[], done: (error: Error | null, results?: StoredObject[]) => void): void {
    this.member.propose(ops, done);
  }
}
