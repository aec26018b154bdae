import type { ResourceType } from '../registry/types.js';

/** Store key of an object: `namespace/name`, or `name` for cluster-scoped kinds. */
export function storeKey(type: ResourceType, namespace: string | undefined, name: string): string {
  return type.namespaced ? `${namespace ?? ''}/${name}` : name;
}

/** Where a resource's objects live in the store: per group and plural, so a CRD never collides with a built-in. */
export function storeResource(type: ResourceType): string {
  return type.group === '' ? type.resource : `${type.resource}.${type.group}`;
}

/** upstream utilrand alphabet: no vowels (no words), no confusable characters. */
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** The random suffix a generateName gets (5 characters, as upstream). */
export function nameSuffix(next: () => number): string {
  let s = '';
  for (let i = 0; i < 5; i++) s += ALPHANUMS[Math.floor(next() * ALPHANUMS.length)];
  return s;
}

/** A random (version 4) UUID from a seeded stream. */
export function uuid(next: () => number): string {
  const hex = (n: number): string => Array.from({ length: n }, () => Math.floor(next() * 16).toString(16)).join('');
  const variant = '89ab'[Math.floor(next() * 4)];
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${variant}${hex(3)}-${hex(12)}`;
}
