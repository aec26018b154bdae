import { describe, expect, it } from 'vitest';
import { Simulation } from '../../sim/index.js';
import { identities } from '../auth/index.js';
import { StatusError } from '../errors/status.js';
import { statusErrorOf } from '../errors/testing.js';
import { ApiServer } from './apiserver.js';
import { ApiGateway, type IncomingRequest } from './gateway.js';

function cluster() {
  const sim = new Simulation({ seed: 3 });
  const rng = sim.random.stream('apiserver');
  const gw = new ApiGateway(new ApiServer({ now: () => sim.now, random: () => rng.next() }));
  gw.bootstrap();
  gw.authenticator.add('admin-token', identities.admin());
  gw.authenticator.add('node-1-token', identities.node('node-1'));
  gw.authenticator.add('node-2-token', identities.node('node-2'));
  gw.authenticator.add('alice-token', { name: 'alice', groups: [] });
  gw.authenticator.add('sched-token', identities.scheduler());
  const call = (token: string | undefined, r: Partial<IncomingRequest>) =>
    gw.handle({ group: '', version: 'v1', verb: 'get', resource: 'pods', ...(token !== undefined && { authorization: `Bearer ${token}` }), ...r } as IncomingRequest).body as any;
  call('admin-token', { verb: 'create', resource: 'pods', namespace: 'default', body: { metadata: { name: 'web' }, spec: { nodeName: 'node-1', containers: [{ name: 'c', image: 'nginx', env: [{ name: 'P', valueFrom: { secretKeyRef: { name: 'db', key: 'p' } } }] }] } } });
  call('admin-token', { verb: 'create', resource: 'secrets', namespace: 'default', body: { metadata: { name: 'db' }, stringData: { p: 'x' } } });
  return { gw, call };
}


describe('authentication and authorization', () => {
  it('answers a missing or unknown token with 401 Unauthorized', () => {
    const { call } = cluster();
    for (const token of [undefined, 'wrong']) {
      const e = statusErrorOf(() => call(token, { verb: 'list', resource: 'pods' }));
      expect([e.code, e.reason, e.message]).toEqual([401, 'Unauthorized', 'Unauthorized']);
    }
  });

  it('forbids what no role grants, with upstream message text (403)', () => {
    const { call } = cluster();
    const ns = statusErrorOf(() => call('alice-token', { verb: 'list', resource: 'pods', namespace: 'default' }));
    expect([ns.code, ns.message]).toEqual([403, 'pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "default"']);
    const cluster_ = statusErrorOf(() => call('alice-token', { verb: 'get', resource: 'nodes', name: 'node-1' }));
    expect(cluster_.message).toBe('nodes "node-1" is forbidden: User "alice" cannot get resource "nodes" in API group "" at the cluster scope');
    const sub = statusErrorOf(() => call('alice-token', { verb: 'get', resource: 'pods', namespace: 'default', name: 'web', subresource: 'log' }));
    expect(sub.message).toBe('pods "web" is forbidden: User "alice" cannot get resource "pods/log" in API group "" in the namespace "default"');
  });

  it('grants through a RoleBinding to a ClusterRole, only in that namespace', () => {
    const { call } = cluster();
    call('admin-token', { verb: 'create', group: 'rbac.authorization.k8s.io', resource: 'rolebindings', namespace: 'default', body: { metadata: { name: 'alice-view' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' }, subjects: [{ kind: 'User', name: 'alice' }] } });
    expect(call('alice-token', { verb: 'list', resource: 'pods', namespace: 'default' }).items).toHaveLength(1);
    expect(statusErrorOf(() => call('alice-token', { verb: 'delete', resource: 'pods', namespace: 'default', name: 'web' })).code).toBe(403);
    expect(statusErrorOf(() => call('alice-token', { verb: 'list', resource: 'pods', namespace: 'kube-system' })).code).toBe(403);
  });

  it('lets the scheduler bind pods but not delete deployments', () => {
    const { call } = cluster();
    call('admin-token', { verb: 'create', resource: 'pods', namespace: 'default', body: { metadata: { name: 'pending' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } });
    call('sched-token', { verb: 'create', resource: 'pods', namespace: 'default', name: 'pending', subresource: 'binding', body: { target: { kind: 'Node', name: 'node-2' } } });
    expect(statusErrorOf(() => call('sched-token', { verb: 'delete', group: 'apps', resource: 'deployments', namespace: 'default', name: 'x' })).code).toBe(403);
  });

  it('a node cannot modify another node, or another node\'s pods (NodeRestriction)', () => {
    const { call } = cluster();
    const pod = call('node-1-token', { verb: 'get', resource: 'pods', namespace: 'default', name: 'web' });
    expect(pod.metadata.name).toBe('web');
    const status = statusErrorOf(() => call('node-2-token', { verb: 'update', resource: 'pods', namespace: 'default', name: 'web', subresource: 'status', body: { ...pod, status: { phase: 'Failed' } } }));
    expect([status.code, status.message]).toEqual([403, 'pods "web" is forbidden: node "node-2" can only update pod status for pods with spec.nodeName set to itself']);
    const del = statusErrorOf(() => call('node-2-token', { verb: 'delete', resource: 'pods', namespace: 'default', name: 'web' }));
    expect(del.message).toBe('pods "web" is forbidden: node "node-2" can only delete pods with spec.nodeName set to itself');
    expect(call('node-1-token', { verb: 'update', resource: 'pods', namespace: 'default', name: 'web', subresource: 'status', body: { ...pod, status: { phase: 'Running' } } }).status.phase).toBe('Running');
    const node = statusErrorOf(() => call('node-2-token', { verb: 'patch', resource: 'nodes', name: 'node-1', patchType: 'merge', body: { metadata: { labels: { a: 'b' } } } }));
    expect(node.message).toBe('nodes "node-1" is forbidden: node "node-2" is not allowed to modify node "node-1"');
  });

  it('lets a node read only the secrets its own pods use (Node authorizer)', () => {
    const { call } = cluster();
    expect(call('node-1-token', { verb: 'get', resource: 'secrets', namespace: 'default', name: 'db' }).metadata.name).toBe('db');
    const other = statusErrorOf(() => call('node-2-token', { verb: 'get', resource: 'secrets', namespace: 'default', name: 'db' }));
    expect(other.message).toBe(
      'secrets "db" is forbidden: User "system:node:node-2" cannot get resource "secrets" in API group "" in the namespace "default": no relationship found between node \'node-2\' and this object',
    );
  });

  it('lets a node read the ConfigMaps its pods project into volumes (kube-api-access; upstream podutil.VisitPodConfigmapNames)', () => {
    const { call } = cluster();
    expect(call('node-1-token', { verb: 'get', resource: 'configmaps', namespace: 'default', name: 'kube-root-ca.crt' }).metadata.name).toBe('kube-root-ca.crt');
    expect(statusErrorOf(() => call('node-2-token', { verb: 'get', resource: 'configmaps', namespace: 'default', name: 'kube-root-ca.crt' })).code).toBe(403);
  });
});
