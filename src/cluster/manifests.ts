import yaml from 'js-yaml';
import type { KubeObject } from '../api/registry/types.js';

/** A manifest that could not be read: where, and what was wrong. */
export class ManifestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ManifestError';
  }
}

/**
 * Objects from YAML or JSON text (several documents allowed, `List` kinds
 * flattened, empty documents skipped), as `kubectl apply -f` reads them.
 * `source` names the text in errors.
 */
export function parseManifests(text: string, source = 'manifest'): KubeObject[] {
  let docs: unknown[];
  try {
    docs = yaml.loadAll(text);
  } catch (e) {
    const mark = (e as { mark?: { line: number; column: number } }).mark;
    const where = mark === undefined ? '' : `:${mark.line + 1}:${mark.column + 1}`;
    throw new ManifestError(`${source}${where}: ${(e as { reason?: string }).reason ?? (e as Error).message}`);
  }
  const out: KubeObject[] = [];
  docs.forEach((doc, i) => {
    if (doc === null || doc === undefined) return;
    const where = docs.length > 1 ? `${source} (document ${i + 1})` : source;
    if (typeof doc !== 'object' || Array.isArray(doc)) throw new ManifestError(`${where}: expected an object with apiVersion and kind, got ${Array.isArray(doc) ? 'a list' : JSON.stringify(doc)}`);
    const o = doc as KubeObject;
    if (typeof o.kind === 'string' && o.kind.endsWith('List') && Array.isArray(o['items'])) {
      out.push(...(o['items'] as KubeObject[]));
      return;
    }
    if (typeof o.apiVersion !== 'string' || o.apiVersion === '') throw new ManifestError(`${where}: apiVersion not set`);
    if (typeof o.kind !== 'string' || o.kind === '') throw new ManifestError(`${where}: kind not set`);
    out.push(o);
  });
  return out;
}
