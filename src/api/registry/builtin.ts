import { nameIsDNSLabel, nameIsDNSSubdomain, nameIsPathSegment, type NameValidator } from '../validation/object-meta.js';
import { configMapStrategy, namespaceStrategy, podStrategy, pvcStrategy, secretStrategy, serviceStrategy } from '../kinds/core.js';
import { cronJobStrategy, daemonSetStrategy, deploymentStrategy, jobStrategy, replicaSetStrategy, statefulSetStrategy } from '../kinds/workloads.js';
import {
  bindingStrategy, crdStrategy, endpointSliceStrategy, eventStrategy, hpaStrategy, ingressStrategy, pdbStrategy, priorityClassStrategy, pvStrategy, roleStrategy, storageClassStrategy,
} from '../kinds/others.js';
import {
  controllerRevisionStrategy, endpointsStrategy, ingressClassStrategy, leaseStrategy, limitRangeStrategy, networkPolicyStrategy, nodeStrategy, podTemplateStrategy, replicationControllerStrategy,
  resourceQuotaStrategy,
} from '../kinds/more-kinds.js';
import { ALL_VERBS, type KindStrategy, type ResourceType } from './types.js';

interface Row {
  gv: string;
  kind: string;
  resource: string;
  namespaced: boolean;
  short?: string[];
  categories?: string[];
  sub?: string[];
  names?: NameValidator;
  generation?: boolean;
  strategy?: KindStrategy;
  verbs?: string[];
}

/**
 * The built-in resources, as kube-apiserver 1.32 serves them (group/version,
 * plural, scope, short names and categories are what `kubectl api-resources`
 * prints). `generation` marks kinds whose metadata.generation the API
 * server keeps.
 */
