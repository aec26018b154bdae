import { describe, type InputIssue } from './errors.js';
import { MAX_DRIFT_PPM } from './clock.js';
import type { Hosts } from './hosts.js';

/** Host and group names; omitted means every host. */
export type Targets = string | readonly string[];

interface LinkTargets {
  from?: Targets;
  to?: Targets;
  /** Only the from→to direction; by default both directions are affected. */
  oneWay?: boolean;
}

/**
 * One fault, as written in a fault plan or a scenario. Host-level faults
 * name a host or a group (`host: nodes` crashes every node). Each fault
 * knows nothing about Kubernetes.
 */
export type FaultSpec =
  | { kind: 'partition'; groups: readonly Targets[] }
  | { kind: 'partition-one-way'; from: Targets; to: Targets }
  | ({ kind: 'loss'; rate: number } & LinkTargets)
  | ({ kind: 'latency'; addMs: number; jitterMs?: number } & LinkTargets)
  | ({ kind: 'duplicate'; rate: number } & LinkTargets)
  | ({ kind: 'reorder'; rate: number; delayMs: number } & LinkTargets)
  | ({ kind: 'bandwidth'; bytesPerSec: number } & LinkTargets)
  | { kind: 'crash'; host: Targets }
  | { kind: 'disk-latency'; host: Targets; addMs: number }
  | { kind: 'disk-full'; host: Targets }
  | { kind: 'disk-eio'; host: Targets; rate: number }
  | { kind: 'clock-jump'; host: Targets; byMs: number }
  | { kind: 'clock-skew'; host: Targets; offsetMs: number }
  | { kind: 'clock-drift'; host: Targets; ppm: number };

export type FaultKind = FaultSpec['kind'];

type Rule = 'targets' | 'groups' | 'rate' | 'ms' | 'int' | 'positive' | 'ppm' | 'bool';
interface FieldRule {
  rule: Rule;
  required: boolean;
}
const req = (rule: Rule): FieldRule => ({ rule, required: true });
const opt = (rule: Rule): FieldRule => ({ rule, required: false });
const LINK = { from: opt('targets'), to: opt('targets'), oneWay: opt('bool') };

/** The fields each kind takes. */
export const FAULT_FIELDS: Record<FaultKind, Record<string, FieldRule>> = {
  partition: { groups: req('groups') },
  'partition-one-way': { from: req('targets'), to: req('targets') },
  loss: { ...LINK, rate: req('rate') },
  latency: { ...LINK, addMs: req('ms'), jitterMs: opt('ms') },
  duplicate: { ...LINK, rate: req('rate') },
  reorder: { ...LINK, rate: req('rate'), delayMs: req('ms') },
  bandwidth: { ...LINK, bytesPerSec: req('positive') },
  crash: { host: req('targets') },
  'disk-latency': { host: req('targets'), addMs: req('ms') },
  'disk-full': { host: req('targets') },
  'disk-eio': { host: req('targets'), rate: req('rate') },
  'clock-jump': { host: req('targets'), byMs: req('int') },
  'clock-skew': { host: req('targets'), offsetMs: req('int') },
  'clock-drift': { host: req('targets'), ppm: req('ppm') },
};

export const FAULT_KINDS = Object.keys(FAULT_FIELDS) as FaultKind[];

/** Faults that happen at an instant and have nothing to heal. */
export const INSTANT_KINDS: ReadonlySet<FaultKind> = new Set(['clock-jump']);

/**
 * Check one fault against the hosts of a world. Returns every issue found
 * (never throws for bad input); `extra` lists fields the caller handles
 * itself (a plan's `at` and `for`).
 */
export function checkFault(input: unknown, path: string, hosts: Hosts, extra: readonly string[] = []): InputIssue[] {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return [{ path, message: `must be an object with a "kind", got ${describe(input)}` }];
  }
  const record = input as Record<string, unknown>;
  const kind = record['kind'];
  if (typeof kind !== 'string' || !(kind in FAULT_FIELDS)) {
    return [{ path: `${path}.kind`, message: `must be one of ${FAULT_KINDS.join(', ')}, got ${describe(kind)}` }];
  }
  const fields = FAULT_FIELDS[kind as FaultKind];
  const issues: InputIssue[] = [];
  for (const key of Object.keys(record)) {
    if (key !== 'kind' && !(key in fields) && !extra.includes(key)) {
      issues.push({ path: `${path}.${key}`, message: `unknown field for a ${kind} fault (expected ${Object.keys(fields).join(', ') || 'no other fields'})` });
    }
  }
  for (const [name, rule] of Object.entries(fields)) {
    const value = record[name];
    const at = `${path}.${name}`;
    if (value === undefined) {
      if (rule.required) issues.push({ path: at, message: `is required for a ${kind} fault` });
      continue;
    }
    const problem = checkValue(rule.rule, value, at, hosts);
    if (problem) issues.push(problem);
  }
  return issues;
}

