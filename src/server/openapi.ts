import { createHash } from 'node:crypto';
import type { ResourceRegistry, ResourceType } from '../api/registry/index.js';
import { schemaClosure, schemasFor } from './openapi/schemas.js';
import { openAPIv2Protobuf } from './openapi/v2-protobuf.js';

const gvPath = (group: string, version: string) => (group === '' ? `api/${version}` : `apis/${group}/${version}`);

const QUERY = (name: string, description: string) => ({ name, in: 'query', description, schema: { type: 'string', uniqueItems: true } });
const WRITE_PARAMS = [
  QUERY('dryRun', 'When present, indicates that modifications should not be persisted.'),
  QUERY('fieldManager', 'fieldManager is a name associated with the actor or entity that is making these changes.'),
  QUERY('fieldValidation', 'fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields. Valid values are: Ignore, Warn, Strict.'),
];

/** The operations of one resource, as kube-openapi lists them (with the GVK and action extensions clients look for). */
function paths(t: ResourceType): Record<string, unknown> {
  const base = `/${gvPath(t.group, t.version)}${t.namespaced ? '/namespaces/{namespace}' : ''}/${t.resource}`;
  const gvk = { group: t.group, version: t.version, kind: t.kind };
  const op = (action: string, parameters: unknown[] = []) => ({ operationId: `${action}${t.kind}`, 'x-kubernetes-action': action, 'x-kubernetes-group-version-kind': gvk, parameters, responses: { '200': { description: 'OK' } } });
  const out: Record<string, unknown> = {};
  out[base] = { get: op('list'), ...(t.verbs.includes('create') && { post: op('post', WRITE_PARAMS) }), ...(t.verbs.includes('deletecollection') && { delete: op('deletecollection') }) };
  out[`${base}/{name}`] = {
    get: op('get'),
    ...(t.verbs.includes('update') && { put: op('put', WRITE_PARAMS) }),
    ...(t.verbs.includes('patch') && { patch: op('patch', [...WRITE_PARAMS, QUERY('force', 'Force is going to "force" Apply requests.')]) }),
    ...(t.verbs.includes('delete') && { delete: op('delete', [QUERY('dryRun', 'When present, indicates that modifications should not be persisted.')]) }),
  };
  return out;
}

const documents = new Map<string, { key: string; doc: unknown; hash: string }>();

/**
 * The OpenAPI v3 document of one group version: paths with their
 * extensions, and the schemas of its built-in kinds (for kubectl explain
 * and client-side validation). Built once per set of served kinds.
 */
export function openAPIv3GroupVersion(registry: ResourceRegistry, group: string, version: string): unknown | undefined {
  return cached(registry, group, version)?.doc;
}

function cached(registry: ResourceRegistry, group: string, version: string): { doc: unknown; hash: string } | undefined {
  const types = registry.listAllVersions().filter((t) => t.group === group && t.version === version && t.group !== 'metrics.k8s.io');
  if (types.length === 0) return undefined;
  const id = gvPath(group, version);
  const key = types.map((t) => `${t.resource}/${t.kind}`).join(',');
  const hit = documents.get(id);
  if (hit?.key === key) return hit;
  const schemas = schemasFor(group, version, new Set(types.map((t) => t.kind)));
  for (const t of types) if (t.schema !== undefined) Object.assign(schemas, customResourceSchema(t, t.schema), metaSchemas());
  const doc = { openapi: '3.0.0', info: { title: 'Kubernetes', version: 'v1.32.0' }, paths: Object.assign({}, ...types.map(paths)), components: { schemas } };
  const hash = createHash('sha512').update(JSON.stringify(doc)).digest('hex').slice(0, 128).toUpperCase();
  const entry = { key, doc, hash };
  documents.set(id, entry);
  return entry;
}

