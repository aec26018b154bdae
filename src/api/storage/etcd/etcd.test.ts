import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { World, nemesis } from '../../../faults/index.js';
import { Trace } from '../../../sim/index.js';
import { identities } from '../../auth/index.js';
import { ApiGateway, ApiServer, ApiServerHost } from '../../server/index.js';
import { ApiClient } from '../../../client/index.js';
import { StatusError } from '../../errors/status.js';
import { EtcdBackend } from './backend.js';
import { EtcdMember } from './member.js';

const CP = ['cp-0', 'cp-1', 'cp-2'];

function etcdWorld(seed: number | string, members = CP) {
  const world = new World({ seed, trace: new Trace(), network: { defaults: { latencyMs: 1, jitterMs: 1 } } });
  for (const h of members) world.addHost(h, { groups: ['control-plane'] });
  world.addHost('node-1', { groups: ['nodes'] });
  const etcd = members.map((h) => new EtcdMember(world.host(h), members));
  const apiHost = world.host('cp-0');
  const rng = apiHost.rng('apiserver');
  const gateway = new ApiGateway(new ApiServer({ now: () => apiHost.clock.now(), random: () => rng.next(), backend: new EtcdBackend(etcd[0]!) }));
  gateway.authenticator.add('admin-token', identities.admin());
  let ready = false;
  gateway.bootstrap((ms, fn) => apiHost.after(ms, fn), () => (ready = true));
  new ApiServerHost(apiHost, gateway);
  const client = new ApiClient(world.host('node-1'), { server: 'cp-0', token: 'admin-token', requestTimeoutMs: 30_000 });
  world.sim.runUntil(() => ready, { timeoutMs: 60_000 });
  return { world, etcd, gateway, client, ready: () => ready };
}

function create(client: ApiClient, name: string, done: (error: unknown) => void): void {
  client.request({ verb: 'create', group: '', version: 'v1', resource: 'configmaps', namespace: 'default', body: { metadata: { name } } }, (e) => done(e));
}

describe('etcd model', () => {
  it('elects one leader and serves the API through it', () => {
    const { world, etcd, client, ready } = etcdWorld(1);
    expect(ready()).toBe(true);
    expect(etcd.filter((m) => m.isLeader)).toHaveLength(1);
    let error: unknown = 'pending';
    create(client, 'a', (e) => (error = e));
    world.sim.advance(1000);
    expect(error).toBeNull();
    // Every member applied the same history.
    expect(new Set(etcd.map((m) => m.store.revision)).size).toBe(1);
  });

  it('replicates compaction so every member forgets the same history', () => {
    const { world, etcd, gateway } = etcdWorld(3);
    const target = gateway.api.store.revision;
    let done = false;
    gateway.api.backend.commit([{ kind: 'compact', revision: target }], (e) => (done = e === null));
    world.sim.advance(1_000);
    expect(done).toBe(true);
    expect(etcd.map((m) => m.store.compactedRevision)).toEqual([target, target, target]);
  });

  it('keeps writing with one member down, times out without quorum, and recovers after heal', () => {
    const { world, etcd, client } = etcdWorld(2);
    const follower = etcd.find((m) => !m.isLeader && m.name !== 'cp-0') ?? etcd.find((m) => !m.isLeader)!;
    world.crash(follower.name);
    let one: unknown = 'pending';
    create(client, 'one-down', (e) => (one = e));
    world.sim.advance(5000);
    expect(one).toBeNull();
    // cp-0 (with the API server) is cut off from both peers: no quorum.
    const cut = world.faults.inject({ kind: 'partition', groups: [['cp-0', 'node-1'], CP.filter((h) => h !== 'cp-0')] });
    let lost: unknown = 'pending';
    create(client, 'no-quorum', (e) => (lost = e));
    world.sim.advance(20_000);
    expect(lost).toBeInstanceOf(StatusError);
    expect([(lost as StatusError).code, (lost as StatusError).message]).toEqual([500, 'etcdserver: request timed out']);
    cut.heal();
    world.restart(follower.name);
    let after: unknown = 'pending';
    world.sim.advance(5000);
    create(client, 'healed', (e) => (after = e));
    world.sim.advance(5000);
    expect(after).toBeNull();
  });

  it('loses no acknowledged write under random partitions and crashes, and replicas converge', () => {
    fc.assert(
      fc.property(fc.integer(), nemesis({ hosts: CP, horizonMs: 30_000, kinds: ['partition', 'partition-one-way', 'crash', 'loss', 'latency', 'disk-latency'], maxDurationMs: 15_000, maxFaults: 5 }), (seed, plan) => {
        const { world, etcd, client } = etcdWorld(seed);
        world.faults.schedule(plan);
        const acked: string[] = [];
        const start = world.sim.now;
        // Safety phase: writes while faults come and go.
        for (let i = 0; i < 40; i++) world.sim.at(start + i * 750, () => create(client, `c${i}`, (e) => e === null && acked.push(`c${i}`)));
        // Liveness phase: every fault has healed by 45 s; writes after that must all succeed.
        const late: string[] = [];
        for (let i = 0; i < 5; i++) world.sim.at(start + 60_000 + i * 1000, () => create(client, `late${i}`, (e) => e === null && late.push(`late${i}`)));
        world.sim.advance(120_000);
        expect(late).toHaveLength(5);
        const leaders = etcd.filter((m) => m.isLeader);
        expect(leaders).toHaveLength(1);
        for (const m of etcd) {
          const names = new Set(m.store.list('configmaps', { keyPrefix: 'default/' }).items.map((o) => o.metadata!.name));
          for (const a of acked) expect(names.has(a)).toBe(true);
        }
        const fingerprint = (m: EtcdMember) => JSON.stringify(m.store.list('configmaps').items.map((o) => [o.metadata!.name, o.metadata!.resourceVersion]));
        expect(new Set(etcd.map(fingerprint)).size).toBe(1);
      }),
      { numRuns: Number(process.env['ETCD_RUNS'] ?? 50) },
    );
  });
});
