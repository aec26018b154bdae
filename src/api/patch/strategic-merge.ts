import { jsonEqual } from '../json-clone.js';
import { listStrategy, type ListStrategy } from './schema.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

/** A patch the server cannot apply; the API server answers it with an error Status. */
export class PatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PatchError';
  }
}

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const SET_ORDER = '$setElementOrder/';
const DELETE_FROM = '$deleteFromPrimitiveList/';

/**
 * Apply a strategic merge patch (upstream
 * k8s.io/apimachinery/pkg/util/strategicpatch) to an object of `kind`:
 * maps merge key by key and `null` deletes a key; lists with a merge key
 * merge item by item, lists of primitives with a merge strategy merge as
 * sets, and all other lists are replaced. Directives: `$patch: replace |
 * delete | merge`, `$retainKeys`, `$deleteFromPrimitiveList/<list>` and
 * `$setElementOrder/<list>`. The original is not modified.
 */
export function strategicMergePatch(kind: string, original: unknown, patch: unknown): unknown {
  if (!isObj(patch)) throw new PatchError(`a strategic merge patch must be a JSON object, got ${Array.isArray(patch) ? 'a list' : typeof patch}`);
  const result = mergeMap(isObj(original) ? original : {}, patch, kind, []);
  return result === DELETED ? {} : result;
}

const DELETED = Symbol('deleted');

function mergeMap(original: Obj, patch: Obj, kind: string, path: string[]): Obj | typeof DELETED {
  const directive = patch['$patch'];
  if (directive === 'delete') return DELETED;
  if (directive === 'replace') return strip(withoutKey(patch, '$patch')) as Obj;
  if (directive !== undefined && directive !== 'merge') throw new PatchError(`Unknown patch type: ${String(directive)} in map: ${JSON.stringify(patch)}`);
  const result: Obj = { ...original };
  for (const key of Object.keys(patch)) {
    if (key === '$patch' || key === '$retainKeys' || key.startsWith(SET_ORDER)) continue;
    const value = patch[key]!;
    if (key.startsWith(DELETE_FROM)) {
      const field = key.slice(DELETE_FROM.length);
      if (!Array.isArray(value)) throw new PatchError(`${key} must be a list`);
      const current = result[field];
      if (Array.isArray(current)) result[field] = current.filter((v) => !value.some((d) => equal(d, v)));
      continue;
    }
    if (value === null) {
      delete result[key];
      continue;
    }
    const here = [...path, key];
    if (isObj(value)) {
      const merged = mergeMap(isObj(result[key]) ? (result[key] as Obj) : {}, value, kind, here);
      if (merged === DELETED) delete result[key];
      else result[key] = merged;
    } else if (Array.isArray(value)) {
      const strategy = listStrategy(kind, here);
      const order = patch[`${SET_ORDER}${key}`];
      result[key] = strategy === undefined ? (strip(value) as Json[]) : mergeList(Array.isArray(result[key]) ? (result[key] as Json[]) : [], value, strategy, kind, here, Array.isArray(order) ? order : undefined);
    } else {
      result[key] = value;
    }
  }
  const retain = patch['$retainKeys'];
  if (retain !== undefined) {
    if (!Array.isArray(retain)) throw new PatchError('$retainKeys must be a list of field names');
    for (const key of Object.keys(result)) if (!retain.includes(key)) delete result[key];
  }
  return result;
}

function mergeList(original: Json[], patch: Json[], strategy: ListStrategy, kind: string, path: string[], order: Json[] | undefined): Json[] {
  // `{"$patch": "replace"}` as an element replaces the whole list with the other elements.
  if (patch.some((p) => isObj(p) && p['$patch'] === 'replace' && Object.keys(p).length === 1)) {
    return strip(patch.filter((p) => !(isObj(p) && p['$patch'] === 'replace'))) as Json[];
  }
  const key = strategy.mergeKey;
  let merged: Json[];
  let id: (v: Json) => Json;
  if (key === undefined) {
    // A set of primitives (finalizers): the union, without duplicates.
    merged = original.slice();
    for (const p of patch) if (!merged.some((o) => equal(o, p))) merged.push(p);
    id = (v) => v;
  } else {
    merged = original.slice();
    for (const item of patch) {
      if (!isObj(item)) throw new PatchError(`list ${path.join('.')} merges by "${key}" but an item is not an object: ${JSON.stringify(item)}`);
      if (!(key in item)) throw new PatchError(`map: ${JSON.stringify(item)} does not contain declared merge key: ${key}`);
      const at = merged.findIndex((o) => isObj(o) && equal(o[key], item[key]));
      if (item['$patch'] === 'delete') {
        if (at >= 0) merged.splice(at, 1);
        continue;
      }
      const result = mergeMap(at >= 0 ? (merged[at] as Obj) : {}, item, kind, path);
      if (result === DELETED) continue;
      if (at >= 0) merged[at] = result;
      else merged.push(result);
    }
    id = (v) => (isObj(v) ? (v[key] ?? null) : v);
  }
  const live = patch.filter((p) => !(isObj(p) && p['$patch'] === 'delete'));
  const wanted = order ?? live;
  return normalizeElementOrder(merged, wanted, original, id);
}

/**
 * upstream normalizeElementOrder + mergeSortedSlice: items named by the patch
 * (or its `$setElementOrder`) take the patch's order, the others keep the live
 * order, and the two are interleaved by live order — so a new item lands
 * before the items only the server had, as `kubectl patch` shows.
 */
function normalizeElementOrder(merged: Json[], patchOrder: Json[], serverOrder: Json[], id: (v: Json) => Json): Json[] {
  const indexIn = (list: Json[], v: Json): number => list.findIndex((x) => equal(id(x), id(v)));
  const inPatch = merged.filter((v) => indexIn(patchOrder, v) >= 0);
  const serverOnly = merged.filter((v) => indexIn(patchOrder, v) < 0);
  const byOrder = (list: Json[], order: Json[]): Json[] =>
    list.map((v, i) => ({ v, i, r: indexIn(order, v) })).sort((a, b) => a.r - b.r || a.i - b.i).map((x) => x.v);
  const right = byOrder(inPatch, patchOrder);
  const left = byOrder(serverOnly, serverOrder);
  const out: Json[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]!);
    else if (j >= right.length) out.push(left[i++]!);
    else {
      const li = indexIn(serverOrder, left[i]!);
      const ri = indexIn(serverOrder, right[j]!);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]!);
      else out.push(right[j++]!);
    }
  }
  return out;
}

/** Remove directives from content that is copied in whole. */
function strip(value: Json): Json {
  if (Array.isArray(value)) return value.map(strip);
  if (!isObj(value)) return value;
  const out: Obj = {};
  for (const [k, v] of Object.entries(value)) if (!k.startsWith('$')) out[k] = strip(v);
  return out;
}

function withoutKey(o: Obj, key: string): Obj {
  const { [key]: _drop, ...rest } = o;
  return rest;
}

function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return jsonEqual(a, b);
}
