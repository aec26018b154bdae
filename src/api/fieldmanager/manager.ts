import { cloneJson, jsonEqual } from '../json-clone.js';
import { listStrategy } from '../patch/index.js';
import { StatusError } from '../errors/status.js';
import { fieldsOf, has, isEmpty, itemKey, leaves, paths, pathString, removeAt, union, valueAt, without, type FieldsV1 } from './fieldset.js';

/** One metadata.managedFields entry (meta/v1 ManagedFieldsEntry). */
export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: FieldsV1;
  subresource?: string;
}

type Obj = Record<string, unknown> & { metadata?: Record<string, unknown> };
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const entriesOf = (o: Obj | undefined): ManagedFieldsEntry[] => ((o?.metadata?.['managedFields'] as ManagedFieldsEntry[] | undefined) ?? []).map((e) => ({ ...e }));

/** How a manager is named in a conflict (upstream internal/conflict.go printManager). */
function printManager(e: ManagedFieldsEntry): string {
  let s = JSON.stringify(e.manager);
  if (e.subresource !== undefined && e.subresource !== '') s = `${s} with subresource ${JSON.stringify(e.subresource)}`;
  return e.operation === 'Update' ? `${s} using ${e.apiVersion} at ${e.time}` : s;
}

/** The 409 of an apply that would change fields other managers own (upstream NewConflictError and getConflictMessage). */
function conflictError(conflicts: Array<{ entry: ManagedFieldsEntry; path: string[] }>): StatusError {
  const causes = conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with ${printManager(c.entry)}`, field: pathString(c.path) }));
  let message: string;
  if (conflicts.length === 1) message = `Apply failed with 1 conflict: conflict with ${printManager(conflicts[0]!.entry)}: ${pathString(conflicts[0]!.path)}`;
  else {
    const byManager = new Map<string, string[]>();
    for (const c of conflicts) byManager.set(printManager(c.entry), [...(byManager.get(printManager(c.entry)) ?? []), pathString(c.path)]);
    const lines = [...byManager.keys()].sort().flatMap((m) => [`conflicts with ${m}:`, ...byManager.get(m)!.map((p) => `- ${p}`)]);
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
  }
  return new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'Conflict', details: { causes }, code: 409 } as never);
}

/** Merge an applied configuration into the live object: maps field by field, keyed lists item by item, sets as unions, other lists replaced. */
function merge(kind: string, live: unknown, config: unknown, path: string[]): unknown {
  if (isObject(config) && isObject(live)) {
    const out: Record<string, unknown> = { ...live };
    for (const [k, v] of Object.entries(config)) out[k] = merge(kind, live[k], v, [...path, k]);
    return out;
  }
  if (Array.isArray(config) && Array.isArray(live)) {
    const strategy = listStrategy(kind, path);
    if (strategy === undefined) return cloneJson(config);
    if (strategy.mergeKey === undefined) return [...config, ...live.filter((x) => !config.some((c) => jsonEqual(c, x)))];
    const key = (item: unknown) => (isObject(item) ? itemKey(strategy.mergeKey!, item) : JSON.stringify(item));
    const merged = config.map((c) => merge(kind, live.find((l) => key(l) === key(c)), c, path));
    return [...merged, ...live.filter((l) => !config.some((c) => key(c) === key(l)))];
  }
  return cloneJson(config);
}

/**
 * Server-side apply (application/apply-patch+yaml): merge `config` into
 * `live` for `manager`, who then owns exactly the fields `config` sets.
 * A field another manager owns with a different value is a conflict (409)
 * unless `force`, which takes it over. A field this manager applied before
 * and no longer sets is removed, unless someone else owns it too.
 */
export function serverSideApply(o: { kind: string; apiVersion: string; live: Obj | undefined; config: Obj; manager: string; force: boolean; now: string }): Obj {
  const { kind, live, manager } = o;
  // A null in an applied configuration sets nothing (Go decodes it as the zero value).
  const config = withoutNulls(o.config) as Obj;
  const entries = entriesOf(live);
  const mine = (e: ManagedFieldsEntry) => e.manager === manager && e.operation === 'Apply' && (e.subresource ?? '') === '';
  const applied = fieldsOf(kind, config, { mapMarkers: false });
  const before = entries.find(mine)?.fieldsV1 ?? {};
  const conflicts: Array<{ entry: ManagedFieldsEntry; path: string[] }> = [];
  const changed: string[][] = [];
  if (live !== undefined) {
    for (const leaf of leaves(applied)) {
      if (jsonEqual(valueAt(kind, live, leaf), valueAt(kind, config, leaf))) continue;
      changed.push(leaf);
      for (const e of entries) if (!mine(e) && has(e.fieldsV1, leaf)) conflicts.push({ entry: e, path: leaf });
    }
  }
  if (conflicts.length > 0 && !o.force) throw conflictError(conflicts);
  const merged = merge(kind, live ?? {}, config, []) as Obj;
  const others = entries.filter((e) => !mine(e)).map((e) => ({ ...e, fieldsV1: without(e.fieldsV1, changed) }));
  // What this manager stops setting goes, unless another manager still owns it (shortest paths first: a removed item takes its fields with it).
  const dropped = paths(before).filter((p) => !has(applied, p)).sort((a, b) => a.length - b.length);
  for (const p of dropped) if (!others.some((e) => has(e.fieldsV1, p)) && valueAt(kind, merged, p) !== undefined) removeAt(kind, merged, p);
  const entry: ManagedFieldsEntry = { manager, operation: 'Apply', apiVersion: o.apiVersion, time: o.now, fieldsType: 'FieldsV1', fieldsV1: applied };
  const kept = others.filter((e) => !isEmpty(e.fieldsV1));
  const at = entries.findIndex(mine);
  const next = at < 0 ? [...kept, entry] : [...kept.slice(0, at), entry, ...kept.slice(at)];
  merged.metadata = { ...(merged.metadata ?? {}), managedFields: next };
  return merged;
}

/**
 * Record a write that is not an apply (create, update, patch): `manager`
 * now owns every field it set or changed, other managers lose those, and
 * removed fields belong to no one (upstream fieldmanager Update).
 */
export function trackUpdate(o: { kind: string; apiVersion: string; old: Obj | undefined; next: Obj; manager: string; now: string; subresource?: string }): ManagedFieldsEntry[] {
  const status = o.subresource === 'status';
  const oldSet = o.old === undefined ? {} : fieldsOf(o.kind, o.old, { status });
  const nextSet = fieldsOf(o.kind, o.next, { status });
  const changed = leaves(nextSet).filter((l) => !has(oldSet, l) || !jsonEqual(valueAt(o.kind, o.old, l), valueAt(o.kind, o.next, l)));
  const removed = leaves(oldSet).filter((l) => !has(nextSet, l));
  const entries = entriesOf(o.old);
  const sub = o.subresource === 'status' || o.subresource === 'scale' ? o.subresource : undefined;
  const mine = (e: ManagedFieldsEntry) => e.manager === o.manager && e.operation === 'Update' && e.subresource === sub;
  if (changed.length === 0 && removed.length === 0) return entries;
  const others = entries.filter((e) => !mine(e)).map((e) => ({ ...e, fieldsV1: without(e.fieldsV1, [...changed, ...removed]) }));
  let own = without(entries.find(mine)?.fieldsV1 ?? {}, removed);
  for (const l of changed) own = union(own, pathSet(l, oldSet));
  const entry: ManagedFieldsEntry = { manager: o.manager, operation: 'Update', apiVersion: o.apiVersion, time: o.now, fieldsType: 'FieldsV1', fieldsV1: own, ...(sub !== undefined && { subresource: sub }) };
  const kept = others.filter((e) => !isEmpty(e.fieldsV1));
  const at = entries.findIndex(mine);
  return at < 0 ? [...kept, entry] : [...kept.slice(0, at), entry, ...kept.slice(at)];
}

/** A set holding one leaf path, with `.` on the items and maps the write created (absent before). */
function pathSet(path: readonly string[], before: FieldsV1): FieldsV1 {
  let set: FieldsV1 = {};
  for (let i = path.length - 1; i >= 0; i--) {
    const created = path[i]!.startsWith('k:') || !has(before, path.slice(0, i + 1));
    set = { [path[i]!]: i === path.length - 1 ? {} : { ...(created && { '.': {} }), ...set } };
  }
  return set;
}

function withoutNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutNulls);
  if (!isObject(v)) return v;
  return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null).map(([k, x]) => [k, withoutNulls(x)]));
}

/** The manager name a request without ?fieldManager gets: its User-Agent up to the first "/" (upstream prefixFromUserAgent). */
export function managerFromUserAgent(userAgent: string | undefined): string {
  return (userAgent ?? 'unknown').split('/')[0]!.slice(0, 128) || 'unknown';
}
