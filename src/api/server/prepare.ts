import { cloneJson } from '../json-clone.js';
import { apiErrors } from '../errors/status.js';
import { DecodeError } from '../kinds/decode-error.js';
import { apiVersionOf, atStoredVersion, storedApiVersionOf, type KubeObject, type ResourceType } from '../registry/types.js';
import type { FieldError } from '../validation/field-errors.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../validation/object-meta.js';
import { modelOf, pruneUnknownFields } from '../schema/unknown-fields.js';

export interface CreateContext {
  /** The namespace in the request path (namespaced resources). */
  namespace?: string;
  /** RFC 3339 time from the API server's clock. */
  now: string;
  uid: string;
  /** Mutating admission, after defaulting and before PrepareForCreate and validation. */
  mutate?: (object: KubeObject) => void;
  /** Validating admission, after validation. */
  admit?: (object: KubeObject) => void;
  fieldValidation?: FieldValidation;
  /** Where warnings for the client go. */
  warnings?: string[];
}

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

/**
 * Unknown fields (upstream field validation): Strict refuses the body with
 * the decoder's message; Warn drops them and warns; Ignore drops them.
 * Custom resources are pruned with their CRD's structural schema.
 */
function checkUnknownFields(type: ResourceType, o: KubeObject, mode: FieldValidation, warnings: string[] | undefined): void {
  const model = modelOf(type.group, type.version, type.kind);
  const unknown = type.strategy.pruneUnknownFields?.(o) ?? (model === undefined ? [] : pruneUnknownFields(model, o));
  if (unknown.length === 0 || mode === 'Ignore') return;
  const texts = unknown.map((u) => `unknown field "${u}"`);
  if (mode === 'Strict') throw apiErrors.badRequest(`${type.kind} in version "${type.version}" cannot be handled as a ${type.kind}: strict decoding error: ${texts.join(', ')}`);
  warnings?.push(...texts);
}

type Meta = NonNullable<KubeObject['metadata']> & Record<string, unknown>;

/** The body must be an object of this resource's apiVersion and kind (kind may be omitted). */
function checkTypeMeta(type: ResourceType, body: unknown): KubeObject {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw apiErrors.badRequest(`the body of the request was not a ${type.kind} object`);
  }
  const o = body as KubeObject;
  const expected = apiVersionOf(type);
  if (o.apiVersion !== undefined && o.apiVersion !== expected) {
    throw apiErrors.badRequest(`the API version in the data (${o.apiVersion}) does not match the expected API version (${expected})`);
  }
  if (o.kind !== undefined && o.kind !== type.kind) throw apiErrors.badRequest(`the kind in the data (${o.kind}) does not match the expected kind (${type.kind})`);
  if (o.metadata !== undefined && (typeof o.metadata !== 'object' || o.metadata === null || Array.isArray(o.metadata))) {
    throw apiErrors.badRequest(`${type.kind} in version "${type.version}" cannot be handled as a ${type.kind}: json: cannot unmarshal ${typeof o.metadata} into Go struct field ${type.kind}.metadata of type v1.ObjectMeta`);
  }
  return o;
}

function runDefaults(type: ResourceType, o: KubeObject): void {
  try {
    type.strategy.defaults?.(o);
  } catch (e) {
    if (e instanceof DecodeError) throw apiErrors.badRequest(`${type.kind} in version "${type.version}" cannot be handled as a ${type.kind}: ${e.message}`);
    throw e;
  }
}

function invalid(type: ResourceType, name: string, errors: FieldError[]): never {
  throw apiErrors.invalid({ group: type.group, kind: type.kind }, name, errors);
}

