// The generated models of @kubernetes/client-node carry each API type's
// fields (`attributeTypeMap`): a runtime schema of every built-in kind, used
// here only as data.
import * as models from '@kubernetes/client-node/dist/gen/models/all.js';

interface Attribute {
  baseName: string;
  type: string;
}

const registry = models as unknown as Record<string, { attributeTypeMap?: Attribute[] } | undefined>;

/** The model type of a kind: V1Pod, V2HorizontalPodAutoscaler, CoreV1Event, EventsV1Event. */
export function modelOf(group: string, version: string, kind: string): string | undefined {
  const v = version.charAt(0).toUpperCase() + version.slice(1);
  const candidates = group === 'events.k8s.io' ? [`Events${v}${kind}`] : group === '' && kind === 'Event' ? [`Core${v}${kind}`] : [`${v}${kind}`];
  return candidates.find((c) => registry[c]?.attributeTypeMap !== undefined);
}

const fieldsCache = new Map<string, Map<string, string>>();
function fieldsOf(model: string): Map<string, string> | undefined {
  let fields = fieldsCache.get(model);
  if (fields === undefined) {
    const map = registry[model]?.attributeTypeMap;
    if (map === undefined) return undefined;
    fields = new Map(map.map((a) => [a.baseName, a.type]));
    fieldsCache.set(model, fields);
  }
  return fields;
}

/**
 * Find (and remove) fields the schema does not declare, reporting each as
 * the API server does (`spec.containers[0].imagee`). Maps, free-form objects
 * and unknown types are not looked into.
 */
export function pruneUnknownFields(model: string, value: unknown, path = ''): string[] {
  const unknown: string[] = [];
  walk(model, value, path, unknown);
  return unknown;
}

function walk(type: string, value: unknown, path: string, unknown: string[]): void {
  if (value === null || value === undefined) return;
  const array = /^Array<(.+)>$/.exec(type);
  if (array !== null) {
    if (Array.isArray(value)) value.forEach((v, i) => walk(array[1]!, v, `${path}[${i}]`, unknown));
    return;
  }
  const fields = fieldsOf(type);
  if (fields === undefined || typeof value !== 'object' || Array.isArray(value)) return;
  const o = value as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    const child = path === '' ? key : `${path}.${key}`;
    const fieldType = fields.get(key);
    if (fieldType === undefined) {
      unknown.push(child);
      delete o[key];
    } else walk(fieldType, o[key], child, unknown);
  }
}
