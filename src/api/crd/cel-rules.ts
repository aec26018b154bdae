// CEL (x-kubernetes-validations) is evaluated with @bufbuild/cel, a
// conformance-tested CEL implementation in TypeScript.
import { celEnv, isCelError, parse, plan } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import { fieldErrors, type FieldError } from '../validation/field-errors.js';
import type { Schema, ValidationRule } from './structural.js';

export type CelSchema = Schema;

type Program = (bindings: Record<string, unknown>) => unknown;
const env = celEnv({ funcs: strings });
const programs = new Map<string, Program | Error>();

/** Parse and plan a rule once (CRD rules are compiled when the CRD is read, upstream cel.Compile). */
function compile(expression: string): Program | Error {
  let p = programs.get(expression);
  if (p === undefined) {
    try {
      const run = plan(env, parse(expression));
      p = (bindings) => run(bindings as never);
    } catch (e) {
      p = e instanceof Error ? e : new Error(String(e));
    }
    programs.set(expression, p);
  }
  return p;
}

/** Why a rule does not compile (its parse error), or undefined when it does. */
export function compileRule(expression: string): string | undefined {
  const p = compile(expression);
  return p instanceof Error ? p.message : undefined;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const childSchema = (s: CelSchema | undefined, key: string): CelSchema | undefined => s?.properties?.[key] ?? (isObject(s?.additionalProperties) ? (s!.additionalProperties as CelSchema) : undefined);

/**
 * JSON to CEL values typed by the schema (apiserver/schema/cel UnstructuredToVal):
 * integers are CEL ints (bigint), numbers doubles, objects maps.
 */
function toCel(v: unknown, s: CelSchema | undefined): unknown {
  if (Array.isArray(v)) return v.map((x) => toCel(x, s?.items));
  if (isObject(v)) return new Map(Object.entries(v).map(([k, x]) => [k, toCel(x, childSchema(s, k))]));
  if (typeof v === 'number') return s?.type === 'number' || !Number.isInteger(v) ? v : BigInt(v);
  return v;
}

/** The schema's type name, as upstream prints a rule's value (sts.Type). */
const typeName = (s: CelSchema, v: unknown) => s.type ?? (s['x-kubernetes-int-or-string'] ? (typeof v === 'string' ? 'string' : 'integer') : 'object');

/** cel-go's wording for the runtime errors users meet most. */
const celGoText = (message: string) => message.replace(/^field not found: /, 'no such key: ');

/**
 * Evaluate every x-kubernetes-validations rule in the schema against the
 * object (and, for transition rules, the old object), with upstream's
 * errors (apiextensions-apiserver pkg/apiserver/schema/cel/validation.go):
 *
 *   spec: Invalid value: "object": replicas must not exceed maxReplicas   (message)
 *   spec.x: Invalid value: "string": failed rule: self.size() < 5         (no message)
 *   spec: Invalid value: "object": no such key: y evaluating rule: self.y > 1
 */
export function validateRules(value: unknown, old: unknown, s: CelSchema): FieldError[] {
  const errors: FieldError[] = [];
  walk(value, old, s, '', errors);
  return errors;
}

function walk(value: unknown, old: unknown, s: CelSchema, path: string, errors: FieldError[]): void {
  if (value === undefined || value === null) return;
  for (const rule of s['x-kubernetes-validations'] ?? []) evaluate(rule, value, old, s, path, errors);
  if (Array.isArray(value)) {
    // Only list-type=map items correlate with old items; the others have no oldSelf.
    if (s.items !== undefined) value.forEach((item, i) => walk(item, undefined, s.items as CelSchema, `${path}[${i}]`, errors));
    return;
  }
  if (!isObject(value)) return;
  for (const [key, v] of Object.entries(value)) {
    const cs = childSchema(s, key);
    if (cs !== undefined) walk(v, isObject(old) ? old[key] : undefined, cs, path === '' ? key : `${path}.${key}`, errors);
  }
}

function evaluate(rule: ValidationRule, value: unknown, old: unknown, s: CelSchema, path: string, errors: FieldError[]): void {
  const usesOldSelf = /\boldSelf\b/.test(rule.rule);
  // Transition rules run only on updates that had a value before (unless optionalOldSelf).
  if (usesOldSelf && old === undefined && rule.optionalOldSelf !== true) return;
  const program = compile(rule.rule);
  const ruleText = rule.message?.trim() || rule.rule.trim();
  const at = path;
  const shown = s.type === 'object' || s.type === 'array' ? fieldErrors.omitValue : value;
  if (program instanceof Error) {
    errors.push(fieldErrors.invalid(at, typeName(s, value), `compilation failed: ${program.message} for rule: ${ruleText}`));
    return;
  }
  const bindings = { self: toCel(value, s), ...(usesOldSelf && old !== undefined && { oldSelf: toCel(old, s) }) };
  const result = program(bindings);
  if (isCelError(result)) {
    errors.push(fieldErrors.invalid(at, typeName(s, value), `${celGoText((result as Error).message)} evaluating rule: ${ruleText}`));
    return;
  }
  if (result === true) return;
  const relative = rule.fieldPath?.replace(/^\./, '');
  const where = relative === undefined || relative === '' ? at : at === '' ? relative : `${at}.${relative}`;
  const detail = messageOf(rule, bindings);
  switch (rule.reason) {
    case 'FieldValueForbidden':
      return void errors.push(fieldErrors.forbidden(where, detail));
    case 'FieldValueRequired':
      return void errors.push(fieldErrors.required(where, detail));
    case 'FieldValueDuplicate':
      return void errors.push(fieldErrors.duplicate(where, shown));
    default:
      errors.push(fieldErrors.invalid(where, shown, detail));
  }
}

/** messageExpression, else message, else "failed rule: <rule>" (ruleMessageOrDefault). */
function messageOf(rule: ValidationRule, bindings: Record<string, unknown>): string {
  if (rule.messageExpression !== undefined) {
    const program = compile(rule.messageExpression);
    const text = program instanceof Error ? program : program(bindings);
    if (typeof text === 'string' && text.trim() !== '' && !/\n/.test(text)) return text.trim();
  }
  return rule.message?.trim() ? rule.message.trim() : `failed rule: ${rule.rule.trim()}`;
}
