import { describe, expect, it } from 'vitest';
import { ResourceRegistry } from '../registry/index.js';
import { StatusError } from '../errors/status.js';
import { statusErrorOf } from '../errors/testing.js';
import { prepareCreate, prepareUpdate } from './prepare.js';

const registry = new ResourceRegistry();
const ctx = { namespace: 'default', now: '2026-11-24T08:00:00Z', uid: '11111111-2222-4333-8444-555555555555' };
const type = (name: string) => registry.resolve(name)!;

function create(resource: string, body: unknown) {
  return prepareCreate(type(resource), body, ctx);
}
const causes = (e: StatusError) => (e.status.details?.causes ?? []).map((c) => `${c.field}: ${c.message}`);

const pod = (spec: Record<string, unknown> = {}, meta: Record<string, unknown> = { name: 'web' }) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: meta,
  spec: { containers: [{ name: 'app', image: 'nginx:1.27' }], ...spec },
});
const deployment = (spec: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: {
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx' }] } },
    ...spec,
  },
});

describe('create: defaults and system fields', () => {
  it('fills pod defaults, Pending status and QoS class, uid and timestamp', () => {
    const o = create('pods', pod({ containers: [{ name: 'app', image: 'nginx', resources: { limits: { cpu: '1', memory: '1Gi' } }, livenessProbe: { httpGet: { port: 8080 } } }] })) as any;
    expect(o.metadata).toMatchObject({ name: 'web', namespace: 'default', uid: ctx.uid, creationTimestamp: ctx.now });
    expect(o.metadata.generation).toBeUndefined();
    expect(o.spec).toMatchObject({ restartPolicy: 'Always', dnsPolicy: 'ClusterFirst', schedulerName: 'default-scheduler', terminationGracePeriodSeconds: 30, enableServiceLinks: true });
    const c = o.spec.containers[0];
    expect(c).toMatchObject({ imagePullPolicy: 'Always', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' });
    expect(c.resources.requests).toEqual({ cpu: '1', memory: '1Gi' }); // requests default to limits
    expect(c.livenessProbe).toEqual({ httpGet: { port: 8080, path: '/', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
    expect(o.status).toEqual({ phase: 'Pending', qosClass: 'Guaranteed' });
  });

  it.each([
    [[{ name: 'a', image: 'nginx' }], 'BestEffort'],
    [[{ name: 'a', image: 'nginx', resources: { requests: { memory: '64Mi' } } }], 'Burstable'],
    [[{ name: 'a', image: 'nginx', resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } } }], 'Guaranteed'],
    [[{ name: 'a', image: 'nginx', resources: { limits: { cpu: '1', memory: '1Gi' } } }, { name: 'b', image: 'x' }], 'Burstable'],
    [[{ name: 'a', image: 'nginx', resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } } }], 'Burstable'],
  ])('QoS class of %j is %s', (containers, qos) => {
    expect((create('pods', pod({ containers })) as any).status.qosClass).toBe(qos);
  });

  it('pull policy follows the tag', () => {
    const policy = (image: string) => (create('pods', pod({ containers: [{ name: 'a', image }] })) as any).spec.containers[0].imagePullPolicy;
    expect(policy('nginx')).toBe('Always');
    expect(policy('nginx:latest')).toBe('Always');
    expect(policy('nginx:1.27')).toBe('IfNotPresent');
    expect(policy('registry:5000/team/app')).toBe('Always');
    expect(policy('nginx@sha256:abc')).toBe('IfNotPresent');
  });

  it('defaults a Deployment (replicas 1, RollingUpdate 25%/25%, history 10, deadline 600) and keeps generation 1', () => {
    const o = create('deployments', deployment()) as any;
    expect(o.spec).toMatchObject({ replicas: 1, strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } }, revisionHistoryLimit: 10, progressDeadlineSeconds: 600 });
    expect(o.metadata.generation).toBe(1);
    expect(o.status).toBeUndefined();
  });

  it('folds Secret stringData into base64 data and defaults the type', () => {
    const o = create('secrets', { metadata: { name: 's' }, stringData: { password: 'hunter2' } }) as any;
    expect(o).toMatchObject({ type: 'Opaque', data: { password: Buffer.from('hunter2').toString('base64') } });
    expect(o.stringData).toBeUndefined();
  });

  it('starts a Namespace Active with the kubernetes finalizer', () => {
    const o = prepareCreate(type('namespaces'), { metadata: { name: 'team-a' } }, { now: ctx.now, uid: ctx.uid }) as any;
    expect(o.spec.finalizers).toEqual(['kubernetes']);
    expect(o.status.phase).toBe('Active');
    expect(o.metadata.namespace).toBeUndefined();
  });
});

