import type { KindStrategy, KubeObject } from '../registry/types.js';
import { fieldErrors, type FieldError } from '../validation/field-errors.js';
import { validateRules, type CelSchema } from './cel-rules.js';
import { validateAgainstSchema } from './schema-validation.js';
import { applyDefaults, pruneNonNullableNulls, pruneUnknown, type Schema } from './structural.js';

// Schema errors that mean the object has not the shape its CEL rules were written for (strategy.go hasBlockingErr).
const BLOCKING = new Set(['FieldValueNotSupported', 'FieldValueRequired', 'FieldValueTooLong', 'FieldValueTooMany', 'FieldValueTypeInvalid']);

/** Whether a schema has CEL rules anywhere (without any, upstream has no CEL validator: cel.NewValidator returns nil). */
function hasRules(s: Schema | undefined): boolean {
  if (s === undefined) return false;
  if ((s['x-kubernetes-validations'] ?? []).length > 0) return true;
  const additional = typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined;
  return hasRules(s.items) || hasRules(additional) || Object.values(s.properties ?? {}).some(hasRules);
}

/** The OpenAPI schema, then (unless that found a blocking error) the x-kubernetes-validations rules. */
function validate(schema: Schema, o: KubeObject, old: KubeObject | undefined): FieldError[] {
  const errors = validateAgainstSchema(o, schema);
  if (!hasRules(schema)) return errors;
  if (errors.some((e) => BLOCKING.has(e.type))) {
    return [...errors, fieldErrors.invalid('<nil>', null, 'some validation rules were not checked because the object was invalid; correct the existing errors to complete validation')];
  }
  return [...errors, ...validateRules(o, old, schema as CelSchema)];
}

/**
 * How the API server treats a custom resource of one CRD version
 * (apiextensions-apiserver pkg/registry/customresource/strategy.go): unknown
 * fields pruned, defaults applied, the schema and its CEL rules validated
 * (transition rules on updates); with a status subresource, a create's
 * status is dropped (PrepareForCreate).
 */
export function customResourceStrategy(schema: Schema | undefined, statusSubresource: boolean): KindStrategy {
  return {
    ...(schema !== undefined && {
      pruneUnknownFields: (o) => pruneUnknown(o, schema),
      defaults(o) {
        pruneNonNullableNulls(o, schema);
        applyDefaults(o, schema);
      },
      validate: (o) => validate(schema, o, undefined),
      validateUpdate: (o, old) => validate(schema, o, old),
      validateStatus: (o) => validate(schema, o, undefined),
    }),
    ...(statusSubresource && { prepareForCreate: (o) => void delete o['status'] }),
  };
}