/** GET /openapi/v3: each group version's document and the URL clients fetch it from (the hash lets them cache it). */
export function openAPIv3Root(registry: ResourceRegistry): unknown {
  const gvs = new Map<string, { group: string; version: string }>();
  for (const t of registry.listAllVersions()) gvs.set(gvPath(t.group, t.version), { group: t.group, version: t.version });
  const out: Record<string, { serverRelativeURL: string }> = {};
  for (const [path, { group, version }] of gvs) {
    const doc = cached(registry, group, version);
    if (doc !== undefined) out[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${doc.hash}` };
  }
  return { paths: out };
}

/** The name upstream publishes a custom resource's schema under: the group reversed, the version, the kind (com.example.v1.Widget). */
const crdSchemaName = (t: ResourceType) => `${t.group.split('.').reverse().join('.')}.${t.version}.${t.kind}`;

/** A custom resource's schema as kube-apiserver publishes it: its CRD's, with apiVersion, kind and ObjectMeta metadata, and its GVK. */
function customResourceSchema(t: ResourceType, schema: Record<string, unknown>): Record<string, unknown> {
  const props = (schema['properties'] ?? {}) as Record<string, unknown>;
  const standard = {
    apiVersion: { description: 'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources', type: 'string' },
    kind: { description: 'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds', type: 'string' },
    metadata: { description: "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata", allOf: [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' }] },
  };
  return { [crdSchemaName(t)]: { ...schema, type: 'object', properties: { ...standard, ...props }, 'x-kubernetes-group-version-kind': [{ group: t.group, kind: t.kind, version: t.version }] } };
}

/** ObjectMeta and what it refers to, for documents whose kinds are custom. */
function metaSchemas(): Record<string, unknown> {
  return schemaClosure('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta');
}

let v2: { key: string; doc: unknown } | undefined;

/** A v3 schema in Swagger 2.0 terms: refs under #/definitions/, a lone allOf ref as the ref itself. */
function toV2(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(toV2);
  if (typeof schema !== 'object' || schema === null) return schema;
  const s = schema as Record<string, unknown>;
  const allOf = s['allOf'] as Array<{ $ref?: string }> | undefined;
  if (allOf?.length === 1 && allOf[0]!.$ref !== undefined) {
    const { allOf: _a, default: _d, ...rest } = s;
    return { ...(toV2(rest) as object), $ref: allOf[0]!.$ref.replace('#/components/schemas/', '#/definitions/') };
  }
  return Object.fromEntries(Object.entries(s).map(([k, v]) => [k, k === '$ref' ? String(v).replace('#/components/schemas/', '#/definitions/') : toV2(v)]));
}

/**
 * GET /openapi/v2: the Swagger 2.0 document of every group version (paths
 * and definitions), for clients that still read it (kubectl explain
 * --output=plaintext-openapiv2, older tools). Built once per set of kinds.
 */
export function openAPIv2(registry: ResourceRegistry): unknown {
  const types = registry.listAllVersions().filter((t) => t.group !== 'metrics.k8s.io');
  const key = types.map((t) => `${t.group}/${t.version}/${t.resource}`).join(',');
  if (v2?.key === key) return v2.doc;
  const gvs = new Map<string, { group: string; version: string; kinds: Set<string> }>();
  for (const t of types) {
    const id = gvPath(t.group, t.version);
    if (!gvs.has(id)) gvs.set(id, { group: t.group, version: t.version, kinds: new Set() });
    gvs.get(id)!.kinds.add(t.kind);
  }
  const definitions: Record<string, unknown> = {};
  for (const gv of gvs.values()) Object.assign(definitions, schemasFor(gv.group, gv.version, gv.kinds));
  const doc = { swagger: '2.0', info: { title: 'Kubernetes', version: 'v1.32.0' }, paths: Object.assign({}, ...types.map(paths)), definitions: toV2(definitions) };
  v2 = { key, doc };
  return doc;
}

let v2Bytes: { doc: unknown; bytes: Buffer } | undefined;

/** /openapi/v2 in gnostic's protobuf form, encoded once per document. */
export function openAPIv2Bytes(registry: ResourceRegistry): Buffer {
  const doc = openAPIv2(registry);
  if (v2Bytes === undefined || v2Bytes.doc !== doc) v2Bytes = { doc, bytes: openAPIv2Protobuf(doc as Record<string, unknown>) };
  return v2Bytes.bytes;
}
