import { apiErrors } from '../errors/status.js';
import type { FieldSelector, FieldSet } from './field-selector.js';

/** Any object with metadata; fields are read defensively. */
type Obj = { metadata?: { name?: string; namespace?: string } } & Record<string, unknown>;

const get = (obj: unknown, path: readonly string[]): unknown => {
  let cur: unknown = obj;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
};
const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

type Extractor = (obj: Obj) => Record<string, string>;

/**
 * The fields each resource can be selected by, beyond metadata.name and
 * metadata.namespace (upstream: each registry's ToSelectableFields, e.g.
 * pkg/registry/core/pod/strategy.go, core/event/strategy.go).
 */
const EXTRA: Record<string, Extractor> = {
  pods: (o) => ({
    'spec.nodeName': str(get(o, ['spec', 'nodeName'])),
    'spec.restartPolicy': str(get(o, ['spec', 'restartPolicy'])),
    'spec.schedulerName': str(get(o, ['spec', 'schedulerName'])),
    'spec.serviceAccountName': str(get(o, ['spec', 'serviceAccountName'])),
    // upstream reads hostNetwork and defaults it to false
    'spec.hostNetwork': String(get(o, ['spec', 'hostNetwork']) === true),
    'status.phase': str(get(o, ['status', 'phase'])),
    'status.podIP': str(get(o, ['status', 'podIPs', '0', 'ip']) ?? get(o, ['status', 'podIP'])),
    'status.nominatedNodeName': str(get(o, ['status', 'nominatedNodeName'])),
  }),
  events: (o) => ({
    'involvedObject.kind': str(get(o, ['involvedObject', 'kind'])),
    'involvedObject.namespace': str(get(o, ['involvedObject', 'namespace'])),
    'involvedObject.name': str(get(o, ['involvedObject', 'name'])),
    'involvedObject.uid': str(get(o, ['involvedObject', 'uid'])),
    'involvedObject.apiVersion': str(get(o, ['involvedObject', 'apiVersion'])),
    'involvedObject.resourceVersion': str(get(o, ['involvedObject', 'resourceVersion'])),
    'involvedObject.fieldPath': str(get(o, ['involvedObject', 'fieldPath'])),
    reason: str(get(o, ['reason'])),
    reportingComponent: str(get(o, ['reportingComponent'])),
    source: str(get(o, ['source', 'component'])),
    type: str(get(o, ['type'])),
  }),
  nodes: (o) => ({ 'spec.unschedulable': String(get(o, ['spec', 'unschedulable']) === true) }),
  namespaces: (o) => ({ 'status.phase': str(get(o, ['status', 'phase'])) }),
  secrets: (o) => ({ type: str(get(o, ['type'])) }),
  replicasets: (o) => ({ 'status.replicas': str(get(o, ['status', 'replicas']) ?? 0) }),
  replicationcontrollers: (o) => ({ 'status.replicas': str(get(o, ['status', 'replicas']) ?? 0) }),
  jobs: (o) => ({ 'status.successful': str(get(o, ['status', 'successful']) ?? 0) }),
};

const META = ['metadata.name', 'metadata.namespace'];

/** The selectable fields of an object of this resource. */
export function selectableFields(resource: string, obj: Obj, namespaced: boolean): FieldSet {
  const base: Record<string, string> = { 'metadata.name': str(obj.metadata?.name) };
  if (namespaced) base['metadata.namespace'] = str(obj.metadata?.namespace);
  const extra = EXTRA[resource];
  return extra === undefined ? base : { ...base, ...extra(obj) };
}

/** Field names a selector on this resource may use. */
export function supportedFields(resource: string): string[] {
  const extra = EXTRA[resource];
  const sample = extra === undefined ? [] : Object.keys(extra({}));
  return [...META, ...sample];
}

/** Refuse selectors on fields the resource does not support, as the API server does (400). */
export function checkFieldSelector(resource: string, selector: FieldSelector): void {
  const supported = supportedFields(resource);
  for (const r of selector.requirements) {
    if (!supported.includes(r.field)) throw apiErrors.badRequest(`field label not supported: ${r.field}`);
  }
}
