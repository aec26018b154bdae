import { describe, expect, it } from 'vitest';
import { Simulation } from '../../sim/index.js';
import { StatusError } from '../errors/status.js';
import { statusErrorOf } from '../errors/testing.js';
import { ApiServer } from './apiserver.js';
import type { ApiRequest, WatchEventOut } from './request.js';

const admin = { name: 'admin', groups: ['system:masters'] };

function server(seed = 1) {
  const sim = new Simulation({ seed });
  const rng = sim.random.stream('apiserver');
  const api = new ApiServer({ now: () => sim.now, random: () => rng.next() });
  api.bootstrap();
  const call = (r: Omit<ApiRequest, 'user' | 'version' | 'group'> & { group?: string; version?: string }) =>
    api.handle({ group: '', version: 'v1', user: admin, ...r } as ApiRequest).body as any;
  return { sim, api, call };
}


const podBody = (name: string, labels: Record<string, string> = {}, spec: Record<string, unknown> = {}) => ({ metadata: { name, labels }, spec: { containers: [{ name: 'c', image: 'nginx' }], ...spec } });
const deploymentBody = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } } };

describe('ApiServer', () => {
  it('an update or patch that changes nothing is not written: same resourceVersion, no watch event (upstream GuaranteedUpdate)', () => {
    const { call, api } = server();
    const created = call({ verb: 'create', resource: 'pods', namespace: 'default', body: podBody('web', { app: 'web' }) });
    const events: WatchEventOut[] = [];
    api.watch({ verb: 'watch', group: '', version: 'v1', resource: 'pods', namespace: 'default', user: admin, query: { resourceVersion: created.metadata.resourceVersion } }, (e) => events.push(e));
    // The same object with its keys in another order is the same object.
    const reordered = { spec: created.spec, metadata: { ...created.metadata, labels: { app: 'web' } }, kind: 'Pod', apiVersion: 'v1' };
    expect(call({ verb: 'update', resource: 'pods', namespace: 'default', name: 'web', body: reordered }).metadata.resourceVersion).toBe(created.metadata.resourceVersion);
    expect(call({ verb: 'patch', patchType: 'merge', resource: 'pods', namespace: 'default', name: 'web', body: { metadata: { labels: { app: 'web' } } } }).metadata.resourceVersion).toBe(created.metadata.resourceVersion);
    expect(events).toEqual([]);
    const changed = call({ verb: 'patch', patchType: 'merge', resource: 'pods', namespace: 'default', name: 'web', body: { metadata: { labels: { app: 'other' } } } });
    expect(Number(changed.metadata.resourceVersion)).toBeGreaterThan(Number(created.metadata.resourceVersion));
    expect(events.map((e) => e.type)).toEqual(['MODIFIED']);
    // A stale resourceVersion is still a conflict, even when nothing would change.
    expect(statusErrorOf(() => call({ verb: 'update', resource: 'pods', namespace: 'default', name: 'web', body: { ...reordered, metadata: { ...reordered.metadata, labels: { app: 'other' } } } })).code).toBe(409);
  });

  it('starts with the four initial namespaces', () => {
    const { call } = server();
    expect(call({ verb: 'list', resource: 'namespaces' }).items.map((n: any) => n.metadata.name)).toEqual(['default', 'kube-node-lease', 'kube-public', 'kube-system']);
  });

  it('creates objects with uid, timestamps and resourceVersion, and refuses duplicates and missing namespaces', () => {
    const { call, sim } = server();
    sim.advance(5_000);
    const pod = call({ verb: 'create', resource: 'pods', namespace: 'default', body: podBody('web') });
    expect(pod.metadata).toMatchObject({ name: 'web', namespace: 'default', creationTimestamp: '2026-01-01T00:00:05Z' });
    expect(pod.metadata.uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Number(pod.metadata.resourceVersion)).toBeGreaterThan(0);
    expect(statusErrorOf(() => call({ verb: 'create', resource: 'pods', namespace: 'default', body: podBody('web') })).message).toBe('pods "web" already exists');
    const missing = statusErrorOf(() => call({ verb: 'create', resource: 'pods', namespace: 'nope', body: podBody('web') }));
    expect([missing.code, missing.message]).toEqual([404, 'namespaces "nope" not found']);
    expect(statusErrorOf(() => call({ verb: 'get', resource: 'pods', namespace: 'default', name: 'x' })).message).toBe('pods "x" not found');
  });

  it('generates names deterministically from generateName', () => {
    const names = (seed: number) => {
      const { call } = server(seed);
      return [1, 2, 3].map(() => call({ verb: 'create', resource: 'pods', namespace: 'default', body: { metadata: { generateName: 'web-' }, spec: podBody('').spec } }).metadata.name);
    };
    expect(names(1)).toEqual(names(1));
    for (const n of names(1)) expect(n).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  it('refuses a stale resourceVersion with 409 and accepts an unconditional update', () => {
    const { call } = server();
    const cm = call({ verb: 'create', resource: 'configmaps', namespace: 'default', body: { metadata: { name: 'c' }, data: { a: '1' } } });
    call({ verb: 'update', resource: 'configmaps', namespace: 'default', name: 'c', body: { ...cm, data: { a: '2' } } });
    const stale = statusErrorOf(() => call({ verb: 'update', resource: 'configmaps', namespace: 'default', name: 'c', body: { ...cm, data: { a: '3' } } }));
    expect([stale.code, stale.message]).toEqual([409, 'Operation cannot be fulfilled on configmaps "c": the object has been modified; please apply your changes to the latest version and try again']);
    const { resourceVersion: _rv, ...meta } = cm.metadata;
    expect(call({ verb: 'update', resource: 'configmaps', namespace: 'default', name: 'c', body: { ...cm, metadata: meta, data: { a: '4' } } }).data).toEqual({ a: '4' });
  });

  it('patches with strategic merge and bumps generation only for spec changes', () => {
    const { call } = server();
    call({ verb: 'create', group: 'apps', resource: 'deployments', namespace: 'default', body: deploymentBody });
    const patched = call({ verb: 'patch', group: 'apps', resource: 'deployments', namespace: 'default', name: 'web', patchType: 'strategic', body: { spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx:1.28' }] } } } } });
    expect(patched.spec.template.spec.containers).toHaveLength(1);
    expect(patched.spec.template.spec.containers[0].image).toBe('nginx:1.28');
    expect(patched.metadata.generation).toBe(2);
    const labelled = call({ verb: 'patch', group: 'apps', resource: 'deployments', namespace: 'default', name: 'web', patchType: 'merge', body: { metadata: { labels: { team: 'a' } } } });
    expect(labelled.metadata.generation).toBe(2);
    const scale = call({ verb: 'update', group: 'apps', resource: 'deployments', namespace: 'default', name: 'web', subresource: 'scale', body: { spec: { replicas: 5 } } });
    expect(scale).toMatchObject({ kind: 'Scale', spec: { replicas: 5 }, status: { selector: 'app=web' } });
    expect(call({ verb: 'get', group: 'apps', resource: 'deployments', namespace: 'default', name: 'web' }).spec.replicas).toBe(5);
  });

  it('lists by label and field selector, pages on one revision, and refuses bad selectors with 400', () => {
    const { call } = server();
    for (let i = 0; i < 5; i++) call({ verb: 'create', resource: 'pods', namespace: 'default', body: podBody(`p${i}`, { tier: i % 2 ? 'db' : 'web' }, i < 2 ? { nodeName: 'node-1' } : {}) });
    expect(call({ verb: 'list', resource: 'pods', namespace: 'default', query: { labelSelector: 'tier=web' } }).items.map((p: any) => p.metadata.name)).toEqual(['p0', 'p2', 'p4']);
    expect(call({ verb: 'list', resource: 'pods', query: { fieldSelector: 'spec.nodeName=node-1' } }).items.map((p: any) => p.metadata.name)).toEqual(['p0', 'p1']);
    const page1 = call({ verb: 'list', resource: 'pods', namespace: 'default', query: { limit: 2 } });
    expect(page1.items).toHaveLength(2);
    call({ verb: 'create', resource: 'pods', namespace: 'default', body: podBody('p10') }); // sorts between p1 and p2, after the snapshot
    const page2 = call({ verb: 'list', resource: 'pods', namespace: 'default', query: { limit: 10, continue: page1.metadata.continue } });
    expect(page2.items.map((p: any) => p.metadata.name)).toEqual(['p2', 'p3', 'p4']);
    expect(page2.metadata.resourceVersion).toBe(page1.metadata.resourceVersion);
    expect(statusErrorOf(() => call({ verb: 'list', resource: 'pods', query: { fieldSelector: 'spec.foo=x' } })).message).toBe('field label not supported: spec.foo');
    expect(statusErrorOf(() => call({ verb: 'list', resource: 'pods', query: { labelSelector: 'a in b' } })).code).toBe(400);
  });

  it('watches from now (initial ADDED), from a revision, by node index, and answers a compacted revision with ERROR 410', () => {
    const { api, call } = server();
    call({ verb: 'create', resource: 'pods', namespace: 'default', body: podBody('a') });
    const all: WatchEventOut[] = [];
    const node: WatchEventOut[] = [];
    const w1 = api.watch({ verb: 'watch', group: '', version: 'v1', resource: 'pods', user: admin }, (e) => all.push(e));
    api.watch({ verb: 'watch', group: '', version: 'v1', resource: 'pods', user: admin, query: { fieldSelector: 'spec.nodeName=node-1', resourceVersion: String(api.store.revision) } }, (e) => node.push(e));
    call({ verb: 'create', resource: 'pods', namespace: 'default', body: podBody('b') });
    call({ verb: 'create', resource: 'pods', namespace: 'default', name: 'b', subresource: 'binding', body: { target: { kind: 'Node', name: 'node-1' } } });
    expect(all.map((e) => `${e.type} ${e.object.metadata!.name}`)).toEqual(['ADDED a', 'ADDED b', 'MODIFIED b']);
    expect(node.map((e) => `${e.type} ${e.object.metadata!.name}`)).toEqual(['ADDED b']);
    w1.stop();
    const again = statusErrorOf(() => call({ verb: 'create', resource: 'pods', namespace: 'default', name: 'b', subresource: 'binding', body: { target: { kind: 'Node', name: 'node-2' } } }));
    expect(again.message).toBe('Operation cannot be fulfilled on pods/binding "b": pod b is already assigned to node "node-1"');
    api.store.compact(api.store.revision);
    const expired: WatchEventOut[] = [];
    api.watch({ verb: 'watch', group: '', version: 'v1', resource: 'pods', user: admin, query: { resourceVersion: '1' } }, (e) => expired.push(e));
    expect(expired).toHaveLength(1);
    expect(expired[0]).toMatchObject({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired' } });
  });

  it('deletes a scheduled pod gracefully and an unscheduled one at once', () => {
    const { call, sim } = server();
    call({ verb: 'create', resource: 'pods', namespace: 'default', body: podBody('bound', {}, { nodeName: 'node-1' }) });
    call({ verb: 'create', resource: 'pods', namespace: 'default', body: podBody('pending') });
    sim.advance(1000);
    const graceful = call({ verb: 'delete', resource: 'pods', namespace: 'default', name: 'bound' });
    expect(graceful.metadata).toMatchObject({ deletionTimestamp: '2026-01-01T00:00:31Z', deletionGracePeriodSeconds: 30 });
    expect(call({ verb: 'get', resource: 'pods', namespace: 'default', name: 'bound' }).metadata.deletionTimestamp).toBeDefined();
    call({ verb: 'delete', resource: 'pods', namespace: 'default', name: 'bound', query: { gracePeriodSeconds: 0 } });
    expect(statusErrorOf(() => call({ verb: 'get', resource: 'pods', namespace: 'default', name: 'bound' })).code).toBe(404);
    call({ verb: 'delete', resource: 'pods', namespace: 'default', name: 'pending' });
    expect(statusErrorOf(() => call({ verb: 'get', resource: 'pods', namespace: 'default', name: 'pending' })).code).toBe(404);
  });

  it('holds objects with finalizers until the last one is removed, and adds the propagation finalizer', () => {
    const { call } = server();
    call({ verb: 'create', resource: 'configmaps', namespace: 'default', body: { metadata: { name: 'c', finalizers: ['example.com/hold'] } } });
    const held = call({ verb: 'delete', resource: 'configmaps', namespace: 'default', name: 'c', query: { propagationPolicy: 'Foreground' } });
    expect(held.metadata.finalizers).toEqual(['example.com/hold', 'foregroundDeletion']);
    expect(held.metadata.deletionTimestamp).toBeDefined();
    const current = call({ verb: 'get', resource: 'configmaps', namespace: 'default', name: 'c' });
    call({ verb: 'update', resource: 'configmaps', namespace: 'default', name: 'c', body: { ...current, metadata: { ...current.metadata, finalizers: [] } } });
    expect(statusErrorOf(() => call({ verb: 'get', resource: 'configmaps', namespace: 'default', name: 'c' })).code).toBe(404);
    call({ verb: 'create', resource: 'configmaps', namespace: 'default', body: { metadata: { name: 'd' } } });
    const pre = statusErrorOf(() => call({ verb: 'delete', resource: 'configmaps', namespace: 'default', name: 'd', preconditions: { uid: 'x' } }));
    expect(pre.message).toMatch(/^Operation cannot be fulfilled on configmaps "d": Precondition failed: UID in precondition: x, UID in object meta: [0-9a-f-]+$/);
    expect(call({ verb: 'delete', resource: 'configmaps', namespace: 'default', name: 'd' })).toMatchObject({ kind: 'Status', status: 'Success', details: { name: 'd', kind: 'configmaps' } });
  });

  it('keeps a deleted namespace Terminating and refuses new content in it (403)', () => {
    const { call } = server();
    call({ verb: 'create', resource: 'namespaces', body: { metadata: { name: 'team' } } });
    const ns = call({ verb: 'delete', resource: 'namespaces', name: 'team' });
    expect(ns.status.phase).toBe('Terminating');
    const refused = statusErrorOf(() => call({ verb: 'create', resource: 'configmaps', namespace: 'team', body: { metadata: { name: 'x' } } }));
    expect([refused.code, refused.message]).toEqual([403, 'configmaps "x" is forbidden: unable to create new content in namespace team because it is being terminated']);
  });

  it('changes only status through /status, and never persists a dry run', () => {
    const { call } = server();
    call({ verb: 'create', resource: 'pods', namespace: 'default', body: podBody('p') });
    const p = call({ verb: 'get', resource: 'pods', namespace: 'default', name: 'p' });
    const updated = call({ verb: 'update', resource: 'pods', namespace: 'default', name: 'p', subresource: 'status', body: { ...p, spec: { ...p.spec, nodeName: 'x' }, status: { phase: 'Running' } } });
    expect(updated.status.phase).toBe('Running');
    expect(updated.spec.nodeName).toBeUndefined();
    call({ verb: 'create', resource: 'configmaps', namespace: 'default', body: { metadata: { name: 'dry' } }, query: { dryRun: true } });
    expect(statusErrorOf(() => call({ verb: 'get', resource: 'configmaps', namespace: 'default', name: 'dry' })).code).toBe(404);
  });

  it('evicts a pod only when its disruption budget allows, using up one disruption (429 otherwise)', () => {
    const { call } = server();
    const running = (name: string) => {
      call({ verb: 'create', resource: 'pods', namespace: 'default', body: podBody(name, { app: 'db' }, { nodeName: 'node-1' }) });
      const p = call({ verb: 'get', resource: 'pods', namespace: 'default', name });
      call({ verb: 'update', resource: 'pods', namespace: 'default', name, subresource: 'status', body: { ...p, status: { phase: 'Running' } } });
    };
    running('db-0');
    running('db-1');
    call({ verb: 'create', group: 'policy', resource: 'poddisruptionbudgets', namespace: 'default', body: { metadata: { name: 'db' }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'db' } } } } });
    const pdb = call({ verb: 'get', group: 'policy', resource: 'poddisruptionbudgets', namespace: 'default', name: 'db' });
    call({ verb: 'update', group: 'policy', resource: 'poddisruptionbudgets', namespace: 'default', name: 'db', subresource: 'status', body: { ...pdb, status: { currentHealthy: 2, desiredHealthy: 1, expectedPods: 2, disruptionsAllowed: 1, observedGeneration: 1 } } });
    const evicted = call({ verb: 'create', resource: 'pods', namespace: 'default', name: 'db-0', subresource: 'eviction', body: { metadata: { name: 'db-0' }, deleteOptions: { gracePeriodSeconds: 0 } } });
    expect(evicted).toMatchObject({ kind: 'Status', status: 'Success', code: 201 });
    expect(statusErrorOf(() => call({ verb: 'get', resource: 'pods', namespace: 'default', name: 'db-0' })).code).toBe(404);
    const after = call({ verb: 'get', group: 'policy', resource: 'poddisruptionbudgets', namespace: 'default', name: 'db' });
    expect(after.status.disruptionsAllowed).toBe(0);
    expect(Object.keys(after.status.disruptedPods)).toEqual(['db-0']);
    const refused = statusErrorOf(() => call({ verb: 'create', resource: 'pods', namespace: 'default', name: 'db-1', subresource: 'eviction', body: { metadata: { name: 'db-1' } } }));
    expect([refused.code, refused.reason, refused.message]).toEqual([429, 'TooManyRequests', "Cannot evict pod as it would violate the pod's disruption budget."]);
    expect(refused.status.details?.causes).toEqual([{ reason: 'DisruptionBudget', message: 'The disruption budget db needs 1 healthy pods and has 2 currently' }]);
  });

  it('reports unknown fields: Strict refuses, Warn drops with a warning, Ignore drops', () => {
    const { api } = server();
    const body = { metadata: { name: 'typo' }, spec: { containers: [{ name: 'c', image: 'nginx', imagee: 'x' }], restartPolcy: 'Never' } };
    const req = (name: string, fieldValidation: 'Strict' | 'Warn' | 'Ignore') => ({ verb: 'create' as const, group: '', version: 'v1', resource: 'pods', namespace: 'default', user: admin, body: { ...body, metadata: { name } }, query: { fieldValidation } });
    const strict = statusErrorOf(() => api.handle(req('s', 'Strict')));
    expect([strict.code, strict.message]).toEqual([400, 'Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.containers[0].imagee", unknown field "spec.restartPolcy"']);
    const warned = api.handle(req('w', 'Warn'));
    expect(warned.warnings).toEqual(['unknown field "spec.containers[0].imagee"', 'unknown field "spec.restartPolcy"']);
    expect((warned.body as any).spec.containers[0].imagee).toBeUndefined();
    const ignored = api.handle(req('i', 'Ignore'));
    expect(ignored.warnings).toBeUndefined();
    expect((ignored.body as any).spec.restartPolcy).toBeUndefined();
    const deep = statusErrorOf(() => api.handle({ verb: 'create', group: 'apps', version: 'v1', resource: 'deployments', namespace: 'default', user: admin, query: { fieldValidation: 'Strict' }, body: { ...deploymentBody, spec: { ...deploymentBody.spec, template: { ...deploymentBody.spec.template, spec: { containers: [{ name: 'c', image: 'nginx', port: 80 }] } } } } }));
    expect(deep.message).toBe('Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.template.spec.containers[0].port"');
  });

  it('serves custom resources once their CRD exists', () => {
    const { call } = server();
    call({
      verb: 'create',
      group: 'apiextensions.k8s.io',
      resource: 'customresourcedefinitions',
      body: { metadata: { name: 'crontabs.stable.example.com' }, spec: { group: 'stable.example.com', scope: 'Namespaced', names: { plural: 'crontabs', singular: 'crontab', kind: 'CronTab', shortNames: ['ct'] }, versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { cronSpec: { type: 'string' } } } } } } }] } },
    });
    const ct = call({ verb: 'create', group: 'stable.example.com', resource: 'crontabs', namespace: 'default', body: { apiVersion: 'stable.example.com/v1', kind: 'CronTab', metadata: { name: 'c1' }, spec: { cronSpec: '* * * * */5' } } });
    expect(ct.metadata.generation).toBe(1);
    expect(call({ verb: 'list', group: 'stable.example.com', resource: 'crontabs', namespace: 'default' }).items.map((c: any) => c.spec.cronSpec)).toEqual(['* * * * */5']);
  });
});
