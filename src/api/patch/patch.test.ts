import { describe, expect, it } from 'vitest';
import { applyPatch } from './apply.js';
import { StatusError } from '../errors/status.js';

// The Deployment of kubernetes.io "Update API Objects in Place Using kubectl patch".
const patchDemo = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'patch-demo', finalizers: ['a', 'b'] },
  spec: {
    replicas: 2,
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
    template: {
      metadata: { labels: { app: 'nginx' } },
      spec: {
        containers: [{ name: 'patch-demo-ctr', image: 'nginx', env: [{ name: 'A', value: '1' }], ports: [{ containerPort: 80 }] }],
        tolerations: [{ effect: 'NoSchedule', key: 'dedicated', value: 'test-team' }],
        volumes: [{ name: 'data', emptyDir: {} }],
      },
    },
  },
};

const spec = (o: unknown) => (o as typeof patchDemo).spec;
const podSpec = (o: unknown) => spec(o).template.spec;

describe('strategic merge patch (upstream-documented cases)', () => {
  it('merges containers by name; the new container comes first, as the docs show', () => {
    const out = applyPatch('strategic', 'Deployment', patchDemo, { spec: { template: { spec: { containers: [{ name: 'patch-demo-ctr-2', image: 'redis' }] } } } });
    expect(podSpec(out).containers.map((c) => `${c.name}=${c.image}`)).toEqual(['patch-demo-ctr-2=redis', 'patch-demo-ctr=nginx']);
  });

  it('replaces tolerations: the list has no patch strategy', () => {
    const out = applyPatch('strategic', 'Deployment', patchDemo, { spec: { template: { spec: { tolerations: [{ effect: 'NoSchedule', key: 'disktype', value: 'ssd' }] } } } });
    expect(podSpec(out).tolerations).toEqual([{ effect: 'NoSchedule', key: 'disktype', value: 'ssd' }]);
  });

  it('merges nested lists by their own keys (env by name, ports by containerPort) and keeps the rest', () => {
    const out = applyPatch('strategic', 'Deployment', patchDemo, {
      spec: { template: { spec: { containers: [{ name: 'patch-demo-ctr', env: [{ name: 'A', value: '2' }, { name: 'B', value: '3' }], ports: [{ containerPort: 443 }] }] } } },
    });
    const c = podSpec(out).containers[0]!;
    expect(c.image).toBe('nginx');
    expect(c.env).toEqual([
      { name: 'A', value: '2' },
      { name: 'B', value: '3' },
    ]);
    expect(c.ports).toEqual([{ containerPort: 443 }, { containerPort: 80 }]);
  });

  it('deletes a list item with $patch: delete', () => {
    const out = applyPatch('strategic', 'Deployment', patchDemo, { spec: { template: { spec: { containers: [{ name: 'patch-demo-ctr', $patch: 'delete' }] } } } });
    expect(podSpec(out).containers).toEqual([]);
  });

  it('replaces a map with $patch: replace, and a list with a {$patch: replace} element', () => {
    const map = applyPatch('strategic', 'Deployment', patchDemo, { spec: { strategy: { $patch: 'replace', type: 'Recreate' } } });
    expect(spec(map).strategy).toEqual({ type: 'Recreate' });
    const list = applyPatch('strategic', 'Deployment', patchDemo, { spec: { template: { spec: { containers: [{ $patch: 'replace' }, { name: 'only', image: 'busybox' }] } } } });
    expect(podSpec(list).containers).toEqual([{ name: 'only', image: 'busybox' }]);
  });

  it('clears fields not named in $retainKeys (switching a Deployment to Recreate, from the docs)', () => {
    const out = applyPatch('strategic', 'Deployment', patchDemo, { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } });
    expect(spec(out).strategy).toEqual({ type: 'Recreate' });
    // Without $retainKeys the old rollingUpdate stays behind (what the docs warn about).
    const plain = applyPatch('strategic', 'Deployment', patchDemo, { spec: { strategy: { type: 'Recreate' } } });
    expect(spec(plain).strategy).toEqual({ type: 'Recreate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } });
  });

  it('merges primitive lists with a merge strategy as sets, and removes with $deleteFromPrimitiveList', () => {
    const added = applyPatch('strategic', 'Deployment', patchDemo, { metadata: { finalizers: ['b', 'c'] } });
    // Interleaved by live order: a precedes b there, and c (new) goes before server-only items after it.
    expect((added as typeof patchDemo).metadata.finalizers).toEqual(['a', 'b', 'c']);
    const onlyNew = applyPatch('strategic', 'Deployment', patchDemo, { metadata: { finalizers: ['c'] } });
    expect((onlyNew as typeof patchDemo).metadata.finalizers).toEqual(['c', 'a', 'b']);
    const removed = applyPatch('strategic', 'Deployment', patchDemo, { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } });
    expect((removed as typeof patchDemo).metadata.finalizers).toEqual(['b']);
  });

  it('orders a merged list by $setElementOrder', () => {
    const withTwo = applyPatch('strategic', 'Deployment', patchDemo, { spec: { template: { spec: { containers: [{ name: 'side', image: 'envoy' }] } } } });
    const out = applyPatch('strategic', 'Deployment', withTwo, {
      spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'patch-demo-ctr' }, { name: 'side' }], containers: [{ name: 'side', image: 'envoy:2' }] } } },
    });
    expect(podSpec(out).containers.map((c) => `${c.name}=${c.image}`)).toEqual(['patch-demo-ctr=nginx', 'side=envoy:2']);
  });

  it('deletes map keys with null and leaves the original untouched', () => {
    const before = JSON.stringify(patchDemo);
    const out = applyPatch('strategic', 'Deployment', patchDemo, { spec: { template: { metadata: { labels: { app: null, tier: 'web' } } } } });
    expect(spec(out).template.metadata.labels).toEqual({ tier: 'web' });
    expect(JSON.stringify(patchDemo)).toBe(before);
  });

  it('merges volumes by name and retains only named keys when asked (retainKeys strategy)', () => {
    const out = applyPatch('strategic', 'Deployment', patchDemo, { spec: { template: { spec: { volumes: [{ name: 'data', $retainKeys: ['name', 'configMap'], configMap: { name: 'cfg' } }] } } } });
    expect(podSpec(out).volumes).toEqual([{ name: 'data', configMap: { name: 'cfg' } }]);
  });

  it('refuses an item without its merge key, and strategic patches on kinds without a schema (415)', () => {
    expect(() => applyPatch('strategic', 'Deployment', patchDemo, { spec: { template: { spec: { containers: [{ image: 'x' }] } } } })).toThrow(
      'map: {"image":"x"} does not contain declared merge key: name',
    );
    try {
      applyPatch('strategic', 'CronTab', { spec: {} }, { spec: { a: 1 } });
      expect.unreachable();
    } catch (e) {
      expect((e as StatusError).code).toBe(415);
    }
  });
});

