import { describe, expect, it } from 'vitest';
import { controlPlaneWorld } from '../../client/testing.js';
import { StatusError } from '../errors/status.js';
import { KUBELET_PORT, type KubeletLogRequest } from './kubelet-proxy.js';

const twoContainers = { metadata: { name: 'web' }, spec: { nodeName: 'node-1', containers: [{ name: 'app', image: 'nginx' }, { name: 'sidecar', image: 'envoy' }], initContainers: [{ name: 'init', image: 'busybox' }] } };

function setup(withKubelet: boolean) {
  const cp = controlPlaneWorld(8);
  const seen: KubeletLogRequest[] = [];
  if (withKubelet) {
    // A stand-in for the kubelet's /containerLogs (part 3 serves the real one).
    cp.world.host('node-1').net.listen<KubeletLogRequest>(KUBELET_PORT, (stream) =>
      stream.onMessage((req) => {
        seen.push(req);
        stream.send({ code: 200, text: `log of ${req.container}${req.previous ? ' (previous)' : ''}\n` } as never);
      }),
    );
  }
  const client = cp.client('node-2');
  const run = (r: Record<string, unknown>) => {
    let out: { error: unknown; body?: any } = { error: 'pending' };
    client.request({ verb: 'get', group: '', version: 'v1', resource: 'pods', namespace: 'default', ...r } as never, (error, body) => (out = { error, body }));
    cp.world.sim.advance(1_000);
    return out;
  };
  run({ verb: 'create', name: undefined, body: twoContainers });
  run({ verb: 'create', name: undefined, body: { metadata: { name: 'pending' }, spec: { containers: [{ name: 'app', image: 'nginx' }] } } });
  return { run, seen };
}

describe('pods/log', () => {
  it('needs a container name when the pod has several, and a known one', () => {
    const { run } = setup(true);
    const none = run({ name: 'web', subresource: 'log' }).error as StatusError;
    expect([none.code, none.message]).toEqual([400, 'a container name must be specified for pod web, choose one of: [app sidecar] or one of the init containers: [init]']);
    expect((run({ name: 'web', subresource: 'log', query: { container: 'nope' } }).error as StatusError).message).toBe('container nope is not valid for pod web');
    expect((run({ name: 'pending', subresource: 'log' }).error as StatusError).message).toBe('pod pending does not have a host assigned');
  });

  it('proxies to the kubelet of the pod\'s node with the options', () => {
    const { run, seen } = setup(true);
    const out = run({ name: 'web', subresource: 'log', query: { container: 'sidecar', previous: true, tailLines: 10 } });
    expect(out.error).toBeNull();
    expect(out.body.text).toBe('log of sidecar (previous)\n');
    expect(seen).toMatchObject([{ kind: 'containerLogs', namespace: 'default', pod: 'web', container: 'sidecar', previous: true, tailLines: 10 }]);
  });

  it('reports an unreachable kubelet as the API server does', () => {
    const { run } = setup(false);
    const e = run({ name: 'web', subresource: 'log', query: { container: 'app' } }).error as StatusError;
    expect([e.code, e.message]).toEqual([500, 'Get "https://node-1:10250/containerLogs/default/web/app": dial tcp node-1:10250: connect: connection refused']);
  });
});
