import { World, type HostContext } from '../faults/index.js';
import { Trace } from '../sim/index.js';
import { identities } from '../api/auth/index.js';
import { ApiGateway, ApiServer, ApiServerHost, type ApiServerHostOptions } from '../api/server/index.js';
import { EtcdBackend, EtcdMember } from '../api/storage/etcd/index.js';
import { ApiClient } from './api-client.js';

export interface ControlPlaneWorld {
  world: World;
  gateway: ApiGateway;
  apiHost: HostContext;
  /** A client on `host` with admin rights (or the given token). */
  client(host: string, token?: string, options?: { breakAfterMs?: number; requestTimeoutMs?: number }): ApiClient;
}

/**
 * A small world with an API server on `cp-0` and the given nodes: the
 * fixture the client, informer and controller tests share.
 */
export function controlPlaneWorld(seed: string | number, nodes: string[] = ['node-1', 'node-2'], hostOptions: ApiServerHostOptions = {}): ControlPlaneWorld {
  const world = new World({ seed, trace: new Trace(), network: { defaults: { latencyMs: 1, jitterMs: 2 } } });
  const apiHost = world.addHost('cp-0', { groups: ['control-plane'] });
  for (const n of nodes) world.addHost(n, { groups: ['nodes'] });
  const rng = apiHost.rng('apiserver');
  const gateway = new ApiGateway(new ApiServer({ now: () => apiHost.clock.now(), random: () => rng.next() }));
  gateway.bootstrap();
  gateway.authenticator.add('admin-token', identities.admin());
  gateway.authenticator.add('kcm-token', identities.controllerManager());
  for (const n of nodes) gateway.authenticator.add(`${n}-token`, identities.node(n));
  new ApiServerHost(apiHost, gateway, hostOptions);
  return {
    world,
    gateway,
    apiHost,
    client: (host, token = 'admin-token', options = {}) => new ApiClient(world.host(host), { server: 'cp-0', token, ...options }),
  };
}

/** An admin request answered in virtual time: `{ e, b }` is the error and the body (tests' shorthand). */
export function adminCall(cp: ControlPlaneWorld, timeoutMs = 60_000): (req: Parameters<ApiClient['request']>[0]) => { e: unknown; b: any } {
  const admin = cp.client('cp-0');
  return (req) => {
    let out: { e: unknown; b: any } | undefined;
    admin.request(req, (e, b) => (out = { e, b }));
    cp.world.sim.runUntil(() => out !== undefined, { timeoutMs });
    return out!;
  };
}

export interface HAControlPlaneWorld {
  world: World;
  members: EtcdMember[];
  gateways: ApiGateway[];
  /** Whether bootstrap finished. */
  ready(): boolean;
  client(host: string, server: string, options?: { breakAfterMs?: number; requestTimeoutMs?: number }): ApiClient;
}

/**
 * An HA control plane: etcd members on cp-0..cp-2, an API server on each
 * host in `apiServers` reading and writing through its own member, and
 * worker hosts for clients.
 */
export function haControlPlaneWorld(seed: string | number, apiServers: string[] = ['cp-0', 'cp-1'], workers: string[] = ['node-1', 'node-2', 'node-3']): HAControlPlaneWorld {
  const world = new World({ seed, trace: new Trace(), network: { defaults: { latencyMs: 1, jitterMs: 1 } } });
  const cp = ['cp-0', 'cp-1', 'cp-2'];
  for (const h of cp) world.addHost(h, { groups: ['control-plane'] });
  for (const n of workers) world.addHost(n, { groups: ['nodes'] });
  const members = cp.map((h) => new EtcdMember(world.host(h), cp));
  const gateways = apiServers.map((h) => {
    const host = world.host(h);
    const rng = host.rng('apiserver');
    const gateway = new ApiGateway(new ApiServer({ now: () => host.clock.now(), random: () => rng.next(), backend: new EtcdBackend(members[cp.indexOf(h)]!) }));
    gateway.authenticator.add('admin-token', identities.admin());
    new ApiServerHost(host, gateway);
    return gateway;
  });
  let ready = false;
  const first = world.host(apiServers[0]!);
  gateways[0]!.bootstrap((ms, fn) => first.after(ms, fn), () => (ready = true));
  world.sim.runUntil(() => ready, { timeoutMs: 120_000 });
  return {
    world,
    members,
    gateways,
    ready: () => ready,
    client: (host, server, options = {}) => new ApiClient(world.host(host), { server, token: 'admin-token', ...options }),
  };
}
