/**
 * Patch strategies of the built-in kinds' lists, from the `patchStrategy` and
 * `patchMergeKey` tags in k8s.io/api (core/v1/types.go, apps/v1/types.go,
 * meta/v1/types.go). A list not named here has no strategy and a strategic
 * merge patch replaces it — tolerations, for example, as the kubectl patch
 * documentation demonstrates.
 */
export interface ListStrategy {
  /** Items are matched by this field; absent for lists of primitives merged as sets. */
  mergeKey?: string;
  /** `$retainKeys` applies to the items (volumes). */
  retainKeys?: boolean;
}

const CONTAINER: Record<string, ListStrategy> = {
  ports: { mergeKey: 'containerPort' },
  env: { mergeKey: 'name' },
  volumeMounts: { mergeKey: 'mountPath' },
  volumeDevices: { mergeKey: 'devicePath' },
  resizePolicy: { mergeKey: 'resourceName' },
};

function podSpec(): Record<string, ListStrategy> {
  const out: Record<string, ListStrategy> = {
    volumes: { mergeKey: 'name', retainKeys: true },
    imagePullSecrets: { mergeKey: 'name' },
    hostAliases: { mergeKey: 'ip' },
    topologySpreadConstraints: { mergeKey: 'topologyKey' },
    resourceClaims: { mergeKey: 'name', retainKeys: true },
    schedulingGates: { mergeKey: 'name' },
  };
  for (const list of ['containers', 'initContainers', 'ephemeralContainers']) {
    out[list] = { mergeKey: 'name' };
    for (const [field, s] of Object.entries(CONTAINER)) out[`${list}.${field}`] = s;
  }
  return out;
}

const OBJECT_META: Record<string, ListStrategy> = {
  finalizers: {},
  ownerReferences: { mergeKey: 'uid' },
};

const CONDITIONS: Record<string, ListStrategy> = { 'status.conditions': { mergeKey: 'type' } };

function mount(prefix: string, table: Record<string, ListStrategy>): Record<string, ListStrategy> {
  return Object.fromEntries(Object.entries(table).map(([k, v]) => [`${prefix}.${k}`, v]));
}

const WITH_TEMPLATE = (templatePrefix: string): Record<string, ListStrategy> => ({
  ...mount(`${templatePrefix}.metadata`, OBJECT_META),
  ...mount(`${templatePrefix}.spec`, podSpec()),
  ...CONDITIONS,
});

/** Kinds whose strategic merge patches the API server understands, by kind. */
export const STRATEGIES: Record<string, Record<string, ListStrategy>> = {
  Pod: {
    ...mount('spec', podSpec()),
    ...CONDITIONS,
    'status.podIPs': { mergeKey: 'ip' },
    'status.hostIPs': { mergeKey: 'ip' },
  },
  PodTemplate: WITH_TEMPLATE('template'),
  Deployment: WITH_TEMPLATE('spec.template'),
  ReplicaSet: WITH_TEMPLATE('spec.template'),
  DaemonSet: WITH_TEMPLATE('spec.template'),
  StatefulSet: WITH_TEMPLATE('spec.template'),
  ReplicationController: WITH_TEMPLATE('spec.template'),
  Job: WITH_TEMPLATE('spec.template'),
  CronJob: { ...WITH_TEMPLATE('spec.jobTemplate.spec.template'), ...mount('spec.jobTemplate.metadata', OBJECT_META) },
  Node: { ...CONDITIONS, 'status.addresses': { mergeKey: 'type' }, 'spec.podCIDRs': {} },
  Service: { 'spec.ports': { mergeKey: 'port' }, ...CONDITIONS },
  Namespace: { ...CONDITIONS, 'spec.finalizers': {} },
  PersistentVolumeClaim: CONDITIONS,
  HorizontalPodAutoscaler: CONDITIONS,
  PodDisruptionBudget: CONDITIONS,
  Ingress: {},
  ConfigMap: {},
  Secret: {},
  ServiceAccount: { secrets: { mergeKey: 'name' } },
  Endpoints: {},
  EndpointSlice: {},
  Event: {},
  Lease: {},
  LimitRange: {},
  ResourceQuota: {},
  PersistentVolume: {},
  StorageClass: {},
  PriorityClass: {},
  IngressClass: {},
  NetworkPolicy: {},
  Role: {},
  ClusterRole: {},
  RoleBinding: {},
  ClusterRoleBinding: {},
};

/**
 * Custom resources' lists by kind, from their CRD schemas
 * (`x-kubernetes-list-type: map|set`): used by server-side apply, not by
 * strategic merge patch, which custom resources do not accept.
 */
const CUSTOM: Record<string, Record<string, ListStrategy>> = {};

/** Register (or, with undefined, forget) a custom resource kind's list strategies; a built-in kind's own are never replaced. */
export function setCustomListStrategies(kind: string, table: Record<string, ListStrategy> | undefined): void {
  if (kind in STRATEGIES) return;
  if (table === undefined) delete CUSTOM[kind];
  else CUSTOM[kind] = table;
}

/** The strategy of the list at `path` (field names only, no indices) in an object of `kind`. */
export function listStrategy(kind: string, path: readonly string[]): ListStrategy | undefined {
  const table = STRATEGIES[kind] ?? CUSTOM[kind];
  if (table === undefined) return undefined;
  const key = path.join('.');
  return key.startsWith('metadata.') ? OBJECT_META[key.slice('metadata.'.length)] : table[key];
}

export function supportsStrategicMerge(kind: string): boolean {
  return kind in STRATEGIES;
}
