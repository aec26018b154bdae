import { nameIsDNSSubdomain } from '../validation/object-meta.js';
import { customResourceStrategy } from '../crd/custom-resource-strategy.js';
import type { Schema } from '../crd/structural.js';
import { builtinResources } from './builtin.js';
import { ALL_VERBS, apiVersionOf, type PrinterColumn, type ResourceType } from './types.js';

/**
 * The resources the API server serves: the built-in ones and those added by
 * CustomResourceDefinitions. Resolves what users type (`po`, `pods`,
 * `deployments.apps`, `Deployment`) to one resource.
 */
export class ResourceRegistry {
  private readonly byGroupResource = new Map<string, ResourceType>();
  private readonly all: ResourceType[] = [];

  constructor() {
    for (const r of builtinResources()) this.add(r);
  }

  add(r: ResourceType): void {
    const key = `${r.group}/${r.resource}`;
    if (!this.byGroupResource.has(key)) this.all.push(r);
    else this.all.splice(this.all.indexOf(this.byGroupResource.get(key)!), 1, r);
    this.byGroupResource.set(key, r);
  }

  remove(group: string, resource: string): void {
    const key = `${group}/${resource}`;
    const r = this.byGroupResource.get(key);
    if (r === undefined) return;
    this.byGroupResource.delete(key);
    this.all.splice(this.all.indexOf(r), 1);
  }

  /** Every resource, in registration order. */
  list(): readonly ResourceType[] {
    return this.all;
  }

  /** A resource by group and plural name (as in a REST path). */
  get(group: string, resource: string): ResourceType | undefined {
    return this.byGroupResource.get(`${group}/${resource}`);
  }

  /** A resource by apiVersion and kind (as in a manifest). */
  forKind(apiVersion: string, kind: string): ResourceType | undefined {
    return this.all.find((r) => apiVersionOf(r) === apiVersion && r.kind === kind);
  }

  /**
   * Resolve what a user types, the way kubectl does: plural, singular, short
   * name or kind, optionally qualified by group (`deployments.apps`). The
   * core group wins ties, as kubectl's priority list does for `events`.
   */
  resolve(name: string): ResourceType | undefined {
    const lower = name.toLowerCase();
    const dot = lower.indexOf('.');
    const matches = (r: ResourceType, n: string): boolean => r.resource === n || r.singular === n || r.shortNames.includes(n) || r.kind.toLowerCase() === n;
    if (dot > 0) {
      const head = lower.slice(0, dot);
      const group = lower.slice(dot + 1);
      const found = this.all.find((r) => r.group === group && matches(r, head));
      if (found !== undefined) return found;
    }
    const candidates = this.all.filter((r) => matches(r, lower));
    return candidates.find((r) => r.group === '') ?? candidates[0];
  }

  /** Serve a custom resource defined by a CRD (its versions share one storage). */
  addCustomResource(crd: { metadata?: { name?: string; deletionTimestamp?: unknown }; spec: { group: string; names: { plural: string; singular?: string; kind: string; shortNames?: string[]; categories?: string[] }; scope: string; versions: Array<{ name: string; served?: boolean; storage?: boolean; subresources?: { status?: object; scale?: { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath?: string } }; additionalPrinterColumns?: PrinterColumn[]; schema?: { openAPIV3Schema?: Record<string, unknown> } }> } }): ResourceType[] {
    const { group, names, scope } = crd.spec;
    const added: ResourceType[] = [];
    for (const v of crd.spec.versions.filter((x) => x.served !== false)) {
      const subresources = [...(v.subresources?.status ? ['status'] : []), ...(v.subresources?.scale ? ['scale'] : [])];
      const r: ResourceType = {
        group,
        version: v.name,
        kind: names.kind,
        resource: names.plural,
        singular: names.singular ?? names.kind.toLowerCase(),
        namespaced: scope === 'Namespaced',
        shortNames: names.shortNames ?? [],
        categories: names.categories ?? [],
        subresources,
        verbs: ALL_VERBS,
        nameValidator: nameIsDNSSubdomain,
        generation: true,
        strategy: customResourceStrategy(v.schema?.openAPIV3Schema as Schema | undefined, v.subresources?.status !== undefined),
        ...(v.schema?.openAPIV3Schema !== undefined && { schema: v.schema.openAPIV3Schema }),
        crd: String(crd.metadata?.name ?? `${names.plural}.${group}`),
        ...(crd.metadata?.deletionTimestamp !== undefined && { terminating: true }),
        ...(v.subresources?.scale !== undefined && { scale: v.subresources.scale }),
        ...(v.additionalPrinterColumns !== undefined && { printerColumns: v.additionalPrinterColumns }),
      };
      if (v.storage === true || added.length === 0) this.add(r);
      added.push(r);
    }
    return added;
  }

  /** Stop serving what a CRD defined. */
  removeCustomResource(crd: { spec?: { group?: string; names?: { plural?: string } } }): void {
    const group = crd.spec?.group;
    const plural = crd.spec?.names?.plural;
    if (group !== undefined && plural !== undefined) this.remove(group, plural);
  }
}
