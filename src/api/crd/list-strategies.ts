import type { ListStrategy } from '../patch/schema.js';
import type { Schema } from './structural.js';

type ListSchema = Schema & { 'x-kubernetes-list-type'?: string; 'x-kubernetes-list-map-keys'?: string[] };

/**
 * How server-side apply merges a custom resource's lists (structured-merge-diff
 * reading the CRD schema): `x-kubernetes-list-type: map` keyed by its
 * `x-kubernetes-list-map-keys` (the first key here), `set` as a set, and
 * `atomic` — a CRD list's default — replaced whole. Keys are field paths
 * without indices, as listStrategy looks them up.
 */
export function listStrategiesOf(schema: Schema | undefined): Record<string, ListStrategy> {
  const out: Record<string, ListStrategy> = {};
  const walk = (s: ListSchema | undefined, path: string[]): void => {
    if (s === undefined) return;
    if (s.type === 'array' || s.items !== undefined) {
      const type = s['x-kubernetes-list-type'];
      const keys = s['x-kubernetes-list-map-keys'] ?? [];
      if (type === 'map' && keys.length > 0) out[path.join('.')] = { mergeKey: keys[0]! };
      else if (type === 'set') out[path.join('.')] = {};
      walk(s.items as ListSchema | undefined, path);
      return;
    }
    for (const [k, v] of Object.entries(s.properties ?? {})) walk(v as ListSchema, [...path, k]);
    if (typeof s.additionalProperties === 'object') walk(s.additionalProperties as ListSchema, path);
  };
  walk(schema as ListSchema | undefined, []);
  return out;
}
