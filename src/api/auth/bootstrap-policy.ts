/**
 * The default ClusterRoles and ClusterRoleBindings (a subset of upstream's
 * plugin/pkg/auth/authorizer/rbac/bootstrappolicy): cluster-admin for the
 * system:masters group, the user-facing admin/edit/view roles, and the
 * control-plane components' roles.
 */
const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update'];
const WORKLOADS = { apiGroups: ['', 'apps', 'batch', 'autoscaling', 'policy', 'networking.k8s.io', 'discovery.k8s.io'], resources: ['*'] };
/** metrics-server's system:aggregated-metrics-reader, aggregated into admin, edit and view. */
const METRICS = { apiGroups: ['metrics.k8s.io'], resources: ['pods', 'nodes'], verbs: READ };

export const BOOTSTRAP_CLUSTER_ROLES = [
  { name: 'cluster-admin', rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }] },
  { name: 'admin', rules: [{ ...WORKLOADS, verbs: [...READ, ...WRITE] }, METRICS, { apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles', 'rolebindings'], verbs: [...READ, ...WRITE] }] },
  { name: 'edit', rules: [{ ...WORKLOADS, verbs: [...READ, ...WRITE] }, METRICS] },
  { name: 'view', rules: [{ ...WORKLOADS, verbs: READ }, METRICS] },
  // metrics-server's system:metrics-server role: it reads nodes and pods (and scrapes kubelets).
  { name: 'system:metrics-server', rules: [{ apiGroups: [''], resources: ['nodes', 'nodes/metrics', 'pods'], verbs: READ }] },
  {
    name: 'system:kube-scheduler',
    rules: [
      { apiGroups: [''], resources: ['pods', 'nodes', 'namespaces', 'persistentvolumeclaims', 'persistentvolumes', 'services', 'replicationcontrollers'], verbs: READ },
      { apiGroups: [''], resources: ['pods/binding', 'bindings'], verbs: ['create'] },
      { apiGroups: [''], resources: ['pods/status'], verbs: ['patch', 'update'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['delete'] },
      { apiGroups: ['', 'events.k8s.io'], resources: ['events'], verbs: ['create', 'patch', 'update'] },
      { apiGroups: ['apps', 'policy', 'storage.k8s.io'], resources: ['*'], verbs: READ },
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create', ...READ, 'update'] },
    ],
  },
  { name: 'system:kube-controller-manager', rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }] },
  // Every authenticated user may ask what it may do and who it is (kubectl auth can-i, kubectl auth whoami).
  {
    name: 'system:basic-user',
    rules: [
      { apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'], verbs: ['create'] },
      { apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'], verbs: ['create'] },
    ],
  },
];

export const BOOTSTRAP_CLUSTER_ROLE_BINDINGS = [
  { name: 'cluster-admin', role: 'cluster-admin', subjects: [{ kind: 'Group', name: 'system:masters' }] },
  { name: 'system:kube-scheduler', role: 'system:kube-scheduler', subjects: [{ kind: 'User', name: 'system:kube-scheduler' }] },
  { name: 'system:kube-controller-manager', role: 'system:kube-controller-manager', subjects: [{ kind: 'User', name: 'system:kube-controller-manager' }] },
  { name: 'system:metrics-server', role: 'system:metrics-server', subjects: [{ kind: 'ServiceAccount', name: 'metrics-server', namespace: 'kube-system' }] },
  { name: 'system:basic-user', role: 'system:basic-user', subjects: [{ kind: 'Group', name: 'system:authenticated' }] },
];
