import { describe, FaultInputError, type InputIssue } from './errors.js';
import { checkFault, describeFault, faultTargets, INSTANT_KINDS, type FaultKind, type FaultSpec } from './fault-spec.js';
import type { Hosts } from './hosts.js';

/** A fault with its timing: injected at `at` ms, healed `for` ms later (never, if omitted). */
export type PlannedFault = FaultSpec & { at: number; for?: number };

/** A declarative list of timed faults, applied by the kernel. */
export type FaultPlan = PlannedFault[];

/**
 * Kinds a target can carry only one of at a time: two overlapping
 * `clock-drift`s on one host, or a host crashed twice, have no single
 * meaning. Link faults compose instead (latencies add, loss rates combine),
 * and partitions add cuts, so they may overlap freely.
 */
export const EXCLUSIVE_KINDS: ReadonlySet<FaultKind> = new Set(['crash', 'disk-latency', 'disk-full', 'disk-eio', 'clock-skew', 'clock-drift']);

/** Every problem with a plan: bad entries, bad timing, contradictory overlaps. */
export function checkPlan(input: unknown, hosts: Hosts, path = 'faults'): InputIssue[] {
  if (!Array.isArray(input)) return [{ path, message: `must be a list of faults, got ${describe(input)}` }];
  const issues: InputIssue[] = [];
  const valid: Array<{ index: number; fault: PlannedFault }> = [];
  input.forEach((entry, i) => {
    const at = `${path}[${i}]`;
    const entryIssues = checkFault(entry, at, hosts, ['at', 'for']);
    if (entryIssues.length === 0) {
      const e = entry as Record<string, unknown>;
      if (!Number.isInteger(e['at']) || (e['at'] as number) < 0) {
        entryIssues.push({ path: `${at}.at`, message: `must be a whole number of milliseconds >= 0, got ${describe(e['at'])}` });
      }
      if (e['for'] !== undefined) {
        if (INSTANT_KINDS.has(e['kind'] as FaultKind)) {
          entryIssues.push({ path: `${at}.for`, message: `a ${String(e['kind'])} happens at an instant and has no duration; remove "for"` });
        } else if (!Number.isInteger(e['for']) || (e['for'] as number) <= 0) {
          entryIssues.push({ path: `${at}.for`, message: `must be a whole number of milliseconds > 0, got ${describe(e['for'])}` });
        }
      }
    }
    issues.push(...entryIssues);
    if (entryIssues.length === 0) valid.push({ index: i, fault: entry as PlannedFault });
  });
  issues.push(...checkOverlaps(valid, hosts, path));
  return issues;
}

/** Check and return a plan, or throw one FaultInputError listing every issue. */
export function parsePlan(input: unknown, hosts: Hosts, path = 'faults'): FaultPlan {
  const issues = checkPlan(input, hosts, path);
  if (issues.length > 0) throw new FaultInputError(issues);
  return (input as FaultPlan).map((f) => ({ ...f }));
}

function end(f: PlannedFault): number {
  return f.for === undefined ? Number.POSITIVE_INFINITY : f.at + f.for;
}

function checkOverlaps(entries: Array<{ index: number; fault: PlannedFault }>, hosts: Hosts, path: string): InputIssue[] {
  const issues: InputIssue[] = [];
  const exclusive = entries.filter((e) => EXCLUSIVE_KINDS.has(e.fault.kind));
  for (let j = 0; j < exclusive.length; j++) {
    const b = exclusive[j]!;
    for (let i = 0; i < j; i++) {
      const a = exclusive[i]!;
      if (a.fault.kind !== b.fault.kind) continue;
      if (!(a.fault.at < end(b.fault) && b.fault.at < end(a.fault))) continue;
      const shared = [...faultTargets(a.fault, hosts)].filter((t) => faultTargets(b.fault, hosts).has(t));
      if (shared.length === 0) continue;
      const from = Math.max(a.fault.at, b.fault.at);
      const to = Math.min(end(a.fault), end(b.fault));
      issues.push({
        path: `${path}[${b.index}]`,
        message:
          `contradicts ${path}[${a.index}]: both are ${b.fault.kind} on "${shared[0]}" between ${from} ms and ` +
          `${to === Number.POSITIVE_INFINITY ? 'the end of the run' : `${to} ms`}; a host carries one ${b.fault.kind} at a time`,
      });
      break;
    }
  }
  return issues;
}

/** One line per fault, ordered by time: `@1000ms +5000ms partition [a] | [b]`. */
export function describePlan(plan: FaultPlan): string {
  return [...plan]
    .sort((x, y) => x.at - y.at)
    .map((f) => `@${f.at}ms ${f.for === undefined ? 'until the end' : `+${f.for}ms`} ${describeFault(f)}`)
    .join('\n');
}
