import { formatQuantity, tryParseQuantity } from '../../api/quantity.js';
import { parseRfc3339, rfc3339 } from '../../api/server/time.js';
import { age, containers, images, mapText, selectorText, type PrintContext } from './format.js';

interface Columns {
  headers: string[];
  wide?: string[];
  row(o: any, ctx: PrintContext, wide: boolean): string[];
}

/** `CREATED AT`: the creation time in RFC 3339, UTC (printRole, printClusterRole, printLimitRange). */
const createdAt = (o: any) => (o.metadata?.creationTimestamp === undefined ? '<unknown>' : rfc3339(parseRfc3339(o.metadata.creationTimestamp)));
const intOrString = (v: unknown) => (v === undefined || v === null ? 'N/A' : String(v));

/** The first three, then " + N more..." (listWithMoreString); `<unset>` for none. */
function listWithMore(items: string[]): string {
  if (items.length > 3) return `${items.slice(0, 3).join(',')} + ${items.length - 3} more...`;
  return items.length === 0 ? '<unset>' : items.join(',');
}

/** rbac SubjectsStrings: users, groups and service accounts (namespace/name), each joined by ", ". */
function subjects(o: any): [string, string, string] {
  const of = (kind: string) => (o.subjects ?? []).filter((s: any) => s.kind === kind);
  return [of('User').map((s: any) => s.name).join(', '), of('Group').map((s: any) => s.name).join(', '), of('ServiceAccount').map((s: any) => `${s.namespace ?? ''}/${s.name}`).join(', ')];
}

const binding: Columns = {
  headers: ['NAME', 'ROLE', 'AGE'],
  wide: ['USERS', 'GROUPS', 'SERVICEACCOUNTS'],
  row: (b, ctx, wide) => [b.metadata.name, `${b.roleRef?.kind}/${b.roleRef?.name}`, age(b, ctx), ...(wide ? subjects(b) : [])],
};
const created: Columns = { headers: ['NAME', 'CREATED AT'], row: (o) => [o.metadata.name, createdAt(o)] };

/** printResourceQuota: "resource: used/hard" sorted by resource, `limits.*` in LIMIT, the rest in REQUEST. */
function quotaColumns(q: any): [string, string] {
  const hard: Record<string, string> = q.status?.hard ?? {};
  const used: Record<string, string> = q.status?.used ?? {};
  const canonical = (v: string | undefined) => {
    const parsed = v === undefined ? undefined : tryParseQuantity(v);
    return parsed === undefined ? (v ?? '0') : formatQuantity(parsed);
  };
  const request: string[] = [];
  const limit: string[] = [];
  for (const r of Object.keys(hard).sort()) (r.startsWith('limits.') ? limit : request).push(`${r}: ${canonical(used[r])}/${canonical(hard[r])}`);
  return [request.join(', '), limit.join(', ')];
}

/**
 * More of pkg/printers/internalversion/printers.go (kubectl 1.32): the
 * column handlers for the kinds beyond the workloads.
 */
