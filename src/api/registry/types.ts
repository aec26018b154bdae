import type { FieldError } from '../validation/field-errors.js';
import type { NameValidator } from '../validation/object-meta.js';

/** Any object the API server stores. */
export type KubeObject = {
  apiVersion?: string;
  kind?: string;
  metadata?: Record<string, unknown> & { name?: string; namespace?: string };
  [k: string]: unknown;
};

/** Per-kind behaviour, as upstream's registry strategies give it. */
export interface KindStrategy {
  /** Fill in defaults (pkg/apis/<group>/v1/defaults.go); mutates a private copy. */
  defaults?(object: KubeObject): void;
  /** Validate a new object's spec (metadata is validated generically). */
  validate?(object: KubeObject): FieldError[];
  /** Validate an update; by default the create rules apply to the new object. */
  validateUpdate?(object: KubeObject, old: KubeObject): FieldError[];
  /** Prepare a new object (clear status, set the initial phase). */
  prepareForCreate?(object: KubeObject): void;
}

/** A resource as the API serves it (what `kubectl api-resources` lists). */
export interface ResourceType {
  group: string;
  version: string;
  kind: string;
  /** Plural, lower-case: `deployments`. */
  resource: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  /** Which subresources exist (status, scale, binding, eviction, log). */
  subresources: string[];
  verbs: string[];
  /** How names are checked. */
  nameValidator: NameValidator;
  /** metadata.generation is kept and bumped on spec changes. */
  generation: boolean;
  strategy: KindStrategy;
  /** A custom resource's structural schema (the CRD version's openAPIV3Schema), published in OpenAPI for kubectl explain. */
  schema?: Record<string, unknown>;
}

export const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export function apiVersionOf(t: Pick<ResourceType, 'group' | 'version'>): string {
  return t.group === '' ? t.version : `${t.group}/${t.version}`;
}
