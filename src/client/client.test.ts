import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { nemesis } from '../faults/index.js';
import type { KubeObject } from '../api/registry/types.js';
import { ConnectionError, type ClientRequest } from './api-client.js';
import { Informer } from './informer.js';
import { controlPlaneWorld } from './testing.js';
import { StatusError } from '../api/errors/status.js';

const cmCreate = (name: string, data: Record<string, string> = {}): ClientRequest => ({ verb: 'create', group: '', version: 'v1', resource: 'configmaps', namespace: 'default', body: { metadata: { name }, data } });

describe('ApiClient over the simulated network', () => {
  it('answers after a round trip, and with Status errors from the server', () => {
    const { world, client } = controlPlaneWorld(1);
    const c = client('node-1');
    let answeredAt = -1;
    let body: KubeObject | undefined;
    c.request(cmCreate('a'), (err, b) => {
      expect(err).toBeNull();
      body = b;
      answeredAt = world.sim.now;
    });
    world.sim.runUntil(1000);
    expect(body?.metadata?.name).toBe('a');
    expect(answeredAt).toBeGreaterThanOrEqual(2); // connect + request + response, each at least 1 ms
    let error: unknown;
    c.request(cmCreate('a'), (err) => (error = err));
    world.sim.runUntil(2000);
    expect(error).toBeInstanceOf(StatusError);
    expect((error as StatusError).message).toBe('configmaps "a" already exists');
  });

  it('is told 401 with a bad token', () => {
    const { world, client } = controlPlaneWorld(1);
    let error: StatusError | undefined;
    client('node-1', 'nope').request({ verb: 'list', group: '', version: 'v1', resource: 'pods' }, (err) => (error = err as StatusError));
    world.sim.runUntil(1000);
    expect([error?.code, error?.message]).toEqual([401, 'Unauthorized']);
  });

  it('fails requests with client-go\'s words when the connection is cut, and works again after heal', () => {
    const { world, client } = controlPlaneWorld(2);
    const c = client('node-1', 'admin-token', { breakAfterMs: 10_000 });
    c.request(cmCreate('warm'), () => {});
    world.sim.runUntil(100);
    const cut = world.faults.inject({ kind: 'partition', groups: [['cp-0'], ['node-1']] });
    let error: unknown;
    c.request({ verb: 'get', group: '', version: 'v1', resource: 'configmaps', namespace: 'default', name: 'warm' }, (err) => (error = err));
    world.sim.runUntil(20_000);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toBe('Get "https://cp-0:6443/api/v1/namespaces/default/configmaps/warm": http2: client connection lost');
    cut.heal();
    let after: KubeObject | undefined;
    c.request({ verb: 'get', group: '', version: 'v1', resource: 'configmaps', namespace: 'default', name: 'warm' }, (_e, b) => (after = b));
    world.sim.runUntil(21_000);
    expect(after?.metadata?.name).toBe('warm');
  });
});

