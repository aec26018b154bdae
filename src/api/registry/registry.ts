import { listStrategiesOf } from '../crd/list-strategies.js';
import { customResourceTypes, type CrdObject } from '../crd/resource-types.js';
import type { Schema } from '../crd/structural.js';
import { setCustomListStrategies } from '../patch/schema.js';
import { hpaV1Conversion } from '../kinds/hpa-v1.js';
import { builtinResources } from './builtin.js';
import { apiVersionOf, type ResourceType } from './types.js';

/**
 * The resources the API server serves: the built-in ones and those added by
 * CustomResourceDefinitions. Resolves what users type (`po`, `pods`,
 * `deployments.apps`, `Deployment`) to one resource.
 */
export class ResourceRegistry {
  private readonly byGroupResource = new Map<string, ResourceType>();
  private readonly all: ResourceType[] = [];
  /** A CRD's served versions other than the preferred one, by group/version/resource. */
  private readonly otherVersions = new Map<string, ResourceType>();

  constructor() {
    for (const r of builtinResources()) this.add(r);
    // autoscaling/v1 HorizontalPodAutoscalers are served too (kubectl autoscale creates them), converted from the stored v2 objects.
    const hpa = this.get('autoscaling', 'horizontalpodautoscalers');
    if (hpa !== undefined) this.otherVersions.set('autoscaling/v1/horizontalpodautoscalers', { ...hpa, version: 'v1', storageVersion: 'v2', conversion: hpaV1Conversion });
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
    return this.all.find((r) => apiVersionOf(r) === apiVersion && r.kind === kind) ?? [...this.otherVersions.values()].find((r) => apiVersionOf(r) === apiVersion && r.kind === kind);
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

  /** Serve a custom resource defined by a CRD: the preferred version is the resource; the other served versions are reached by version. */
  addCustomResource(crd: CrdObject): ResourceType[] {
    const types = customResourceTypes(crd);
    if (types.length === 0) return types;
    this.removeCustomResource(crd);
    this.add(types[0]!);
    setCustomListStrategies(types[0]!.kind, listStrategiesOf(types[0]!.schema as Schema | undefined));
    for (const t of types.slice(1)) this.otherVersions.set(`${t.group}/${t.version}/${t.resource}`, t);
    return types;
  }

  /** Stop serving what a CRD defined. */
  removeCustomResource(crd: { spec?: { group?: string; names?: { plural?: string } } }): void {
    const group = crd.spec?.group;
    const plural = crd.spec?.names?.plural;
    if (group === undefined || plural === undefined) return;
    const kind = this.get(group, plural)?.kind;
    this.remove(group, plural);
    if (kind !== undefined) setCustomListStrategies(kind, undefined);
    for (const [key, t] of this.otherVersions) if (t.group === group && t.resource === plural) this.otherVersions.delete(key);
  }

  /** A resource at one version: the preferred one, or another version a CRD serves. */
  atVersion(group: string, version: string, resource: string): ResourceType | undefined {
    const preferred = this.get(group, resource);
    return preferred?.version === version ? preferred : this.otherVersions.get(`${group}/${version}/${resource}`);
  }

  /** Every served resource version (discovery lists them all; the preferred one first). */
  listAllVersions(): ResourceType[] {
    return [...this.all, ...this.otherVersions.values()];
  }
}
