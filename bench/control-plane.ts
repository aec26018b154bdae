import { identities } from '../src/api/auth/index.js';
import { ApiGateway, ApiServer, ApiServerHost } from '../src/api/server/index.js';
import { World } from '../src/faults/index.js';
import { Trace } from '../src/sim/index.js';

/** A world with an API server on cp-0 (1 ms links, messages untraced) and an admin token: what the cluster benchmarks stand on. */
export function benchControlPlane(seed: string) {
  const world = new World({ seed, trace: new Trace(), network: { defaults: { latencyMs: 1 }, traceMessages: false } });
  const apiHost = world.addHost('cp-0', { groups: ['control-plane'] });
  const rng = apiHost.rng('apiserver');
  const gateway = new ApiGateway(new ApiServer({ now: () => apiHost.clock.now(), random: () => rng.next() }));
  gateway.bootstrap();
  gateway.authenticator.add('admin-token', identities.admin());
  new ApiServerHost(apiHost, gateway);
  return { world, apiHost, gateway };
}
