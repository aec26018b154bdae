export { MVCCStore } from './mvcc.js';
export type { ListOptions, ListResult } from './mvcc.js';
export { StoreError } from './errors.js';
export type { StoreErrorCode } from './errors.js';
export type { StoredObject, StoreEvent, WatchEvent, WatchEventType, WatchOptions, Watcher, WriteOp } from './types.js';
export type { IndexFn } from './watchers.js';