describe('create: invalid manifests give 422 with the exact field and reason', () => {
  it.each([
    ['pods', pod({}, {}), ['metadata.name: Required value: name or generateName is required']],
    ['pods', pod({}, { name: 'Web' }), [expect.stringMatching(/^metadata\.name: Invalid value: "Web": a lowercase RFC 1123 subdomain must consist of/)]],
    ['pods', pod({ containers: [] }), ['spec.containers: Required value']],
    ['pods', pod({ containers: [{ name: 'app' }] }), ['spec.containers[0].image: Required value']],
    ['pods', pod({ containers: [{ name: 'app', image: 'x' }, { name: 'app', image: 'y' }] }), ['spec.containers[1].name: Duplicate value: "app"']],
    ['pods', pod({ restartPolicy: 'Sometimes' }), ['spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"']],
    ['pods', pod({ containers: [{ name: 'app', image: 'x', ports: [{ containerPort: 70000 }] }] }), ['spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive']],
    ['pods', pod({ containers: [{ name: 'app', image: 'x', resources: { requests: { cpu: '2' }, limits: { cpu: '1' } } }] }), ['spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1']],
    ['pods', pod({ containers: [{ name: 'app', image: 'x', livenessProbe: { exec: { command: ['true'] }, successThreshold: 2 } }] }), ['spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1']],
    ['pods', pod({ containers: [{ name: 'app', image: 'x', volumeMounts: [{ name: 'data', mountPath: '/data' }] }] }), ['spec.containers[0].volumeMounts[0].name: Not found: "data"']],
    ['pods', pod({ tolerations: [{ key: 'k', operator: 'Exists', value: 'v' }] }), ["spec.tolerations[0].operator: Invalid value: \"v\": value must be empty when `operator` is 'Exists'"]],
    ['pods', pod({ tolerations: [{ key: 'k', effect: 'NoSchedule', tolerationSeconds: 5 }] }), ["spec.tolerations[0].effect: Invalid value: \"NoSchedule\": effect must be 'NoExecute' when `tolerationSeconds` is set"]],
    [
      'deployments',
      deployment({ template: { metadata: { labels: { app: 'other' } }, spec: { containers: [{ name: 'a', image: 'x' }] } } }),
      ['spec.template.metadata.labels: Invalid value: map[string]string{"app":"other"}: `selector` does not match template `labels`'],
    ],
    ['deployments', deployment({ replicas: -1 }), ['spec.replicas: Invalid value: -1: must be greater than or equal to 0']],
    ['deployments', deployment({ strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: '0%' } } }), ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "0%": may not be 0 when `maxSurge` is 0']],
    ['deployments', deployment({ strategy: { type: 'Recreate', rollingUpdate: {} } }), ["spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"]],
    ['deployments', deployment({ selector: undefined }), ['spec.selector: Required value']],
    ['services', { metadata: { name: 'web' }, spec: { ports: [{ port: 80 }, { port: 81 }] } }, ['spec.ports[0].name: Required value', 'spec.ports[1].name: Required value']],
    ['services', { metadata: { name: 'web' }, spec: { selector: { app: 'web' } } }, ['spec.ports: Required value']],
    ['services', { metadata: { name: '1web' }, spec: { ports: [{ port: 80 }] } }, [expect.stringMatching(/^metadata\.name: Invalid value: "1web": a DNS-1035 label must consist of/)]],
    ['configmaps', { metadata: { name: 'c' }, data: { 'bad key': 'v' } }, [expect.stringMatching(/^data\[bad key\]: Invalid value: "bad key": a valid config key must consist of alphanumeric characters, '-', '_' or '\.'/)]],
    ['secrets', { metadata: { name: 's' }, type: 'kubernetes.io/tls', data: { 'tls.crt': 'YQ==' } }, ['data[tls.key]: Required value']],
    ['secrets', { metadata: { name: 's' }, type: 'kubernetes.io/dockerconfigjson', data: {} }, ['data[.dockerconfigjson]: Required value']],
    ['secrets', { metadata: { name: 's' }, type: 'kubernetes.io/service-account-token' }, ['metadata.annotations[kubernetes.io/service-account.name]: Required value']],
    ['jobs', { metadata: { name: 'j' }, spec: { template: { spec: { containers: [{ name: 'a', image: 'x' }] } } } }, ['spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"']],
    ['persistentvolumeclaims', { metadata: { name: 'c' }, spec: { accessModes: ['ReadWriteOnce'] } }, ['spec.resources[storage]: Required value']],
    ['ingresses', { metadata: { name: 'i' }, spec: { rules: [{ http: { paths: [{ path: '/', backend: { service: { name: 's', port: { number: 80 } } } }] } }] } }, ['spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified']],
    ['horizontalpodautoscalers', { metadata: { name: 'h' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, minReplicas: 5, maxReplicas: 2 } }, ['spec.minReplicas: Invalid value: 5: must be less than or equal to maxReplicas']],
    ['priorityclasses', { metadata: { name: 'system-mine' }, value: 10 }, ["metadata.name: Invalid value: \"system-mine\": priority class names with 'system-' prefix are reserved for system use only"]],
    ['customresourcedefinitions', { metadata: { name: 'crontabs.example.com' }, spec: { group: 'example.com', names: { plural: 'crontab', kind: 'CronTab' }, scope: 'Namespaced', versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } }] } }, ['metadata.name: Invalid value: "crontabs.example.com": must be spec.names.plural+"."+spec.group']],
    ['clusterrolebindings', { metadata: { name: 'b' }, roleRef: { kind: 'Role', name: 'r', apiGroup: 'rbac.authorization.k8s.io' }, subjects: [] }, ['roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"']],
    ['nodes', { metadata: { name: 'n' }, spec: { podCIDRs: ['10.244.1.0/33'] } }, ['spec.podCIDRs[0]: Invalid value: "10.244.1.0/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)']],
    ['nodes', { metadata: { name: 'n' }, spec: { taints: [{ key: 'gpu', effect: 'NoRun' }] } }, ['spec.taints[0].effect: Unsupported value: "NoRun": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"']],
    ['endpoints', { metadata: { name: 'e' }, subsets: [{ addresses: [{ ip: '10.0.0.300' }], ports: [{ port: 80 }] }] }, ['subsets[0].addresses[0].ip: Invalid value: "10.0.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)']],
    ['resourcequotas', { metadata: { name: 'q' }, spec: { hard: { widgets: '1' } } }, ['spec.hard[widgets]: Invalid value: "widgets": must be a standard resource type or fully qualified']],
    ['limitranges', { metadata: { name: 'l' }, spec: { limits: [{ type: 'Container', default: { memory: '2Gi' }, max: { memory: '1Gi' } }] } }, ['spec.limits[0].default[memory]: Invalid value: "2Gi": default value 2Gi is greater than max value 1Gi']],
    ['leases', { metadata: { name: 'l' }, spec: { leaseDurationSeconds: 0 } }, ['spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0']],
    ['networkpolicies', { metadata: { name: 'n' }, spec: { policyTypes: ['Sideways'] } }, ['spec.policyTypes[0]: Unsupported value: "Sideways": supported values: "Egress", "Ingress"']],
    ['ingressclasses', { metadata: { name: 'nginx' }, spec: {} }, ['spec.controller: Required value']],
    ['replicationcontrollers', { metadata: { name: 'rc' }, spec: { selector: { app: 'a' }, template: { metadata: { labels: { app: 'b' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } } }, ['spec.template.metadata.labels: Invalid value: map[string]string{"app":"b"}: `selector` does not match template `labels`']],
    ['podtemplates', { metadata: { name: 't' }, template: { spec: { containers: [] } } }, ['template.spec.containers: Required value']],
    ['controllerrevisions', { metadata: { name: 'r' }, revision: -1 }, ['revision: Invalid value: -1: must be greater than or equal to 0']],
    ['namespaces', { metadata: { name: 'team.a' } }, ['metadata.name: Invalid value: "team.a": must not contain dots']],
    ['replicasets', { metadata: { name: 'rs' }, spec: { replicas: 1, selector: { matchLabels: { app: 'a' } }, template: { metadata: { labels: { app: 'a' } }, spec: { containers: [{ name: 'c', image: 'x' }], restartPolicy: 'Never' } } } }, ['spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"']],
    ['daemonsets', { metadata: { name: 'ds' }, spec: { selector: { matchLabels: { app: 'a' } }, updateStrategy: { type: 'Sometimes' }, template: { metadata: { labels: { app: 'a' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } } }, ['spec.updateStrategy.type: Unsupported value: "Sometimes": supported values: "OnDelete", "RollingUpdate"']],
    ['statefulsets', { metadata: { name: 'db' }, spec: { serviceName: 'db', podManagementPolicy: 'Random', selector: { matchLabels: { app: 'db' } }, template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } } }, ['spec.podManagementPolicy: Unsupported value: "Random": supported values: "OrderedReady", "Parallel"']],
    ['cronjobs', { metadata: { name: 'c' }, spec: { schedule: '* * * * *', concurrencyPolicy: 'Sometimes', jobTemplate: { spec: { template: { spec: { containers: [{ name: 'c', image: 'x' }], restartPolicy: 'OnFailure' } } } } } }, ['spec.concurrencyPolicy: Unsupported value: "Sometimes": supported values: "Allow", "Forbid", "Replace"']],
    ['endpointslices', { metadata: { name: 'e' }, addressType: 'IPv5', endpoints: [] }, ['addressType: Unsupported value: "IPv5": supported values: "FQDN", "IPv4", "IPv6"']],
    ['persistentvolumes', { metadata: { name: 'pv' }, spec: { accessModes: ['ReadWriteOnce'], hostPath: { path: '/data' } } }, ['spec.capacity: Required value: must specify a storage capacity']],
    ['storageclasses', { metadata: { name: 'fast' } }, ['provisioner: Required value']],
    ['poddisruptionbudgets', { metadata: { name: 'p' }, spec: { minAvailable: 1, maxUnavailable: 1, selector: { matchLabels: { app: 'a' } } } }, [expect.stringMatching(/^spec: Invalid value: .*: minAvailable and maxUnavailable cannot be both set$/)]],
    ['roles', { metadata: { name: 'r' }, rules: [{ apiGroups: [''], resources: ['pods'] }] }, ['rules[0].verbs: Required value: verbs must contain at least one value']],
    ['events', { metadata: { name: 'e', namespace: 'default' }, involvedObject: { kind: 'Pod', name: 'web', namespace: 'other' } }, ['involvedObject.namespace: Invalid value: "other": does not match event.namespace']],
  ])('%s %#', (resource, body, expected) => {
    const e = statusErrorOf(() => create(resource as string, body));
    expect(e.code).toBe(422);
    expect(e.reason).toBe('Invalid');
    expect(causes(e)).toEqual(expected);
    const t = type(resource as string);
    expect(e.message.startsWith(`${t.group === '' ? t.kind : `${t.kind}.${t.group}`} "`)).toBe(true);
  });

  it('reports a malformed quantity as upstream decoding does (400)', () => {
    const e = statusErrorOf(() => create('pods', pod({ containers: [{ name: 'a', image: 'x', resources: { limits: { memory: '1Gb' } } }] })));
    expect(e.code).toBe(400);
    expect(e.message).toBe(`Pod in version "v1" cannot be handled as a Pod: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`);
  });

  it('refuses a body for another apiVersion or namespace (400)', () => {
    expect(statusErrorOf(() => create('pods', { ...pod(), apiVersion: 'apps/v1' })).message).toBe('the API version in the data (apps/v1) does not match the expected API version (v1)');
    expect(statusErrorOf(() => create('pods', pod({}, { name: 'web', namespace: 'other' }))).message).toBe('the namespace of the provided object does not match the namespace sent on the request');
  });
});

