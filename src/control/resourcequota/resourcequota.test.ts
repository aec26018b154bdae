import { describe, expect, it } from 'vitest';
import { adminCall, controlPlaneWorld } from '../../client/testing.js';
import { ResourceQuotaController } from './controller.js';

describe('ResourceQuota controller (upstream pkg/controller/resourcequota)', () => {
  it('status.used follows the pods (requests, limits, counts) and objects of the namespace', () => {
    const cp = controlPlaneWorld('quota', []);
    const call = adminCall(cp);
    new ResourceQuotaController(cp.world.host('cp-0'), cp.client('cp-0', 'kcm-token')).start();
    call({ verb: 'create', group: '', version: 'v1', resource: 'resourcequotas', namespace: 'default', body: { metadata: { name: 'q' }, spec: { hard: { pods: '10', 'requests.cpu': '4', 'limits.memory': '8Gi', configmaps: '5' } } } });
    const pod = (name: string, cpu: string, memory: string) => ({ metadata: { name }, spec: { containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu }, limits: { memory } } }] } });
    call({ verb: 'create', group: '', version: 'v1', resource: 'pods', namespace: 'default', body: pod('a', '500m', '1Gi') });
    call({ verb: 'create', group: '', version: 'v1', resource: 'pods', namespace: 'default', body: pod('b', '250m', '512Mi') });
    call({ verb: 'create', group: '', version: 'v1', resource: 'configmaps', namespace: 'default', body: { metadata: { name: 'cm' } } });
    cp.world.sim.advance(2_000);
    const q = call({ verb: 'get', group: '', version: 'v1', resource: 'resourcequotas', namespace: 'default', name: 'q' }).b;
    expect(q.status.hard).toEqual({ pods: '10', 'requests.cpu': '4', 'limits.memory': '8Gi', configmaps: '5' });
    // Two ConfigMaps: cm, and kube-root-ca.crt which every namespace has.
    expect(q.status.used).toEqual({ pods: '2', 'requests.cpu': '750m', 'limits.memory': '1536Mi', configmaps: '2' });
  });
});
