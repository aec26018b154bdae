import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/registry/types.js';
import type { ClientRequest } from '../client/index.js';
import { controlPlaneWorld } from '../client/testing.js';
import { GarbageCollector } from './garbage-collector.js';
import { NamespaceController } from './namespace.js';
import { ServiceAccountsController } from './serviceaccount.js';
import { RootCACertPublisher } from './root-ca.js';

function cluster(seed = 1) {
  const cp = controlPlaneWorld(seed);
  const kcm = cp.client('cp-0', 'kcm-token');
  const admin = cp.client('node-1');
  const { world, gateway } = cp;
  const registry = gateway.api.registry;
  new GarbageCollector(world.host('cp-0'), kcm, registry).start();
  new NamespaceController(world.host('cp-0'), kcm, registry).start();
  new ServiceAccountsController(world.host('cp-0'), kcm).start();
  new RootCACertPublisher(world.host('cp-0'), kcm).start();
  const call = (r: Partial<ClientRequest>): KubeObject => {
    let out: KubeObject | undefined;
    let err: unknown;
    admin.request({ group: '', version: 'v1', ...r } as ClientRequest, (e, b) => {
      err = e;
      out = b;
    });
    world.sim.advance(50);
    if (err) throw err;
    return out!;
  };
  const exists = (resource: string, namespace: string | undefined, name: string): boolean =>
    gateway.api.store.get(resource, namespace === undefined ? name : `${namespace}/${name}`) !== undefined;
  return { world, call, exists, gateway };
}

const ref = (o: KubeObject, extra: Record<string, unknown> = {}) => ({ apiVersion: 'v1', kind: 'ConfigMap', name: o.metadata!.name, uid: o.metadata!['uid'], ...extra });

describe('ServiceAccount controller', () => {
  it('gives every namespace a default ServiceAccount, and puts it back if deleted', () => {
    const { world, call, exists } = cluster();
    call({ verb: 'create', resource: 'namespaces', body: { metadata: { name: 'team' } } });
    world.sim.advance(1000);
    expect(exists('serviceaccounts', 'team', 'default')).toBe(true);
    expect(exists('serviceaccounts', 'kube-system', 'default')).toBe(true);
    expect(exists('configmaps', 'team', 'kube-root-ca.crt')).toBe(true); // root-ca-cert-publisher
    call({ verb: 'delete', resource: 'serviceaccounts', namespace: 'team', name: 'default' });
    world.sim.advance(1000);
    expect(exists('serviceaccounts', 'team', 'default')).toBe(true);
  });
});

describe('namespace controller', () => {
  it('empties a deleted namespace, then removes it', () => {
    const { world, call, exists } = cluster();
    call({ verb: 'create', resource: 'namespaces', body: { metadata: { name: 'team' } } });
    call({ verb: 'create', resource: 'configmaps', namespace: 'team', body: { metadata: { name: 'c' } } });
    call({ verb: 'create', resource: 'pods', namespace: 'team', body: { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } });
    world.sim.advance(1000);
    call({ verb: 'delete', resource: 'namespaces', name: 'team' });
    expect((call({ verb: 'get', resource: 'namespaces', name: 'team' })['status'] as { phase: string }).phase).toBe('Terminating');
    world.sim.advance(30_000);
    expect(exists('configmaps', 'team', 'c')).toBe(false);
    expect(exists('pods', 'team', 'p')).toBe(false);
    expect(exists('namespaces', undefined, 'team')).toBe(false);
  });
});