describe('JSON merge patch and JSON patch', () => {
  it('merge patch replaces lists wholesale and null deletes (RFC 7386)', () => {
    const out = applyPatch('merge', 'Deployment', patchDemo, { spec: { replicas: 3, template: { spec: { containers: [{ name: 'x', image: 'redis' }] } }, strategy: null } });
    expect(spec(out).replicas).toBe(3);
    expect(podSpec(out).containers).toEqual([{ name: 'x', image: 'redis' }]);
    expect(spec(out).strategy).toBeUndefined();
  });

  it('JSON patch applies operations in order and a failed test aborts with 422', () => {
    const out = applyPatch('json', 'Deployment', patchDemo, [
      { op: 'replace', path: '/spec/replicas', value: 5 },
      { op: 'add', path: '/spec/template/spec/containers/-', value: { name: 'side', image: 'envoy' } },
    ]);
    expect(spec(out).replicas).toBe(5);
    expect(podSpec(out).containers.map((c) => c.name)).toEqual(['patch-demo-ctr', 'side']);
    try {
      applyPatch('json', 'Deployment', patchDemo, [{ op: 'test', path: '/spec/replicas', value: 9 }]);
      expect.unreachable();
    } catch (e) {
      expect((e as StatusError).code).toBe(422);
      expect((e as StatusError).message).toMatch(/test operation on \/spec\/replicas: test failed/);
    }
    expect(() => applyPatch('json', 'Deployment', patchDemo, { op: 'add' })).toThrow(/cannot unmarshal object/);
  });
});
