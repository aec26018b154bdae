import { fieldErrors, type FieldError } from '../validation/field-errors.js';
import { jsonEqual as deepEqual } from '../json-clone.js';
import type { Schema } from './structural.js';

/**
 * Validate a custom resource against its CRD's OpenAPI v3 schema, with the
 * texts kube-apiserver gives: kube-openapi's validators
 * (k8s.io/kube-openapi/pkg/validation/validate, errors/schema.go) turned
 * into field errors by apiextensions-apiserver's
 * kubeOpenAPIResultToFieldErrors:
 *
 *   spec.size: Invalid value: "string": spec.size in body must be of type integer: "string"
 *   spec.size: Invalid value: 20: spec.size in body should be less than or equal to 10
 *   spec.color: Unsupported value: "pink": supported values: "red", "blue"
 *   spec.name: Too long: may not be longer than 5
 *   spec.tags: Too many: 4: must have at most 3 items
 *   spec.size: Required value
 *
 * The root's apiVersion, kind and metadata are not schema-checked here
 * (metadata is validated as ObjectMeta).
 */
export function validateAgainstSchema(value: unknown, s: Schema): FieldError[] {
  const errors: FieldError[] = [];
  validate(value, s, '', errors, true);
  return errors;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The JSON type kube-openapi's typeValidator sees. */
function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v === 'object' ? 'object' : typeof v;
}

/** Go's %v of a float64 bound: 10, 0.5, 1e+21. */
const num = (n: number) => String(n);

function allowedTypes(s: Schema): string[] {
  if (s['x-kubernetes-int-or-string'] === true) return ['integer', 'string'];
  return s.type === undefined ? [] : [s.type];
}

function typeMatches(actual: string, allowed: string[]): boolean {
  return allowed.length === 0 || allowed.includes(actual) || (actual === 'integer' && allowed.includes('number'));
}

function validate(v: unknown, s: Schema, path: string, errors: FieldError[], root = false): void {
  const at = path;
  const allowed = allowedTypes(s);
  const actual = typeOf(v);
  if (v === null) {
    if (s.nullable !== true && allowed.length > 0) errors.push(fieldErrors.typeInvalid(at, 'null', `${at} in body must be of type ${allowed.join(',')}: "null"`));
    return;
  }
  if (!typeMatches(actual, allowed)) {
    errors.push(fieldErrors.typeInvalid(at, actual, `${at} in body must be of type ${allowed.join(',')}: "${actual}"`));
    return;
  }
  composite(v, s, path, errors);
  if (typeof v === 'string') strings(v, s, at, errors);
  if (typeof v === 'number') numbers(v, s, at, errors);
  if (s.enum !== undefined && !s.enum.some((e) => deepEqual(e, v))) {
    errors.push(fieldErrors.notSupported(at, v, s.enum.map((e) => (typeof e === 'string' ? e : JSON.stringify(e)))));
  }
  if (Array.isArray(v)) arrays(v, s, path, errors);
  if (isObject(v)) objects(v, s, path, errors, root);
}

function strings(v: string, s: Schema, at: string, errors: FieldError[]): void {
  const length = [...v].length;
  if (s.maxLength !== undefined && length > s.maxLength) errors.push(fieldErrors.tooLongMaxLength(at, s.maxLength));
  if (s.minLength !== undefined && length < s.minLength) errors.push(fieldErrors.invalid(at, v, `${at} in body should be at least ${s.minLength} chars long`));
  if (s.pattern !== undefined && !new RegExp(s.pattern, 'u').test(v)) errors.push(fieldErrors.invalid(at, v, `${at} in body should match '${s.pattern}'`));
}

function numbers(v: number, s: Schema, at: string, errors: FieldError[]): void {
  if (s.multipleOf !== undefined && !Number.isInteger(v / s.multipleOf)) errors.push(fieldErrors.invalid(at, v, `${at} in body should be a multiple of ${num(s.multipleOf)}`));
  if (s.maximum !== undefined && (s.exclusiveMaximum ? v >= s.maximum : v > s.maximum)) {
    errors.push(fieldErrors.invalid(at, v, `${at} in body should be less than ${s.exclusiveMaximum ? '' : 'or equal to '}${num(s.maximum)}`));
  }
  if (s.minimum !== undefined && (s.exclusiveMinimum ? v <= s.minimum : v < s.minimum)) {
    errors.push(fieldErrors.invalid(at, v, `${at} in body should be greater than ${s.exclusiveMinimum ? '' : 'or equal to '}${num(s.minimum)}`));
  }
}

function arrays(v: unknown[], s: Schema, path: string, errors: FieldError[]): void {
  if (s.items !== undefined) v.forEach((item, i) => validate(item, s.items!, `${path}[${i}]`, errors));
  if (s.minItems !== undefined && v.length < s.minItems) errors.push(fieldErrors.invalid(path, v.length, `${path} in body should have at least ${s.minItems} items`));
  if (s.maxItems !== undefined && v.length > s.maxItems) errors.push(fieldErrors.tooMany(path, v.length, s.maxItems));
  if (s.uniqueItems === true && v.some((a, i) => v.findIndex((b) => deepEqual(a, b)) !== i)) errors.push(fieldErrors.invalid(path, '', `${path} in body shouldn't contain duplicates`));
}

function objects(v: Json, s: Schema, path: string, errors: FieldError[], root: boolean): void {
  const count = Object.keys(v).length;
  if (s.minProperties !== undefined && count < s.minProperties) errors.push(fieldErrors.invalid(path, count, `${path} in body should have at least ${s.minProperties} properties`));
  if (s.maxProperties !== undefined && count > s.maxProperties) errors.push(fieldErrors.tooMany(path, count, s.maxProperties));
  const child = (key: string) => (path === '' ? key : `${path}.${key}`);
  for (const [key, value] of Object.entries(v)) {
    if (root && (key === 'apiVersion' || key === 'kind' || key === 'metadata')) continue;
    const ps = s.properties?.[key] ?? (isObject(s.additionalProperties) ? (s.additionalProperties as Schema) : undefined);
    if (ps !== undefined) validate(value, ps, child(key), errors);
  }
  for (const key of s.required ?? []) if (!(key in v)) errors.push(fieldErrors.required(child(key)));
}

/** allOf / anyOf / oneOf / not (kube-openapi schemaPropsValidator). */
function composite(v: unknown, s: Schema, path: string, errors: FieldError[]): void {
  const run = (sub: Schema) => {
    const e: FieldError[] = [];
    validate(v, sub, path, e);
    return e;
  };
  for (const sub of s.allOf ?? []) errors.push(...run(sub));
  if (s.anyOf !== undefined) {
    const results = s.anyOf.map(run);
    if (!results.some((r) => r.length === 0)) errors.push(fieldErrors.invalid(path, v, `"${path}" must validate at least one schema (anyOf)`), ...results.flat());
  }
  if (s.oneOf !== undefined) {
    const results = s.oneOf.map(run);
    if (results.filter((r) => r.length === 0).length !== 1) errors.push(fieldErrors.invalid(path, v, `"${path}" must validate one and only one schema (oneOf)`));
  }
  if (s.not !== undefined && run(s.not).length === 0) errors.push(fieldErrors.invalid(path, v, `"${path}" must not validate the schema (not)`));
}
