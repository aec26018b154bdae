/**
 * A deep copy of JSON data (objects, arrays, strings, numbers, booleans,
 * null; undefined members kept). API objects are JSON, and this copies a
 * small one about ten times faster than structuredClone, which matters on
 * the API server's write path (every lease renewal crosses it).
 */
export function cloneJson<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const out = new Array(value.length);
    for (let i = 0; i < value.length; i++) out[i] = cloneJson(value[i]);
    return out as T;
  }
  const out: Record<string, unknown> = {};
  for (const key in value) {
    const v = cloneJson((value as Record<string, unknown>)[key]);
    // A "__proto__" member is data (JSON.parse makes it an own property); assigning it would set the prototype instead.
    if (key === '__proto__') Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
    else out[key] = v;
  }
  return out as T;
}

/** Whether two JSON values are equal, whatever the order of object keys (an undefined member counts as absent). */
export function jsonEqual(a: unknown, b: unknown, skip?: (path: string) => boolean, path = ''): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    if (a.length !== bb.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], bb[i])) return false;
    return true;
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  let count = 0;
  for (const key in ao) {
    if (ao[key] === undefined) continue;
    count++;
    const p = path === '' ? key : `${path}.${key}`;
    if (skip?.(p)) continue;
    if (!jsonEqual(ao[key], bo[key], skip, p)) return false;
  }
  for (const key in bo) if (bo[key] !== undefined) count--;
  return count === 0;
}