const ROWS: Row[] = [
  { gv: 'v1', kind: 'Namespace', resource: 'namespaces', namespaced: false, short: ['ns'], sub: ['status', 'finalize'], names: nameIsDNSLabel, strategy: namespaceStrategy, verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'] },
  { gv: 'v1', kind: 'Node', resource: 'nodes', namespaced: false, short: ['no'], sub: ['status', 'proxy'], strategy: nodeStrategy },
  { gv: 'v1', kind: 'Pod', resource: 'pods', namespaced: true, short: ['po'], categories: ['all'], sub: ['status', 'binding', 'eviction', 'log', 'exec', 'attach', 'portforward', 'proxy', 'ephemeralcontainers', 'resize'], strategy: podStrategy },
  { gv: 'v1', kind: 'Service', resource: 'services', namespaced: true, short: ['svc'], categories: ['all'], sub: ['status', 'proxy'], strategy: serviceStrategy, verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'] },
  { gv: 'v1', kind: 'Endpoints', resource: 'endpoints', namespaced: true, short: ['ep'], strategy: endpointsStrategy },
  { gv: 'v1', kind: 'ConfigMap', resource: 'configmaps', namespaced: true, short: ['cm'], strategy: configMapStrategy },
  { gv: 'v1', kind: 'Secret', resource: 'secrets', namespaced: true, strategy: secretStrategy },
  { gv: 'v1', kind: 'ServiceAccount', resource: 'serviceaccounts', namespaced: true, short: ['sa'], sub: ['token'] },
  { gv: 'v1', kind: 'PersistentVolume', resource: 'persistentvolumes', namespaced: false, short: ['pv'], sub: ['status'], strategy: pvStrategy },
  { gv: 'v1', kind: 'PersistentVolumeClaim', resource: 'persistentvolumeclaims', namespaced: true, short: ['pvc'], sub: ['status'], strategy: pvcStrategy },
  { gv: 'v1', kind: 'ResourceQuota', resource: 'resourcequotas', namespaced: true, short: ['quota'], sub: ['status'], strategy: resourceQuotaStrategy },
  { gv: 'v1', kind: 'LimitRange', resource: 'limitranges', namespaced: true, short: ['limits'], strategy: limitRangeStrategy },
  { gv: 'v1', kind: 'Event', resource: 'events', namespaced: true, short: ['ev'], strategy: eventStrategy },
  { gv: 'v1', kind: 'PodTemplate', resource: 'podtemplates', namespaced: true, strategy: podTemplateStrategy },
  { gv: 'v1', kind: 'ReplicationController', resource: 'replicationcontrollers', namespaced: true, short: ['rc'], categories: ['all'], sub: ['status', 'scale'], generation: true, strategy: replicationControllerStrategy },
  { gv: 'apps/v1', kind: 'Deployment', resource: 'deployments', namespaced: true, short: ['deploy'], categories: ['all'], sub: ['status', 'scale'], generation: true, strategy: deploymentStrategy },
  { gv: 'apps/v1', kind: 'ReplicaSet', resource: 'replicasets', namespaced: true, short: ['rs'], categories: ['all'], sub: ['status', 'scale'], generation: true, strategy: replicaSetStrategy },
  { gv: 'apps/v1', kind: 'DaemonSet', resource: 'daemonsets', namespaced: true, short: ['ds'], categories: ['all'], sub: ['status'], generation: true, strategy: daemonSetStrategy },
  { gv: 'apps/v1', kind: 'StatefulSet', resource: 'statefulsets', namespaced: true, short: ['sts'], categories: ['all'], sub: ['status', 'scale'], generation: true, strategy: statefulSetStrategy },
  { gv: 'apps/v1', kind: 'ControllerRevision', resource: 'controllerrevisions', namespaced: true, strategy: controllerRevisionStrategy },
  { gv: 'batch/v1', kind: 'Job', resource: 'jobs', namespaced: true, categories: ['all'], sub: ['status'], generation: true, strategy: jobStrategy },
  { gv: 'batch/v1', kind: 'CronJob', resource: 'cronjobs', namespaced: true, short: ['cj'], categories: ['all'], sub: ['status'], generation: true, strategy: cronJobStrategy },
  { gv: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', resource: 'horizontalpodautoscalers', namespaced: true, short: ['hpa'], categories: ['all'], sub: ['status'], generation: true, strategy: hpaStrategy },
  { gv: 'policy/v1', kind: 'PodDisruptionBudget', resource: 'poddisruptionbudgets', namespaced: true, short: ['pdb'], sub: ['status'], generation: true, strategy: pdbStrategy },
  { gv: 'discovery.k8s.io/v1', kind: 'EndpointSlice', resource: 'endpointslices', namespaced: true, strategy: endpointSliceStrategy },
  { gv: 'networking.k8s.io/v1', kind: 'Ingress', resource: 'ingresses', namespaced: true, short: ['ing'], sub: ['status'], generation: true, strategy: ingressStrategy },
  { gv: 'networking.k8s.io/v1', kind: 'IngressClass', resource: 'ingressclasses', namespaced: false, strategy: ingressClassStrategy },
  { gv: 'networking.k8s.io/v1', kind: 'NetworkPolicy', resource: 'networkpolicies', namespaced: true, short: ['netpol'], generation: true, strategy: networkPolicyStrategy },
  { gv: 'storage.k8s.io/v1', kind: 'StorageClass', resource: 'storageclasses', namespaced: false, short: ['sc'], strategy: storageClassStrategy },
  { gv: 'scheduling.k8s.io/v1', kind: 'PriorityClass', resource: 'priorityclasses', namespaced: false, short: ['pc'], strategy: priorityClassStrategy },
  { gv: 'coordination.k8s.io/v1', kind: 'Lease', resource: 'leases', namespaced: true, strategy: leaseStrategy },
  { gv: 'events.k8s.io/v1', kind: 'Event', resource: 'events', namespaced: true, short: ['ev'] },
  { gv: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', resource: 'selfsubjectaccessreviews', namespaced: false, verbs: ['create'] },
  { gv: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', resource: 'selfsubjectrulesreviews', namespaced: false, verbs: ['create'] },
  { gv: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview', resource: 'selfsubjectreviews', namespaced: false, verbs: ['create'] },
  { gv: 'rbac.authorization.k8s.io/v1', kind: 'Role', resource: 'roles', namespaced: true, names: nameIsPathSegment, strategy: roleStrategy },
  { gv: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', resource: 'clusterroles', namespaced: false, names: nameIsPathSegment, strategy: roleStrategy },
  { gv: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', resource: 'rolebindings', namespaced: true, names: nameIsPathSegment, strategy: bindingStrategy },
  { gv: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', resource: 'clusterrolebindings', namespaced: false, names: nameIsPathSegment, strategy: bindingStrategy },
  { gv: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', resource: 'customresourcedefinitions', namespaced: false, short: ['crd', 'crds'], categories: ['api-extensions'], sub: ['status'], generation: true, strategy: crdStrategy },
];

export function builtinResources(): ResourceType[] {
  return ROWS.map((r) => {
    const [group, version] = r.gv.includes('/') ? (r.gv.split('/') as [string, string]) : ['', r.gv];
    return {
      group,
      version,
      kind: r.kind,
      resource: r.resource,
      singular: r.kind.toLowerCase(),
      namespaced: r.namespaced,
      shortNames: r.short ?? [],
      categories: r.categories ?? [],
      subresources: r.sub ?? [],
      verbs: r.verbs ?? ALL_VERBS,
      nameValidator: r.names ?? nameIsDNSSubdomain,
      generation: r.generation ?? false,
      strategy: r.strategy ?? {},
    };
  });
}
