import { apiVersionOf, type KubeObject, type ResourceType } from '../api/registry/index.js';
import { COLUMNS, DEFAULT_COLUMNS } from '../kubectl/printers/columns.js';
import { crdCells, crdColumnDefinitions } from '../kubectl/printers/crd-columns.js';

/** Whether a client asked for server-side printing (`Accept: application/json;as=Table;v=v1;g=meta.k8s.io`). */
export const wantsTable = (accept: string | undefined) => /as=Table/.test(accept ?? '') && /g=meta\.k8s\.io/.test(accept ?? '');

/** Title-case a kubectl header the way upstream names its columns (`NOMINATED NODE` → `Nominated Node`); kubectl upper-cases them again. */
/** Column names as the API server's printers spell them (pkg/printers/internalversion); kubectl upper-cases them for display. */
const SPELLED: Record<string, string> = {
  'UP-TO-DATE': 'Up-to-date', IP: 'IP', 'CLUSTER-IP': 'Cluster-IP', 'EXTERNAL-IP': 'External-IP', 'INTERNAL-IP': 'Internal-IP', 'OS-IMAGE': 'OS-Image',
  ADDRESSTYPE: 'AddressType', RECLAIMPOLICY: 'ReclaimPolicy', VOLUMEBINDINGMODE: 'VolumeBindingMode', ALLOWVOLUMEEXPANSION: 'AllowVolumeExpansion', PREEMPTIONPOLICY: 'PreemptionPolicy', SERVICEACCOUNTS: 'ServiceAccounts',
  STORAGECLASS: 'StorageClass', VOLUMEATTRIBUTESCLASS: 'VolumeAttributesClass', VOLUMEMODE: 'VolumeMode', MINPODS: 'MinPods', MAXPODS: 'MaxPods',
};
const title = (h: string) => SPELLED[h] ?? h.toLowerCase().replace(/(^|[\s-])([a-z])/g, (_m, sep: string, c: string) => sep + c.toUpperCase());

/**
 * A list or an object as a meta.k8s.io/v1 Table, with the same columns
 * kube-apiserver's printers give (priority 1 for the `-o wide` ones), each
 * row carrying the object's metadata (PartialObjectMetadata) or, with
 * includeObject=Object, the object.
 */
export function toTable(type: ResourceType, body: KubeObject, nowMs: number, includeObject: string | null, withHeaders = true): KubeObject {
  const items = Array.isArray(body['items']) ? (body['items'] as KubeObject[]) : [body];
  const { columnDefinitions, cells } = type.crd !== undefined ? { columnDefinitions: crdColumnDefinitions(type), cells: (o: KubeObject) => crdCells(type, o, nowMs) } : builtinColumns(type, nowMs);
  const rows = items.map((o) => {
    const meta = o.metadata ?? {};
    // The API server encodes each row's object with its kind (kubectl --sort-by decodes them to sort).
    const object = includeObject === 'Object' ? { apiVersion: apiVersionOf(type), kind: type.kind, ...o } : includeObject === 'None' ? undefined : { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: meta };
    return { cells: cells(o), ...(object !== undefined && { object }) };
  });
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion: String((body.metadata as { resourceVersion?: string } | undefined)?.resourceVersion ?? ''), ...((body.metadata as { continue?: string } | undefined)?.continue !== undefined && { continue: (body.metadata as { continue: string }).continue }) },
    ...(withHeaders && { columnDefinitions }),
    rows,
  };
}

/** A built-in kind's columns, from the printers kubectl's views share (priority 1 for the `-o wide` ones). */
function builtinColumns(type: ResourceType, nowMs: number) {
  const cols = COLUMNS[type.resource] ?? DEFAULT_COLUMNS;
  const count = cols.headers.length + (cols.wide ?? []).length;
  const columnDefinitions = [...cols.headers.map((h) => ({ h, priority: 0 })), ...(cols.wide ?? []).map((h) => ({ h, priority: 1 }))].map(({ h, priority }, i) => ({
    name: title(h),
    type: 'string',
    format: i === 0 ? 'name' : '',
    description: i === 0 ? 'Name must be unique within a namespace.' : '',
    priority,
  }));
  return { columnDefinitions, cells: (o: KubeObject): unknown[] => cols.row(o, { nowMs }, true).slice(0, count) };
}