describe('garbage collector', () => {
  function family(call: (r: Partial<ClientRequest>) => KubeObject, blocking = false) {
    const owner = call({ verb: 'create', resource: 'configmaps', namespace: 'default', body: { metadata: { name: 'owner' } } });
    for (const n of ['d1', 'd2']) {
      call({ verb: 'create', resource: 'secrets', namespace: 'default', body: { metadata: { name: n, ownerReferences: [ref(owner, blocking ? { blockOwnerDeletion: true, controller: n === 'd1' } : {})] } } });
    }
    return owner;
  }

  it('deletes dependents after their owner is deleted in the background', () => {
    const { world, call, exists } = cluster();
    family(call);
    world.sim.advance(1000);
    call({ verb: 'delete', resource: 'configmaps', namespace: 'default', name: 'owner' });
    expect(exists('configmaps', 'default', 'owner')).toBe(false);
    world.sim.advance(5000);
    expect(exists('secrets', 'default', 'd1')).toBe(false);
    expect(exists('secrets', 'default', 'd2')).toBe(false);
  });

  it('orphans dependents: they stay, without the reference', () => {
    const { world, call, exists, gateway } = cluster();
    family(call);
    world.sim.advance(1000);
    call({ verb: 'delete', resource: 'configmaps', namespace: 'default', name: 'owner', query: { propagationPolicy: 'Orphan' } });
    world.sim.advance(5000);
    expect(exists('configmaps', 'default', 'owner')).toBe(false);
    expect(gateway.api.store.get('secrets', 'default/d1')?.metadata?.['ownerReferences']).toEqual([]);
    expect(exists('secrets', 'default', 'd2')).toBe(true);
  });

  it('in the foreground, keeps the owner until blocking dependents are gone', () => {
    const { world, call, gateway } = cluster();
    family(call, true);
    world.sim.advance(1000);
    const order: string[] = [];
    gateway.api.watch({ verb: 'watch', group: '', version: 'v1', resource: 'secrets', user: { name: 'x', groups: ['system:masters'] }, query: { resourceVersion: String(gateway.api.store.revision) } }, (e) => e.type === 'DELETED' && order.push(`secret ${e.object.metadata!.name}`));
    gateway.api.watch({ verb: 'watch', group: '', version: 'v1', resource: 'configmaps', user: { name: 'x', groups: ['system:masters'] }, query: { resourceVersion: String(gateway.api.store.revision) } }, (e) => e.type === 'DELETED' && order.push(`configmap ${e.object.metadata!.name}`));
    const held = call({ verb: 'delete', resource: 'configmaps', namespace: 'default', name: 'owner', query: { propagationPolicy: 'Foreground' } });
    expect(held.metadata!['finalizers']).toEqual(['foregroundDeletion']);
    world.sim.advance(5000);
    expect(order.slice().sort()).toEqual(['configmap owner', 'secret d1', 'secret d2']);
    expect(order[2]).toBe('configmap owner');
  });

  it('removes a dangling reference when another owner remains, and deletes when no owner ever existed', () => {
    const { world, call, exists, gateway } = cluster();
    const a = call({ verb: 'create', resource: 'configmaps', namespace: 'default', body: { metadata: { name: 'a' } } });
    const b = call({ verb: 'create', resource: 'configmaps', namespace: 'default', body: { metadata: { name: 'b' } } });
    call({ verb: 'create', resource: 'secrets', namespace: 'default', body: { metadata: { name: 'shared', ownerReferences: [ref(a), ref(b)] } } });
    call({ verb: 'create', resource: 'secrets', namespace: 'default', body: { metadata: { name: 'ghost', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'never', uid: 'nope' }] } } });
    call({ verb: 'create', resource: 'namespaces', body: { metadata: { name: 'other' } } });
    call({ verb: 'create', resource: 'secrets', namespace: 'other', body: { metadata: { name: 'foreign', ownerReferences: [ref(a)] } } });
    world.sim.advance(1000);
    call({ verb: 'delete', resource: 'configmaps', namespace: 'default', name: 'a' });
    world.sim.advance(5000);
    expect((gateway.api.store.get('secrets', 'default/shared')?.metadata?.['ownerReferences'] as Array<{ name: string }>).map((r) => r.name)).toEqual(['b']);
    expect(exists('secrets', 'default', 'ghost')).toBe(false);
    expect(exists('secrets', 'other', 'foreign')).toBe(false); // owners never cross namespaces
  });
});
