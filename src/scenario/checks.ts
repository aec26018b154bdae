import { compile, TreeInterpreter } from '@jmespath-community/jmespath';
import type { KubeObject } from '../api/registry/types.js';
import { parseSelector } from '../api/labels/index.js';
import type { ScenarioTarget } from './target.js';
import type { Check, ListRef, ObjectRef } from './types.js';

/** Expressions are compiled once: checks run after every change of the cluster's state. */
const compiled = new Map<string, ReturnType<typeof compile>>();

/** Evaluate a JMESPath expression (compiled once per text). */
export function jmes(expression: string, data: unknown): unknown {
  let ast = compiled.get(expression);
  if (ast === undefined) compiled.set(expression, (ast = compile(expression)));
  return TreeInterpreter.search(ast, data as never);
}

/**
 * Does `actual` contain `expected`? Maps match key by key (extra keys
 * allowed); a list matches when every expected item matches a distinct
 * actual item, in any order (what kuttl users asked for); scalars must be equal.
 */
export function partialMatch(actual: unknown, expected: unknown): boolean {
  if (expected === null || typeof expected !== 'object') return actual === expected || (typeof actual === 'number' && typeof expected === 'string' && String(actual) === expected);
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return false;
    const used = new Set<number>();
    return expected.every((e) => {
      const i = actual.findIndex((a, j) => !used.has(j) && partialMatch(a, e));
      if (i < 0) return false;
      used.add(i);
      return true;
    });
  }
  if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return false;
  return Object.entries(expected as Record<string, unknown>).every(([k, v]) => partialMatch((actual as Record<string, unknown>)[k], v));
}

/** The objects of a list reference as they are now, read without costing virtual time. */
export function peekList(cluster: ScenarioTarget, ref: ListRef): KubeObject[] {
  const items = cluster.peekList(ref.kind, ref.namespace ?? 'default');
  if (ref.selector === undefined || ref.selector === '') return items;
  const selector = parseSelector(ref.selector);
  return items.filter((o) => selector.matches((o.metadata?.['labels'] as Record<string, string> | undefined) ?? {}));
}

export const peekObject = (cluster: ScenarioTarget, ref: ObjectRef): KubeObject | undefined => cluster.peek(ref.kind, ref.name, ref.namespace);

/** `deployment/web`, `pods -l app=web`. */
export function describeTarget(check: { resource?: ObjectRef; list?: ListRef }): string {
  if (check.resource !== undefined) return `${check.resource.kind.toLowerCase()}/${check.resource.name}${check.resource.namespace !== undefined ? ` -n ${check.resource.namespace}` : ''}`;
  const l = check.list!;
  return `${l.kind.toLowerCase()}${l.selector ? ` -l ${l.selector}` : ''}${l.namespace !== undefined ? ` -n ${l.namespace}` : ''}`;
}

/** What a check requires, in words (`deployment/web: condition Available=True`). */
export function describeCheck(check: Check): string {
  const parts: string[] = [];
  if (check.absent === true) parts.push('absent');
  if (check.condition !== undefined) parts.push(`condition ${check.condition.type}=${check.condition.status ?? 'True'}`);
  if (check.count !== undefined) parts.push(`count ${check.count}`);
  if (check.match !== undefined) parts.push(`matches ${JSON.stringify(check.match)}`);
  if (check.expression !== undefined) parts.push(`${check.expression}`);
  return `${describeTarget(check)}: ${parts.join(', ') || 'exists'}`;
}

/** Evaluate a check against the cluster's state now: undefined when it holds, otherwise why not. */
export function evaluate(cluster: ScenarioTarget, check: Check): string | undefined {
  if (check.resource !== undefined) {
    const o = peekObject(cluster, check.resource);
    if (check.absent === true) return o === undefined ? undefined : 'it still exists';
    if (o === undefined) return 'it does not exist';
    if (check.condition !== undefined) {
      const want = check.condition.status ?? 'True';
      const c = ((o['status'] as { conditions?: Array<{ type: string; status: string; reason?: string; message?: string }> } | undefined)?.conditions ?? []).find((x) => x.type === check.condition!.type);
      if (c?.status !== want) {
        if (c !== undefined) return `${check.condition.type} is ${c.status}${c.reason ? ` (${c.reason}${c.message ? `: ${c.message}` : ''})` : ''}`;
        // Say why it has none yet: the conditions that are not True (a Pending pod's PodScheduled=False).
        const others = ((o['status'] as { conditions?: Array<{ type: string; status: string; reason?: string; message?: string }> } | undefined)?.conditions ?? []).filter((x) => x.status !== 'True');
        return `it has no ${check.condition.type} condition${others.map((x) => `; ${x.type} is ${x.status}${x.reason ? ` (${x.reason}${x.message ? `: ${x.message}` : ''})` : ''}`).join('')}`;
      }
    }
    if (check.match !== undefined && !partialMatch(o, check.match)) return 'it does not match';
    if (check.expression !== undefined) {
      const value = jmes(check.expression, o);
      if (value !== true) return `evaluates to ${JSON.stringify(value)}`;
    }
    return undefined;
  }
  const items = peekList(cluster, check.list!);
  if (check.count !== undefined && items.length !== check.count) return `there are ${items.length}, not ${check.count}`;
  if (check.match !== undefined && !items.some((i) => partialMatch(i, check.match))) return `none of ${items.length} matches`;
  if (check.expression !== undefined) {
    const value = jmes(check.expression, items);
    if (value !== true) return `evaluates to ${JSON.stringify(value)}`;
  }
  return undefined;
}

