import { ALL_VERBS, type PrinterColumn, type ResourceType } from '../registry/types.js';
import { nameIsDNSSubdomain } from '../validation/object-meta.js';
import { customResourceStrategy } from './custom-resource-strategy.js';
import type { Schema } from './structural.js';

export interface CrdVersion {
  name: string;
  served?: boolean;
  storage?: boolean;
  deprecated?: boolean;
  deprecationWarning?: string;
  subresources?: { status?: object; scale?: { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath?: string } };
  additionalPrinterColumns?: PrinterColumn[];
  schema?: { openAPIV3Schema?: Record<string, unknown> };
}

export interface CrdObject {
  metadata?: { name?: string; deletionTimestamp?: unknown };
  spec: { group: string; names: { plural: string; singular?: string; kind: string; shortNames?: string[]; categories?: string[] }; scope: string; versions: CrdVersion[] };
}

const KUBE_VERSION = /^v(\d+)(?:(alpha|beta)(\d+))?$/;

/**
 * Kubernetes' version order (apimachinery version.CompareKubeAwareVersionStrings):
 * GA before beta before alpha, higher numbers first, anything else last in
 * alphabetical order. Negative when a comes first.
 */
export function compareKubeVersions(a: string, b: string): number {
  const ma = KUBE_VERSION.exec(a);
  const mb = KUBE_VERSION.exec(b);
  if (ma === null || mb === null) return ma !== null ? -1 : mb !== null ? 1 : a.localeCompare(b);
  const stability = (m: RegExpExecArray) => (m[2] === undefined ? 2 : m[2] === 'beta' ? 1 : 0);
  return stability(mb) - stability(ma) || Number(mb[1]) - Number(ma[1]) || Number(mb[3] ?? 0) - Number(ma[3] ?? 0);
}

/**
 * What a request to a deprecated version is told (apiextensions-apiserver
 * crdhandler defaultDeprecationWarning): "<group>/<version> <Kind> is
 * deprecated", then "; use <group>/<newest served, not deprecated, newer version> <Kind>".
 */
function deprecationWarning(crd: CrdObject, v: CrdVersion): string | undefined {
  if (v.deprecated !== true) return undefined;
  if (v.deprecationWarning !== undefined) return v.deprecationWarning;
  const { group, names } = crd.spec;
  const newer = crd.spec.versions.filter((x) => x.served !== false && x.deprecated !== true && compareKubeVersions(x.name, v.name) < 0).sort((a, b) => compareKubeVersions(a.name, b.name));
  const message = `${group}/${v.name} ${names.kind} is deprecated`;
  return newer.length === 0 ? message : `${message}; use ${group}/${newer[0]!.name} ${names.kind}`;
}

/**
 * The resource types a CRD serves, one per served version, the preferred
 * (highest-priority) version first. They share one storage: objects are
 * kept at the storage version and converted (apiVersion only, conversion
 * strategy None) for the others.
 */
export function customResourceTypes(crd: CrdObject): ResourceType[] {
  const { group, names, scope } = crd.spec;
  const storage = crd.spec.versions.find((v) => v.storage === true)?.name ?? crd.spec.versions[0]?.name;
  return crd.spec.versions
    .filter((v) => v.served !== false)
    .sort((a, b) => compareKubeVersions(a.name, b.name))
    .map((v) => ({
      group,
      version: v.name,
      kind: names.kind,
      resource: names.plural,
      singular: names.singular ?? names.kind.toLowerCase(),
      namespaced: scope === 'Namespaced',
      shortNames: names.shortNames ?? [],
      categories: names.categories ?? [],
      subresources: [...(v.subresources?.status ? ['status'] : []), ...(v.subresources?.scale ? ['scale'] : [])],
      verbs: ALL_VERBS,
      nameValidator: nameIsDNSSubdomain,
      generation: true,
      strategy: customResourceStrategy(v.schema?.openAPIV3Schema as Schema | undefined, v.subresources?.status !== undefined),
      ...(v.schema?.openAPIV3Schema !== undefined && { schema: v.schema.openAPIV3Schema }),
      crd: String(crd.metadata?.name ?? `${names.plural}.${group}`),
      ...(storage !== undefined && { storageVersion: storage }),
      ...(crd.metadata?.deletionTimestamp !== undefined && { terminating: true }),
      ...(v.subresources?.scale !== undefined && { scale: v.subresources.scale }),
      ...(v.additionalPrinterColumns !== undefined && { printerColumns: v.additionalPrinterColumns }),
      ...(deprecationWarning(crd, v) !== undefined && { deprecationWarning: deprecationWarning(crd, v)! }),
    }));
}