describe('update', () => {
  const created = create('deployments', deployment()) as any;

  it('bumps generation on spec changes only, and keeps identity and status', () => {
    const withStatus = { ...created, status: { replicas: 1 } };
    const scaled = prepareUpdate(type('deployments'), { ...created, spec: { ...created.spec, replicas: 3 }, status: { replicas: 99 } }, withStatus, { namespace: 'default' }) as any;
    expect(scaled.metadata.generation).toBe(2);
    expect(scaled.status).toEqual({ replicas: 1 }); // status only changes through /status
    const relabelled = prepareUpdate(type('deployments'), { ...created, metadata: { ...created.metadata, labels: { x: 'y' } } }, created, { namespace: 'default' }) as any;
    expect(relabelled.metadata.generation).toBe(1);
    const status = prepareUpdate(type('deployments'), { ...created, spec: { ...created.spec, replicas: 7 }, status: { replicas: 3 } }, created, { namespace: 'default' }, { subresource: 'status' }) as any;
    expect(status.spec.replicas).toBe(1);
    expect(status.status).toEqual({ replicas: 3 });
  });

  it('refuses changes to immutable fields', () => {
    const selector = statusErrorOf(() => prepareUpdate(type('deployments'), { ...created, spec: { ...created.spec, selector: { matchLabels: { app: 'x' } }, template: { ...created.spec.template, metadata: { labels: { app: 'x' } } } } }, created, { namespace: 'default' }));
    expect(causes(selector)).toContain('spec.selector: Invalid value: {"matchLabels":{"app":"x"}}: field is immutable');
    const uid = statusErrorOf(() => prepareUpdate(type('deployments'), { ...created, metadata: { ...created.metadata, uid: 'other' } }, created, { namespace: 'default' }));
    expect(causes(uid)).toEqual(['metadata.uid: Invalid value: "other": field is immutable']);
    const p = create('pods', pod()) as any;
    const podChange = statusErrorOf(() => prepareUpdate(type('pods'), { ...p, spec: { ...p.spec, restartPolicy: 'Never' } }, p, { namespace: 'default' }));
    expect(causes(podChange)[0]).toMatch(/^spec: Forbidden: pod updates may not change fields other than `spec\.containers\[\*\]\.image`/);
    const imageChange = prepareUpdate(type('pods'), { ...p, spec: { ...p.spec, containers: [{ ...p.spec.containers[0], image: 'nginx:1.28' }] } }, p, { namespace: 'default' }) as any;
    expect(imageChange.spec.containers[0].image).toBe('nginx:1.28');
  });
});
