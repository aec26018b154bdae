import { fieldErrors, type FieldError } from '../validation/field-errors.js';
import { compileRule } from './cel-rules.js';
import type { Schema } from './structural.js';

type Node = Schema & { $ref?: string; 'x-kubernetes-validations'?: Array<{ rule?: string }> };
type Level = 'root' | 'field' | 'item';

const TYPE_MISSING: Record<Level, string> = {
  root: 'must not be empty at the root',
  field: 'must not be empty for specified object fields',
  item: 'must not be empty for specified array items',
};

/**
 * A v1 CRD version's schema must be structural (apiextensions-apiserver
 * pkg/apiserver/schema validation.go validateStructuralInvariants and
 * apiextensions validation): every node typed (unless int-or-string or
 * preserving unknown fields), an object at the root, arrays with items, no
 * `$ref`, `uniqueItems` or properties next to additionalProperties, and CEL
 * rules that compile.
 */
export function validateVersionSchemas(versions: Array<{ schema?: { openAPIV3Schema?: unknown } }>): FieldError[] {
  const errs: FieldError[] = [];
  versions.forEach((v, i) => {
    const at = `spec.versions[${i}].schema.openAPIV3Schema`;
    const schema = v.schema?.openAPIV3Schema as Node | undefined;
    if (schema === undefined || schema === null) errs.push(fieldErrors.required(at, 'schemas are required'));
    else walk(schema, at, 'root', errs);
  });
  return errs;
}

function walk(s: Node, at: string, level: Level, errs: FieldError[]): void {
  if (typeof s !== 'object' || s === null) return;
  const loose = s['x-kubernetes-int-or-string'] === true || s['x-kubernetes-preserve-unknown-fields'] === true;
  if (s.type === undefined && !loose) errs.push(fieldErrors.required(`${at}.type`, TYPE_MISSING[level]));
  if (level === 'root' && s.type !== undefined && s.type !== 'object') errs.push(fieldErrors.invalid(`${at}.type`, s.type, 'must be object at the root'));
  if (s.$ref !== undefined) errs.push(fieldErrors.forbidden(`${at}.$ref`, '$ref is not supported'));
  if (s.uniqueItems === true) errs.push(fieldErrors.forbidden(`${at}.uniqueItems`, 'uniqueItems cannot be set to true since the runtime complexity becomes quadratic'));
  if (s.properties !== undefined && s.additionalProperties !== undefined && s.additionalProperties !== false) {
    errs.push(fieldErrors.forbidden(`${at}.additionalProperties`, 'additionalProperties and properties are mutual exclusive'));
  }
  if (s.type === 'array' && s.items === undefined) errs.push(fieldErrors.required(`${at}.items`, 'must be specified'));
  (s['x-kubernetes-validations'] ?? []).forEach((r, i) => {
    const problem = compileRule(r.rule ?? '');
    if (problem !== undefined) errs.push(fieldErrors.invalid(`${at}.x-kubernetes-validations[${i}].rule`, r.rule ?? '', `compilation failed: ${problem}`));
  });
  for (const [name, child] of Object.entries(s.properties ?? {})) walk(child as Node, `${at}.properties[${name}]`, 'field', errs);
  if (s.items !== undefined) walk(s.items as Node, `${at}.items`, 'item', errs);
  if (typeof s.additionalProperties === 'object') walk(s.additionalProperties as Node, `${at}.additionalProperties`, 'field', errs);
}
