/**
 * What kube-apiserver does to a custom resource with its CRD's structural
 * schema before validating it (k8s.io/apiextensions-apiserver
 * pkg/apiserver/schema/pruning and schema/defaulting):
 *
 * 1. prune: fields the schema does not declare are dropped, unless a node
 *    says `x-kubernetes-preserve-unknown-fields: true`; apiVersion, kind and
 *    metadata at the root (and in embedded resources) always stay;
 * 2. nulls of non-nullable fields without a default are dropped;
 * 3. defaults fill in absent fields (and non-nullable nulls).
 */
export interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  nullable?: boolean;
  default?: unknown;
  required?: string[];
  enum?: unknown[];
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  multipleOf?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  minProperties?: number;
  maxProperties?: number;
  allOf?: Schema[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  not?: Schema;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-validations'?: ValidationRule[];
}

/** apiextensions.k8s.io/v1 ValidationRule (a CEL rule). */
export interface ValidationRule {
  rule: string;
  message?: string;
  messageExpression?: string;
  reason?: 'FieldValueInvalid' | 'FieldValueForbidden' | 'FieldValueRequired' | 'FieldValueDuplicate';
  fieldPath?: string;
  optionalOldSelf?: boolean;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const TYPE_META = new Set(['apiVersion', 'kind', 'metadata']);

/** The schema of a property (declared, or additionalProperties), if any. */
function childSchema(s: Schema, key: string): Schema | undefined {
  return s.properties?.[key] ?? (isObject(s.additionalProperties) ? (s.additionalProperties as Schema) : undefined);
}

/**
 * Drop the fields the schema does not declare (mutates `value`) and return
 * their paths as the API server reports them (`spec.replicaz`,
 * `spec.ports[0].nmae`), for fieldValidation.
 */
export function pruneUnknown(value: unknown, s: Schema, path = '', root = true): string[] {
  const unknown: string[] = [];
  walkPrune(value, s, path, root, unknown);
  return unknown;
}

function walkPrune(value: unknown, s: Schema, path: string, keepTypeMeta: boolean, unknown: string[]): void {
  if (Array.isArray(value)) {
    if (s.items !== undefined) value.forEach((v, i) => walkPrune(v, s.items!, `${path}[${i}]`, s.items!['x-kubernetes-embedded-resource'] === true, unknown));
    return;
  }
  if (!isObject(value)) return;
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
  for (const key of Object.keys(value)) {
    const child = path === '' ? key : `${path}.${key}`;
    // The root's and embedded resources' apiVersion/kind/metadata are ObjectMeta-typed, not schema-typed.
    if (keepTypeMeta && TYPE_META.has(key)) continue;
    const cs = childSchema(s, key);
    if (cs !== undefined) walkPrune(value[key], cs, child, cs['x-kubernetes-embedded-resource'] === true, unknown);
    else if (s.additionalProperties === true || preserve) continue;
    else {
      unknown.push(child);
      delete value[key];
    }
  }
}

/** Drop nulls the schema does not allow and that no default replaces (defaulting.PruneNonNullableNullsWithoutDefaults). */
export function pruneNonNullableNulls(value: unknown, s: Schema): void {
  if (Array.isArray(value)) {
    if (s.items !== undefined) for (const v of value) pruneNonNullableNulls(v, s.items);
    return;
  }
  if (!isObject(value)) return;
  for (const key of Object.keys(value)) {
    const cs = childSchema(s, key);
    if (cs === undefined) continue;
    if (value[key] === null && cs.nullable !== true && cs.default === undefined) delete value[key];
    else pruneNonNullableNulls(value[key], cs);
  }
}

/** Fill in defaults, deep-copied, where a field is absent or a non-nullable null (defaulting.Default). */
export function applyDefaults(value: unknown, s: Schema): void {
  if (Array.isArray(value)) {
    if (s.items === undefined) return;
    value.forEach((v, i) => {
      if (v === null && s.items!.nullable !== true && s.items!.default !== undefined) value[i] = structuredClone(s.items!.default);
      applyDefaults(value[i], s.items!);
    });
    return;
  }
  if (!isObject(value)) return;
  for (const [key, ps] of Object.entries(s.properties ?? {})) {
    if (ps.default !== undefined && (!(key in value) || (value[key] === null && ps.nullable !== true))) value[key] = structuredClone(ps.default);
  }
  for (const key of Object.keys(value)) {
    const cs = childSchema(s, key);
    if (cs !== undefined) applyDefaults(value[key], cs);
  }
}
