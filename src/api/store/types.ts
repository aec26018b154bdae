/** What the store keeps: any Kubernetes-shaped object. */
export interface StoredObject {
  metadata?: { name?: string; namespace?: string; resourceVersion?: string; [k: string]: unknown };
  [k: string]: unknown;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One change, as recorded in the store's history. */
export interface StoreEvent {
  readonly type: WatchEventType;
  readonly revision: number;
  readonly resource: string;
  readonly key: string;
  /** The object after the change (for DELETED: the last state, stamped with the deletion revision). */
  readonly object: StoredObject;
  /** The object before the change (MODIFIED and DELETED). */
  readonly prevObject: StoredObject | undefined;
}

/** An event as one watcher sees it, after its filter (an object leaving the filter is DELETED for it). */
export interface WatchEvent {
  readonly type: WatchEventType;
  readonly revision: number;
  readonly object: StoredObject;
}

export interface WatchOptions {
  /** Deliver every change after this revision, then live ones. */
  fromRevision: number;
  /** Only keys starting with this (e.g. a namespace: `default/`). */
  keyPrefix?: string;
  /** Only objects this accepts (label and field selectors). */
  filter?: (object: StoredObject) => boolean;
  /**
   * Only changes whose old or new object has this value in a named index
   * (e.g. `spec.nodeName` = `node-1`). The store then never looks at this
   * watcher for other changes, so a filtered watch costs only the watchers
   * that can match.
   */
  index?: { name: string; value: string };
}

export interface Watcher {
  readonly resource: string;
  stop(): void;
  readonly stopped: boolean;
}

/** One write of a transaction. */
export type WriteOp =
  | { kind: 'create'; resource: string; key: string; object: StoredObject }
  | { kind: 'update'; resource: string; key: string; object: StoredObject; expectedRevision?: number }
  | { kind: 'delete'; resource: string; key: string; expectedRevision?: number }
  /** Forget history at or below a revision (only alone in a transaction). */
  | { kind: 'compact'; revision: number };