export const MORE_COLUMNS: Record<string, Columns> = {
  serviceaccounts: { headers: ['NAME', 'SECRETS', 'AGE'], row: (s, ctx) => [s.metadata.name, String((s.secrets ?? []).length), age(s, ctx)] },
  resourcequotas: { headers: ['NAME', 'AGE', 'REQUEST', 'LIMIT'], row: (q, ctx) => [q.metadata.name, age(q, ctx), ...quotaColumns(q)] },
  limitranges: created,
  podtemplates: {
    headers: ['TEMPLATE', 'CONTAINERS', 'IMAGES', 'POD LABELS'],
    row: (t) => [t.metadata.name, containers(t.template?.spec), images(t.template?.spec), mapText(t.template?.metadata?.labels)],
  },
  replicationcontrollers: {
    headers: ['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE'],
    wide: ['CONTAINERS', 'IMAGES', 'SELECTOR'],
    row: (r, ctx, wide) => [r.metadata.name, String(r.spec?.replicas ?? 0), String(r.status?.replicas ?? 0), String(r.status?.readyReplicas ?? 0), age(r, ctx), ...(wide ? [containers(r.spec?.template?.spec), images(r.spec?.template?.spec), mapText(r.spec?.selector)] : [])],
  },
  controllerrevisions: {
    headers: ['NAME', 'CONTROLLER', 'REVISION', 'AGE'],
    row: (r, ctx) => {
      const owner = (r.metadata?.ownerReferences ?? []).find((o: any) => o.controller === true);
      const group = String(owner?.apiVersion ?? '').includes('/') ? `.${String(owner.apiVersion).split('/')[0]}` : '';
      return [r.metadata.name, owner === undefined ? '<none>' : `${String(owner.kind).toLowerCase()}${group}/${owner.name}`, String(r.revision ?? 0), age(r, ctx)];
    },
  },
  poddisruptionbudgets: {
    headers: ['NAME', 'MIN AVAILABLE', 'MAX UNAVAILABLE', 'ALLOWED DISRUPTIONS', 'AGE'],
    row: (p, ctx) => [p.metadata.name, intOrString(p.spec?.minAvailable), intOrString(p.spec?.maxUnavailable), String(p.status?.disruptionsAllowed ?? 0), age(p, ctx)],
  },
  endpointslices: {
    headers: ['NAME', 'ADDRESSTYPE', 'PORTS', 'ENDPOINTS', 'AGE'],
    row: (e, ctx) => [
      e.metadata.name,
      e.addressType ?? '',
      listWithMore((e.ports ?? []).map((p: any) => (p.port !== undefined ? String(p.port) : (p.name ?? '*')))),
      listWithMore((e.endpoints ?? []).flatMap((x: any) => x.addresses ?? [])),
      age(e, ctx),
    ],
  },
  ingressclasses: {
    headers: ['NAME', 'CONTROLLER', 'PARAMETERS', 'AGE'],
    row: (c, ctx) => {
      const p = c.spec?.parameters;
      return [c.metadata.name, c.spec?.controller ?? '', p === undefined ? '<none>' : `${p.kind}${p.apiGroup ? `.${p.apiGroup}` : ''}/${p.name}`, age(c, ctx)];
    },
  },
  networkpolicies: { headers: ['NAME', 'POD-SELECTOR', 'AGE'], row: (n, ctx) => [n.metadata.name, selectorText(n.spec?.podSelector ?? {}), age(n, ctx)] },
  storageclasses: {
    headers: ['NAME', 'PROVISIONER', 'RECLAIMPOLICY', 'VOLUMEBINDINGMODE', 'ALLOWVOLUMEEXPANSION', 'AGE'],
    row: (s, ctx) => {
      const a = s.metadata?.annotations ?? {};
      const isDefault = a['storageclass.kubernetes.io/is-default-class'] === 'true' || a['storageclass.beta.kubernetes.io/is-default-class'] === 'true';
      return [`${s.metadata.name}${isDefault ? ' (default)' : ''}`, s.provisioner ?? '', s.reclaimPolicy ?? 'Delete', s.volumeBindingMode ?? 'Immediate', String(s.allowVolumeExpansion ?? false), age(s, ctx)];
    },
  },
  priorityclasses: {
    headers: ['NAME', 'VALUE', 'GLOBAL-DEFAULT', 'AGE', 'PREEMPTIONPOLICY'],
    row: (p, ctx) => [p.metadata.name, String(p.value ?? 0), String(p.globalDefault ?? false), age(p, ctx), p.preemptionPolicy ?? 'PreemptLowerPriority'],
  },
  leases: { headers: ['NAME', 'HOLDER', 'AGE'], row: (l, ctx) => [l.metadata.name, l.spec?.holderIdentity ?? '', age(l, ctx)] },
  roles: created,
  clusterroles: created,
  rolebindings: binding,
  clusterrolebindings: binding,
  customresourcedefinitions: created,
};

