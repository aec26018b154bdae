import type { KubeObject } from '../registry/types.js';

export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

/** Who is asking (filled in by authentication). */
export interface UserInfo {
  name: string;
  groups: string[];
}

/** One API request, already routed (group, version, resource, namespace, name, subresource). */
export interface ApiRequest {
  verb: Verb;
  group: string;
  version: string;
  resource: string;
  namespace?: string;
  name?: string;
  subresource?: string;
  body?: unknown;
  /** For patch: json | merge | strategic, or apply (server-side apply). */
  patchType?: 'json' | 'merge' | 'strategic' | 'apply';
  query?: {
    labelSelector?: string;
    fieldSelector?: string;
    limit?: number;
    continue?: string;
    resourceVersion?: string;
    allowWatchBookmarks?: boolean;
    propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
    gracePeriodSeconds?: number;
    dryRun?: boolean;
    /** Who makes this write, for metadata.managedFields (required for apply). */
    fieldManager?: string;
    /** Apply: take over fields other managers own instead of failing with a conflict. */
    force?: boolean;
    /** pods/log options. */
    container?: string;
    previous?: boolean;
    tailLines?: number;
    sinceSeconds?: number;
    limitBytes?: number;
    timestamps?: boolean;
    /** Unknown fields: refuse (Strict, what kubectl sends), drop with a warning (Warn, the server default), or drop (Ignore). */
    fieldValidation?: 'Strict' | 'Warn' | 'Ignore';
  };
  /** Delete preconditions (DeleteOptions.preconditions). */
  preconditions?: { uid?: string; resourceVersion?: string };
  user: UserInfo;
}

/** A successful answer: an object, a list, or a Status of success. */
export interface ApiResponse {
  code: number;
  body: KubeObject;
  /** Warnings for the client (the HTTP Warning header), e.g. `unknown field "spec.foo"`. */
  warnings?: string[];
  /** A plain-text answer (pod logs). */
  text?: string;
}

export interface WatchEventOut {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: KubeObject;
}

export interface WatchHandle {
  stop(): void;
}
