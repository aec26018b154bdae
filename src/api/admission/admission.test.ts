import { describe, expect, it } from 'vitest';
import { Simulation } from '../../sim/index.js';
import { StatusError } from '../errors/status.js';
import { podResourceTotal } from '../kinds/pod-resources.js';
import { statusErrorOf } from '../errors/testing.js';
import { ApiServer } from '../server/apiserver.js';
import type { ApiRequest } from '../server/request.js';

function server() {
  const sim = new Simulation({ seed: 9 });
  const rng = sim.random.stream('apiserver');
  const api = new ApiServer({ now: () => sim.now, random: () => rng.next() });
  api.bootstrap();
  const call = (r: Partial<ApiRequest>) => api.handle({ group: '', version: 'v1', user: { name: 'admin', groups: ['system:masters'] }, namespace: 'default', ...r } as ApiRequest).body as any;
  return { call };
}

const pod = (name: string, container: Record<string, unknown> = {}, spec: Record<string, unknown> = {}) => ({ metadata: { name }, spec: { containers: [{ name: 'app', image: 'nginx', ...container }], ...spec } });


describe('admission', () => {
  it('ServiceAccount: runs pods as default and mounts the kube-api-access volume', () => {
    const { call } = server();
    const p = call({ verb: 'create', resource: 'pods', body: pod('web') });
    expect(p.spec.serviceAccountName).toBe('default');
    const volume = p.spec.volumes.find((v: any) => v.name.startsWith('kube-api-access-'));
    expect(volume.name).toMatch(/^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(volume.projected.sources.map((s: any) => Object.keys(s)[0])).toEqual(['serviceAccountToken', 'configMap', 'downwardAPI']);
    expect(p.spec.containers[0].volumeMounts).toEqual([{ name: volume.name, readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }]);
    const opted = call({ verb: 'create', resource: 'pods', body: pod('no-token', {}, { automountServiceAccountToken: false }) });
    expect(opted.spec.volumes).toBeUndefined();
  });

  it('ServiceAccount: refuses a pod whose account does not exist (403)', () => {
    const { call } = server();
    call({ verb: 'create', resource: 'namespaces', namespace: undefined, body: { metadata: { name: 'fresh' } } });
    const e = statusErrorOf(() => call({ verb: 'create', resource: 'pods', namespace: 'fresh', body: pod('web') }));
    expect([e.code, e.message]).toEqual([403, 'pods "web" is forbidden: error looking up service account fresh/default: serviceaccount "default" not found']);
  });

  it('DefaultTolerationSeconds: adds 300 s not-ready and unreachable tolerations unless the pod has its own', () => {
    const { call } = server();
    const p = call({ verb: 'create', resource: 'pods', body: pod('web') });
    expect(p.spec.tolerations).toEqual([
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ]);
    const own = call({ verb: 'create', resource: 'pods', body: pod('patient', {}, { tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 6000 }] }) });
    expect(own.spec.tolerations.map((t: any) => `${t.key}=${t.tolerationSeconds}`)).toEqual(['node.kubernetes.io/unreachable=6000', 'node.kubernetes.io/not-ready=300']);
  });

  it('Priority: resolves the class, defaults to 0, and refuses an unknown class', () => {
    const { call } = server();
    expect(call({ verb: 'create', resource: 'pods', body: pod('plain') }).spec).toMatchObject({ priority: 0, preemptionPolicy: 'PreemptLowerPriority' });
    expect(call({ verb: 'create', resource: 'pods', body: pod('crit', {}, { priorityClassName: 'system-node-critical' }) }).spec.priority).toBe(2000001000);
    expect(statusErrorOf(() => call({ verb: 'create', resource: 'pods', body: pod('x', {}, { priorityClassName: 'gold' }) })).message).toBe('pods "x" is forbidden: no PriorityClass with name gold was found');
    call({ verb: 'create', group: 'scheduling.k8s.io', resource: 'priorityclasses', namespace: undefined, body: { metadata: { name: 'normal' }, value: 1000, globalDefault: true } });
    expect(call({ verb: 'create', resource: 'pods', body: pod('defaulted') }).spec).toMatchObject({ priority: 1000, priorityClassName: 'normal' });
  });

  it('LimitRanger: fills default requests and limits (changing the QoS class) and enforces max', () => {
    const { call } = server();
    call({ verb: 'create', resource: 'limitranges', body: { metadata: { name: 'limits' }, spec: { limits: [{ type: 'Container', default: { cpu: '500m', memory: '256Mi' }, defaultRequest: { cpu: '250m', memory: '128Mi' }, max: { memory: '1Gi' } }] } } });
    const p = call({ verb: 'create', resource: 'pods', body: pod('web') });
    expect(p.spec.containers[0].resources).toEqual({ limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '250m', memory: '128Mi' } });
    expect(p.status.qosClass).toBe('Burstable');
    const big = statusErrorOf(() => call({ verb: 'create', resource: 'pods', body: pod('big', { resources: { limits: { memory: '2Gi' } } }) }));
    expect(big.message).toBe('pods "big" is forbidden: maximum memory usage per Container is 1Gi, but limit is 2Gi');
  });

  it('ResourceQuota: refuses what would exceed the quota, with upstream message', () => {
    const { call } = server();
    call({ verb: 'create', resource: 'resourcequotas', body: { metadata: { name: 'compute' }, spec: { hard: { 'requests.cpu': '1', pods: '2', 'count/configmaps': '2' } } } });
    const need = statusErrorOf(() => call({ verb: 'create', resource: 'pods', body: pod('web') }));
    expect(need.message).toBe('pods "web" is forbidden: failed quota: compute: must specify requests.cpu for: app');
    call({ verb: 'create', resource: 'pods', body: pod('a', { resources: { requests: { cpu: '600m' } } }) });
    const over = statusErrorOf(() => call({ verb: 'create', resource: 'pods', body: pod('b', { resources: { requests: { cpu: '500m' } } }) }));
    expect([over.code, over.message]).toEqual([403, 'pods "b" is forbidden: exceeded quota: compute, requested: requests.cpu=500m, used: requests.cpu=600m, limited: requests.cpu=1']);
    call({ verb: 'create', resource: 'configmaps', body: { metadata: { name: 'c1' } } });
    const count = statusErrorOf(() => call({ verb: 'create', resource: 'configmaps', body: { metadata: { name: 'c2' } } }));
    expect(count.message).toBe('configmaps "c2" is forbidden: exceeded quota: compute, requested: count/configmaps=1, used: count/configmaps=2, limited: count/configmaps=2');
  });
});

describe('pod resource totals (upstream PodRequests/PodLimits), shared by ResourceQuota and kubelet admission', () => {
  it('the larger of containers plus sidecars and the biggest init container, plus overhead', () => {
    const pod = {
      spec: {
        initContainers: [{ name: 'i', resources: { requests: { cpu: '3' } } }, { name: 'side', restartPolicy: 'Always', resources: { requests: { cpu: '500m' } } }],
        containers: [{ name: 'a', resources: { requests: { cpu: '1' } } }, { name: 'b', resources: { limits: { cpu: '1' } } }],
        overhead: { cpu: '250m' },
      },
    };
    expect(podResourceTotal(pod as never, 'requests', 'cpu')).toBe(3.25);
    expect(podResourceTotal(pod as never, 'limits', 'cpu')).toBe(1.25);
  });
});