function checkValue(rule: Rule, value: unknown, path: string, hosts: Hosts): InputIssue | undefined {
  switch (rule) {
    case 'targets':
      return checkTargets(value, path, hosts);
    case 'groups': {
      if (!Array.isArray(value) || value.length < 2) return { path, message: `must be a list of at least 2 groups of hosts, got ${describe(value)}` };
      for (let i = 0; i < value.length; i++) {
        const issue = checkTargets(value[i], `${path}[${i}]`, hosts);
        if (issue) return issue;
      }
      const seen = new Map<string, number>();
      for (let i = 0; i < value.length; i++) {
        for (const h of hosts.resolve(value[i] as Targets, `${path}[${i}]`)) {
          const first = seen.get(h);
          if (first !== undefined && first !== i) return { path: `${path}[${i}]`, message: `host "${h}" is already in ${path}[${first}]` };
          seen.set(h, i);
        }
      }
      return undefined;
    }
    case 'rate':
      return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 1
        ? undefined
        : { path, message: `must be a number between 0 and 1, got ${describe(value)}` };
    case 'ms':
      return Number.isInteger(value) && (value as number) >= 0 ? undefined : { path, message: `must be a whole number of milliseconds >= 0, got ${describe(value)}` };
    case 'positive':
      return Number.isInteger(value) && (value as number) > 0 ? undefined : { path, message: `must be a whole number > 0, got ${describe(value)}` };
    case 'int':
      return Number.isInteger(value) ? undefined : { path, message: `must be a whole number, got ${describe(value)}` };
    case 'ppm':
      return typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= MAX_DRIFT_PPM
        ? undefined
        : { path, message: `must be a number between -${MAX_DRIFT_PPM} and ${MAX_DRIFT_PPM} (parts per million), got ${describe(value)}` };
    case 'bool':
      return typeof value === 'boolean' ? undefined : { path, message: `must be true or false, got ${describe(value)}` };
  }
}

function checkTargets(value: unknown, path: string, hosts: Hosts): InputIssue | undefined {
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.length === 0 || list.some((v) => typeof v !== 'string')) {
    return { path, message: `must be a host or group name, or a non-empty list of them, got ${describe(value)}` };
  }
  try {
    hosts.resolve(value as Targets, path);
    return undefined;
  } catch (e) {
    const issue = (e as { issues?: InputIssue[] }).issues?.[0];
    return issue ?? { path, message: String(e) };
  }
}

/** The hosts a host-level fault touches, or the links a link fault touches, as comparable keys. */
export function faultTargets(spec: FaultSpec, hosts: Hosts): Set<string> {
  const out = new Set<string>();
  if ('host' in spec) {
    for (const h of hosts.resolve(spec.host, 'host')) out.add(h);
    return out;
  }
  if (spec.kind === 'partition' || spec.kind === 'partition-one-way') return out;
  const from = hosts.resolve(spec.from, 'from');
  const to = hosts.resolve(spec.to, 'to');
  for (const a of from) {
    for (const b of to) {
      if (a === b) continue;
      out.add(`${a}->${b}`);
      if (!spec.oneWay) out.add(`${b}->${a}`);
    }
  }
  return out;
}

/** A short human description, e.g. `loss 0.3 node-1<->control-plane`. */
export function describeFault(spec: FaultSpec): string {
  const list = (t: Targets | undefined): string => (t === undefined ? '*' : typeof t === 'string' ? t : t.join(','));
  switch (spec.kind) {
    case 'partition':
      return `partition ${spec.groups.map((g) => `[${list(g)}]`).join(' | ')}`;
    case 'partition-one-way':
      return `partition ${list(spec.from)} -> ${list(spec.to)}`;
    case 'crash':
    case 'disk-full':
      return `${spec.kind} ${list(spec.host)}`;
    case 'disk-latency':
      return `disk-latency ${list(spec.host)} +${spec.addMs}ms`;
    case 'disk-eio':
      return `disk-eio ${list(spec.host)} ${spec.rate}`;
    case 'clock-jump':
      return `clock-jump ${list(spec.host)} ${spec.byMs}ms`;
    case 'clock-skew':
      return `clock-skew ${list(spec.host)} ${spec.offsetMs}ms`;
    case 'clock-drift':
      return `clock-drift ${list(spec.host)} ${spec.ppm}ppm`;
    default: {
      const arrow = spec.oneWay ? '->' : '<->';
      const what =
        spec.kind === 'latency'
          ? `+${spec.addMs}ms${spec.jitterMs ? `±${spec.jitterMs}` : ''}`
          : spec.kind === 'bandwidth'
            ? `${spec.bytesPerSec}B/s`
            : spec.kind === 'reorder'
              ? `${spec.rate} by ${spec.delayMs}ms`
              : `${spec.rate}`;
      return `${spec.kind} ${what} ${list(spec.from)}${arrow}${list(spec.to)}`;
    }
  }
}
