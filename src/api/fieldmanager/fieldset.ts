import { listStrategy } from '../patch/index.js';

/**
 * A set of fields in the FieldsV1 form managedFields carry
 * (structured-merge-diff): `f:<name>` for a field, `k:{"name":"app"}` for an
 * item of a list keyed by its merge key, `v:<json>` for a member of a set,
 * and `.` for the item itself. An empty object is a leaf.
 */
export type FieldsV1 = { [segment: string]: FieldsV1 };

/** Metadata the API server owns: never in a manager's set (upstream fieldmanager ignores them). */
const SERVER_METADATA = new Set(['name', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'managedFields', 'selfLink', 'generateName']);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The fields an object sets, for a kind (lists are keyed, sets or atomic by
 * the kind's patch strategies, as k8s.io/api tags them). `status` is left
 * out unless asked for (a status subresource write).
 */
export function fieldsOf(kind: string, object: Record<string, unknown>, options: { status?: boolean; mapMarkers?: boolean } = {}): FieldsV1 {
  const markers = options.mapMarkers !== false;
  const out: FieldsV1 = {};
  for (const [k, v] of Object.entries(object)) {
    if (k === 'apiVersion' || k === 'kind' || v === undefined) continue;
    if (k === 'status' && options.status !== true) continue;
    if (k !== 'status' && options.status === true && k !== 'metadata') continue;
    if (k === 'metadata') {
      const meta: FieldsV1 = {};
      for (const [mk, mv] of Object.entries(v as Record<string, unknown>)) if (!SERVER_METADATA.has(mk) && mv !== undefined) meta[`f:${mk}`] = walk(kind, mv, ['metadata', mk], markers);
      if (Object.keys(meta).length > 0) out['f:metadata'] = meta;
      continue;
    }
    out[`f:${k}`] = walk(kind, v, [k], markers);
  }
  return out;
}

/** `markers`: whether maps carry `.` (an Update's set does; an Apply's marks only list items). */
function walk(kind: string, value: unknown, path: string[], markers: boolean): FieldsV1 {
  if (isObject(value)) {
    const out: FieldsV1 = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[`f:${k}`] = walk(kind, v, [...path, k], markers);
    if (Object.keys(out).length === 0) return {};
    return markers ? { '.': {}, ...out } : out;
  }
  if (Array.isArray(value)) {
    const strategy = listStrategy(kind, path);
    if (strategy === undefined) return {};
    const out: FieldsV1 = {};
    for (const item of value) {
      if (strategy.mergeKey !== undefined && isObject(item)) out[itemKey(strategy.mergeKey, item)] = { '.': {}, ...stripDot(walk(kind, item, path, markers)) };
      else out[`v:${JSON.stringify(item)}`] = {};
    }
    return out;
  }
  return {};
}

const stripDot = (s: FieldsV1): FieldsV1 => {
  const { '.': _d, ...rest } = s;
  return rest;
};

/** The key segment of a keyed list item: k:{"name":"app"} (ports add their protocol, as upstream keys them). */
export function itemKey(mergeKey: string, item: Record<string, unknown>): string {
  const key: Record<string, unknown> = { [mergeKey]: item[mergeKey] };
  if (mergeKey === 'containerPort' || mergeKey === 'port') key['protocol'] = item['protocol'] ?? 'TCP';
  const sorted = Object.fromEntries(Object.entries(key).sort(([a], [b]) => a.localeCompare(b)));
  return `k:${JSON.stringify(sorted)}`;
}

/** Every leaf path of a set (a leaf is a field set as a whole). */
export function leaves(set: FieldsV1, prefix: string[] = []): string[][] {
  const out: string[][] = [];
  for (const [seg, child] of Object.entries(set)) {
    if (seg === '.') continue;
    const p = [...prefix, seg];
    const inner = leaves(child, p);
    if (inner.length === 0) out.push(p);
    else out.push(...inner);
  }
  return out;
}

/** Every path a set names, leaves and the items or maps above them. */
export function paths(set: FieldsV1, prefix: string[] = []): string[][] {
  const out: string[][] = [];
  for (const [seg, child] of Object.entries(set)) {
    if (seg === '.') continue;
    const p = [...prefix, seg];
    out.push(p, ...paths(child, p));
  }
  return out;
}

export function has(set: FieldsV1, path: readonly string[]): boolean {
  let at: FieldsV1 | undefined = set;
  for (const seg of path) {
    at = at?.[seg];
    if (at === undefined) return false;
  }
  return true;
}

export function union(a: FieldsV1, b: FieldsV1): FieldsV1 {
  const out: FieldsV1 = { ...a };
  for (const [seg, child] of Object.entries(b)) out[seg] = out[seg] === undefined ? child : union(out[seg]!, child);
  return out;
}

/** `set` without the given leaf paths (and without items or maps left empty by that). */
export function without(set: FieldsV1, remove: ReadonlyArray<readonly string[]>): FieldsV1 {
  let out = structuredClone(set);
  for (const path of remove) out = removePath(out, path);
  return out;
}

function removePath(set: FieldsV1, path: readonly string[]): FieldsV1 {
  if (path.length === 0) return set;
  const [head, ...rest] = path as [string, ...string[]];
  const child = set[head];
  if (child === undefined) return set;
  const out = { ...set };
  if (rest.length === 0) delete out[head];
  else {
    const next = removePath(child, rest);
    const meaningful = Object.keys(next).filter((k) => k !== '.');
    if (meaningful.length === 0 && Object.keys(child).some((k) => k !== '.')) delete out[head];
    else out[head] = next;
  }
  return out;
}

export function isEmpty(set: FieldsV1): boolean {
  return Object.keys(set).length === 0;
}

/** A path as structured-merge-diff prints it: .spec.template.spec.containers[name="nginx"].image */
export function pathString(path: readonly string[]): string {
  return path
    .filter((s) => s !== '.')
    .map((seg) => {
      if (seg.startsWith('f:')) return `.${seg.slice(2)}`;
      if (seg.startsWith('k:')) {
        const key = JSON.parse(seg.slice(2)) as Record<string, unknown>;
        return `[${Object.entries(key).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}]`;
      }
      if (seg.startsWith('v:')) return `[=${seg.slice(2)}]`;
      return seg;
    })
    .join('');
}

/** The value a path names in an object (undefined when it is not there). */
export function valueAt(kind: string, object: unknown, path: readonly string[]): unknown {
  let at: unknown = object;
  const names: string[] = [];
  for (const seg of path) {
    if (seg === '.') continue;
    if (seg.startsWith('f:')) {
      names.push(seg.slice(2));
      at = isObject(at) ? at[seg.slice(2)] : undefined;
    } else if (Array.isArray(at)) {
      const strategy = listStrategy(kind, names);
      at = at.find((item) => matches(seg, strategy?.mergeKey, item));
    } else return undefined;
    if (at === undefined) return undefined;
  }
  return at;
}

function matches(seg: string, mergeKey: string | undefined, item: unknown): boolean {
  if (seg.startsWith('v:')) return JSON.stringify(item) === seg.slice(2);
  return mergeKey !== undefined && isObject(item) && itemKey(mergeKey, item) === seg;
}

/** Remove what a path names from an object, in place (a field, a keyed item, a set member). */
export function removeAt(kind: string, object: Record<string, unknown>, path: readonly string[]): void {
  const segs = path.filter((s) => s !== '.');
  let parent: unknown = object;
  const names: string[] = [];
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i]!;
    const last = i === segs.length - 1;
    if (seg.startsWith('f:')) {
      if (!isObject(parent)) return;
      if (last) return void delete parent[seg.slice(2)];
      names.push(seg.slice(2));
      parent = parent[seg.slice(2)];
    } else {
      if (!Array.isArray(parent)) return;
      const mergeKey = listStrategy(kind, names)?.mergeKey;
      const index = parent.findIndex((item) => matches(seg, mergeKey, item));
      if (index < 0) return;
      if (last) return void parent.splice(index, 1);
      parent = parent[index];
    }
  }
}