describe('Informer', () => {
  it('lists, then follows changes; after a partition it relists and catches up', () => {
    const { world, client } = controlPlaneWorld(3);
    const writer = client('cp-0');
    const informer = new Informer(world.host('node-1'), client('node-1', 'admin-token', { breakAfterMs: 10_000 }), { group: '', version: 'v1', resource: 'configmaps', namespace: 'default' });
    const seen: string[] = [];
    const mine = (o: KubeObject) => o.metadata!.name !== 'kube-root-ca.crt'; // every namespace has the cluster CA bundle
    informer.addEventHandler({ onAdd: (o) => mine(o) && seen.push(`add ${o.metadata!.name}`), onDelete: (o) => mine(o) && seen.push(`delete ${o.metadata!.name}`) });
    writer.request(cmCreate('before'), () => {});
    world.sim.runUntil(100);
    informer.start();
    world.sim.runUntil(200);
    expect(informer.hasSynced).toBe(true);
    expect(seen).toEqual(['add before']);
    writer.request(cmCreate('live'), () => {});
    world.sim.runUntil(300);
    expect(seen).toEqual(['add before', 'add live']);

    const cut = world.faults.inject({ kind: 'partition', groups: [['cp-0'], ['node-1']] });
    writer.request(cmCreate('during'), () => {});
    writer.request({ verb: 'delete', group: '', version: 'v1', resource: 'configmaps', namespace: 'default', name: 'before' }, () => {});
    world.sim.runUntil(30_000);
    expect(informer.get('default', 'during')).toBeUndefined(); // stale while cut off
    cut.heal();
    world.sim.runUntil(120_000);
    expect(informer.list().filter(mine).map((o) => o.metadata!.name).sort()).toEqual(['during', 'live']);
    expect(seen).toContain('delete before');
    expect(informer.lists).toBeGreaterThanOrEqual(2);
  });

  it('a crash empties its cache: after the restart every object is added again, as in a new process', () => {
    const { world, client } = controlPlaneWorld(5);
    client('cp-0').request(cmCreate('kept'), () => {});
    const informer = new Informer(world.host('node-1'), client('node-1'), { group: '', version: 'v1', resource: 'configmaps', namespace: 'default' });
    const adds: string[] = [];
    informer.addEventHandler({ onAdd: (o) => o.metadata!.name === 'kept' && adds.push(o.metadata!.name) });
    informer.start();
    world.sim.runUntil(1_000);
    world.crash('node-1');
    expect(informer.get('default', 'kept')).toBeUndefined();
    world.restart('node-1');
    informer.start();
    world.sim.runUntil(5_000);
    expect(adds).toEqual(['kept', 'kept']);
  });

  it('the API server compacts every interval to the revision it saw one interval before', () => {
    const { world, client, gateway } = controlPlaneWorld(6, ['node-1'], { compactionIntervalMs: 10_000 });
    const writer = client('cp-0');
    for (let i = 0; i < 3; i++) world.sim.at(i * 7_000 + 1, () => writer.request(cmCreate(`c${i}`), () => {}));
    world.sim.runUntil(10_001);
    const seenAt10s = gateway.api.store.revision;
    expect(gateway.api.store.compactedRevision).toBe(0);
    world.sim.runUntil(20_001);
    expect(gateway.api.store.compactedRevision).toBe(seenAt10s);
  });

  it('relists when its resourceVersion has been compacted away (410)', () => {
    const { world, client, gateway } = controlPlaneWorld(4, ['node-1'], { minWatchTimeoutMs: 5_000 });
    const writer = client('cp-0');
    const informer = new Informer(world.host('node-1'), client('node-1'), { group: '', version: 'v1', resource: 'configmaps', namespace: 'default' });
    informer.start();
    world.sim.runUntil(100);
    const listsBefore = informer.lists;
    // Writes to another resource move the revision; compaction passes the informer's version.
    for (let i = 0; i < 5; i++) writer.request({ verb: 'create', group: '', version: 'v1', resource: 'secrets', namespace: 'default', body: { metadata: { name: `s${i}` } } }, () => {});
    world.sim.runUntil(200);
    gateway.api.store.compact(gateway.api.store.revision);
    // The server ends the watch (timeout 5-10 s); re-watching from the informer's old version gets 410.
    world.sim.runUntil(30_000);
    expect(informer.lists).toBe(listsBefore + 1);
    writer.request(cmCreate('after-relist'), () => {});
    world.sim.runUntil(31_000);
    expect(informer.get('default', 'after-relist')).toBeDefined();
  });

  it('after random faults heal, every informer agrees with the server', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        nemesis({ hosts: ['cp-0', 'node-1', 'node-2'], horizonMs: 60_000, kinds: ['partition', 'partition-one-way', 'loss', 'latency'], maxDurationMs: 40_000 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 59_000 }), fc.integer({ min: 0, max: 5 }), fc.boolean()), { maxLength: 40 }),
        (seed, plan, ops) => {
          const { world, client, gateway } = controlPlaneWorld(seed);
          const writer = client('cp-0');
          const informers = ['node-1', 'node-2'].map((n) => new Informer(world.host(n), client(n, 'admin-token', { breakAfterMs: 10_000 }), { group: '', version: 'v1', resource: 'configmaps', namespace: 'default' }));
          informers.forEach((i) => i.start());
          world.faults.schedule(plan);
          for (const [t, k, del] of ops) {
            world.sim.at(t + 1, () =>
              writer.request(del ? { verb: 'delete', group: '', version: 'v1', resource: 'configmaps', namespace: 'default', name: `c${k}` } : cmCreate(`c${k}`, { t: String(t) }), () => {}),
            );
          }
          world.sim.runUntil(60_000 + 40_000 + 120_000);
          const truth = gateway.api.store.list('configmaps', { keyPrefix: 'default/' }).items.map((o) => `${o.metadata!.name}@${o.metadata!.resourceVersion}`).sort();
          for (const i of informers) expect(i.list().map((o) => `${o.metadata!.name}@${o.metadata!['resourceVersion']}`).sort()).toEqual(truth);
        },
      ),
      { numRuns: Number(process.env['INFORMER_RUNS'] ?? 30) },
    );
  });
});
