import type { KindStrategy } from '../registry/types.js';
import { validateAgainstSchema } from './schema-validation.js';
import { applyDefaults, pruneNonNullableNulls, pruneUnknown, type Schema } from './structural.js';

/**
 * How the API server treats a custom resource of one CRD version
 * (apiextensions-apiserver pkg/registry/customresource/strategy.go): unknown
 * fields pruned, defaults applied, the schema validated; with a status
 * subresource, a create's status is dropped (PrepareForCreate).
 */
export function customResourceStrategy(schema: Schema | undefined, statusSubresource: boolean): KindStrategy {
  return {
    ...(schema !== undefined && {
      pruneUnknownFields: (o) => pruneUnknown(o, schema),
      defaults(o) {
        pruneNonNullableNulls(o, schema);
        applyDefaults(o, schema);
      },
      validate: (o) => validateAgainstSchema(o, schema),
      validateStatus: (o) => validateAgainstSchema(o, schema),
    }),
    ...(statusSubresource && { prepareForCreate: (o) => void delete o['status'] }),
  };
}
