import { World, type HostContext } from '../faults/index.js';
import { Trace } from '../sim/index.js';
import { identities } from '../api/auth/index.js';
import { ApiGateway, ApiServer, ApiServerHost, type ApiServerHostOptions } from '../api/server/index.js';
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