function checkNamespace(type: ResourceType, meta: Meta, requestNamespace: string | undefined): void {
  if (!type.namespaced) {
    delete meta.namespace;
    return;
  }
  if (meta.namespace === undefined || meta.namespace === '') meta.namespace = requestNamespace;
  else if (requestNamespace !== undefined && meta.namespace !== requestNamespace) {
    throw apiErrors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
}

/**
 * Turn a create request's body into the object to store, as upstream's
 * generic registry does (BeforeCreate): type checks, defaults, system
 * fields (uid, creationTimestamp, generation), PrepareForCreate, then
 * validation. Throws the Status error the API server answers with.
 */
export function prepareCreate(type: ResourceType, body: unknown, ctx: CreateContext): KubeObject {
  const served = cloneJson(checkTypeMeta(type, body));
  checkUnknownFields(type, served, ctx.fieldValidation ?? 'Warn', ctx.warnings);
  const o = atStoredVersion(type, served);
  o.apiVersion = storedApiVersionOf(type);
  o.kind = type.kind;
  const meta = (o.metadata ??= {}) as Meta;
  checkNamespace(type, meta, ctx.namespace);
  runDefaults(type, o);
  meta.uid = ctx.uid;
  meta.creationTimestamp = ctx.now;
  delete meta.deletionTimestamp;
  delete meta.deletionGracePeriodSeconds;
  delete meta.resourceVersion;
  delete meta.selfLink;
  if (type.generation) meta.generation = 1;
  else delete meta.generation;
  ctx.mutate?.(o);
  type.strategy.prepareForCreate?.(o);
  const errors = [...validateObjectMeta(meta, type.namespaced, type.nameValidator), ...(type.strategy.validate?.(o) ?? [])];
  if (errors.length > 0) invalid(type, String(meta.name ?? meta.generateName ?? ''), errors);
  ctx.admit?.(o);
  return o;
}

/** Everything but metadata and status: what a spec change is measured on. */
function specOf(o: KubeObject): string {
  const { metadata: _m, status: _s, ...rest } = o;
  return JSON.stringify(rest);
}

export interface UpdateOptions {
  /** Updating the status subresource: only status may change. Otherwise status is kept from the old object (for kinds with a status subresource). Other subresources merge as the kind says. */
  subresource?: string;
  fieldValidation?: FieldValidation;
  warnings?: string[];
}

/**
 * Turn an update's body into the object to store (BeforeUpdate): identity
 * fields are kept from the old object, status or spec is carried over
 * depending on the subresource, generation is bumped when the spec
 * changed, and the update is validated.
 */
export function prepareUpdate(type: ResourceType, body: unknown, old: KubeObject, ctx: { namespace?: string }, options: UpdateOptions = {}): KubeObject {
  const served = cloneJson(checkTypeMeta(type, body));
  checkUnknownFields(type, served, options.fieldValidation ?? 'Warn', options.warnings);
  let o = atStoredVersion(type, served);
  o.apiVersion = storedApiVersionOf(type);
  o.kind = type.kind;
  const meta = (o.metadata ??= {}) as Meta;
  const oldMeta = (old.metadata ?? {}) as Meta;
  checkNamespace(type, meta, ctx.namespace);
  const metaErrors = validateObjectMetaUpdate(meta as never, oldMeta as never);
  if (metaErrors.length > 0) invalid(type, String(oldMeta.name ?? ''), metaErrors);
  if (options.subresource === 'status') {
    // Only status changes through /status (upstream StatusStrategy.PrepareForUpdate).
    const status = o['status'];
    o = { ...cloneJson(old), status };
    if (status === undefined) delete o['status'];
    o.metadata = cloneJson(oldMeta);
  } else if (options.subresource !== undefined && type.strategy.subresourceUpdate?.[options.subresource] !== undefined) {
    o = type.strategy.subresourceUpdate[options.subresource]!.merge(cloneJson(old), o);
    o.metadata = cloneJson(oldMeta);
  } else {
    runDefaults(type, o);
    if (type.subresources.includes('status')) {
      if (old['status'] === undefined) delete o['status'];
      else o['status'] = cloneJson(old['status']);
    }
  }
  const m = o.metadata as Meta;
  m.uid = oldMeta.uid;
  m.creationTimestamp = oldMeta.creationTimestamp;
  m.name = oldMeta.name;
  if (type.namespaced) m.namespace = oldMeta.namespace;
  m.deletionTimestamp = oldMeta.deletionTimestamp;
  m.deletionGracePeriodSeconds = oldMeta.deletionGracePeriodSeconds;
  if (m.deletionTimestamp === undefined) delete m.deletionTimestamp;
  if (m.deletionGracePeriodSeconds === undefined) delete m.deletionGracePeriodSeconds;
  // Through /status everything but status is the old object's: the generation stays, and only metadata is validated again
  // (upstream status strategies ValidateUpdate only the status; ours have no status rules beyond the schema).
  const statusOnly = options.subresource === 'status';
  const other = options.subresource !== undefined && !statusOnly ? type.strategy.subresourceUpdate?.[options.subresource] : undefined;
  if (type.generation) m.generation = Number(oldMeta.generation ?? 1) + (!statusOnly && other === undefined && specOf(o) !== specOf(old) ? 1 : 0);
  else delete m.generation;
  const errors = [...validateObjectMeta(m, type.namespaced, type.nameValidator), ...(other !== undefined ? other.validate(o, old) : statusOnly ? (type.strategy.validateStatus?.(o) ?? []) : (type.strategy.validateUpdate?.(o, old) ?? type.strategy.validate?.(o) ?? []))];
  if (errors.length > 0) invalid(type, String(m.name ?? ''), errors);
  return o;
}
