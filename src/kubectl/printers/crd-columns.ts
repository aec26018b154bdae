import type { KubeObject, PrinterColumn, ResourceType } from '../../api/registry/types.js';
import { parseRfc3339 } from '../../api/server/time.js';
import { evalPath } from '../jsonpath.js';
import { humanDuration } from '../table.js';
import { COLUMNS, DEFAULT_COLUMNS, type Columns } from './columns.js';

/** A Table's column definition (meta.k8s.io/v1 TableColumnDefinition). */
export interface ColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

// apiextensions-apiserver crdhandler: a version without additionalPrinterColumns gets an Age column.
const AGE: PrinterColumn = { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp', description: 'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata' };
const NAME: ColumnDefinition = { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names', priority: 0 };

const printerColumns = (type: ResourceType) => (type.printerColumns !== undefined && type.printerColumns.length > 0 ? type.printerColumns : [AGE]);

/** Name, then the CRD version's additionalPrinterColumns (tableconvertor.New). */
export function crdColumnDefinitions(type: ResourceType): ColumnDefinition[] {
  return [NAME, ...printerColumns(type).map((c) => ({ name: c.name, type: c.type, format: c.format ?? '', description: c.description ?? '', priority: c.priority ?? 0 }))];
}

/** A cell as the API server computes it (tableconvertor cellForJSONValue); kubectl prints a null cell as nothing. */
function cell(column: PrinterColumn, o: KubeObject, nowMs: number): unknown {
  let found: unknown[];
  try {
    found = evalPath(column.jsonPath, o);
  } catch {
    return null;
  }
  const value = found[0];
  if (value === undefined || value === null) return null;
  switch (column.type) {
    case 'string':
      return typeof value === 'object' ? JSON.stringify(value) : String(value);
    case 'integer':
      return typeof value === 'number' ? Math.trunc(value) : null;
    case 'number':
      return typeof value === 'number' ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'date': {
      if (typeof value !== 'string') return null;
      const t = parseRfc3339(value);
      return Number.isNaN(t) ? '<invalid>' : humanDuration(nowMs - t);
    }
    default:
      return null;
  }
}

/** A custom resource's row: its name, then each printer column's cell. */
export function crdCells(type: ResourceType, o: KubeObject, nowMs: number): unknown[] {
  return [String(o.metadata?.name ?? ''), ...printerColumns(type).map((c) => cell(c, o, nowMs))];
}

/** The same as kubectl-style columns (priority 0 first, the rest for `-o wide`). */
export function crdColumns(type: ResourceType): Columns {
  const defs = crdColumnDefinitions(type).map((d, i) => ({ ...d, i }));
  const narrow = defs.filter((d) => d.priority === 0);
  const wide = defs.filter((d) => d.priority !== 0);
  const text = (v: unknown) => (v === null || v === undefined ? '' : String(v));
  return {
    headers: narrow.map((d) => d.name.toUpperCase()),
    wide: wide.map((d) => d.name.toUpperCase()),
    row: (o, ctx, showWide) => {
      const cells = crdCells(type, o, ctx.nowMs);
      return [...narrow, ...(showWide ? wide : [])].map((d) => text(cells[d.i]));
    },
  };
}

/** The columns `kubectl get` shows for a resource: built-in printers, or a CRD's columns. */
export function columnsFor(type: ResourceType): Columns {
  if (type.crd !== undefined) return crdColumns(type);
  return COLUMNS[type.resource] ?? DEFAULT_COLUMNS;
}
