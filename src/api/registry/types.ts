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
  /** Validate a write through /status (custom resources check their schema; built-in status rules are not modelled). */
  validateStatus?(object: KubeObject): FieldError[];
  /** Another subresource a write may go through (pods/ephemeralcontainers): the object to store from the body and the stored object, and its checks. */
  subresourceUpdate?: Record<string, { merge(old: KubeObject, body: KubeObject): KubeObject; validate(object: KubeObject, old: KubeObject): FieldError[] }>;
  /** Drop the fields the kind's schema does not declare and name them (custom resources; built-in kinds use their models). */
  pruneUnknownFields?(object: KubeObject): string[];
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
  /** A custom resource's CustomResourceDefinition (its name). */
  crd?: string;
  /** A custom resource's storage version: objects are kept at it and shown at the version asked for. */
  storageVersion?: string;
  /** A deprecated version's warning, sent with every answer (a CRD version's `deprecated`). */
  deprecationWarning?: string;
  /** How objects convert between this version and the storage version (else only apiVersion changes). */
  conversion?: VersionConversion;
  /** The CRD is being deleted: no new objects (upstream customresource_handler). */
  terminating?: boolean;
  /** A custom resource's scale subresource: where its replicas and selector live. */
  scale?: { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath?: string };
  /** A custom resource's additionalPrinterColumns (kubectl get columns). */
  printerColumns?: PrinterColumn[];
  /** A custom resource's structural schema (the CRD version's openAPIV3Schema), published in OpenAPI for kubectl explain. */
  schema?: Record<string, unknown>;
}

/** apiextensions.k8s.io/v1 CustomResourceColumnDefinition. */
export interface PrinterColumn {
  name: string;
  type: string;
  jsonPath: string;
  format?: string;
  description?: string;
  priority?: number;
}

export const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export function apiVersionOf(t: Pick<ResourceType, 'group' | 'version'>): string {
  return t.group === '' ? t.version : `${t.group}/${t.version}`;
}

/** The apiVersion objects of a resource are stored at (a CRD's storage version; else the served one). */
export function storedApiVersionOf(t: Pick<ResourceType, 'group' | 'version' | 'storageVersion'>): string {
  return apiVersionOf({ group: t.group, version: t.storageVersion ?? t.version });
}

/** How a resource version that is not its storage version converts objects (built-in kinds served at several versions). */
export interface VersionConversion {
  /** A stored object as this version shows it (apiVersion included). */
  fromStorage(o: KubeObject): KubeObject;
  /** An object of this version as it is stored (apiVersion included). */
  toStorage(o: KubeObject): KubeObject;
}

/**
 * An object as a resource version shows it: stored at another version, it
 * is converted (a CRD's conversion strategy None changes only apiVersion).
 */
export function atServedVersion<T extends { apiVersion?: string }>(t: ResourceType, o: T): T {
  if (t.storageVersion === undefined || t.storageVersion === t.version || o.apiVersion !== storedApiVersionOf(t)) return o;
  if (t.conversion !== undefined) return t.conversion.fromStorage(o as KubeObject) as T;
  return { ...o, apiVersion: apiVersionOf(t) };
}

/** An object of a resource version as it is stored. */
export function atStoredVersion(t: ResourceType, o: KubeObject): KubeObject {
  if (t.storageVersion === undefined || t.storageVersion === t.version) return o;
  if (t.conversion !== undefined) return t.conversion.toStorage({ ...o, apiVersion: apiVersionOf(t) });
  return { ...o, apiVersion: storedApiVersionOf(t) };
}
