export { EtcdMember } from './member.js';
export type { EtcdMemberOptions } from './member.js';
export { EtcdBackend } from './backend.js';
export { ETCD_PEER_PORT } from './messages.js';
export type { Entry, RaftMessage, WalRecord } from './messages.js';
