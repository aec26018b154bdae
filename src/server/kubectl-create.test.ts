import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasKubectl, serveForKubectl, type ServedCluster } from './testing/kubectl.js';

/** kubectl's typed commands (protobuf bodies built by kubectl itself): create ingress, debug node, create token, autoscale. */
let served: ServedCluster;
const kubectl = (...args: string[]) => served.kubectl(...args);

describe.skipIf(!hasKubectl)('kubectl 1.32 generators against a served cluster', () => {
  beforeAll(async () => {
    served = await serveForKubectl('kubectl-create', { nodes: 2 });
  });
  afterAll(async () => served?.close());

  it('create ingress: the rule arrives whole (IngressRuleValue is inline in JSON) and describe shows it', async () => {
    expect((await kubectl('create', 'ingress', 'web', '--rule=foo.com/*=web:80')).stdout).toBe('ingress.networking.k8s.io/web created\n');
    expect((await kubectl('get', 'ingress', 'web', '-o', 'jsonpath={.spec.rules[0].host} {.spec.rules[0].http.paths[0].pathType} {.spec.rules[0].http.paths[0].backend.service.name}')).stdout).toBe('foo.com Prefix web');
    expect((await kubectl('describe', 'ingress', 'web')).stdout).toMatch(/\n  foo\.com +\n +\/ +web:80 \(<error: services "web" not found>\)\n/);
  });

  it('debug node/…: a pod on that node with the host filesystem mounted (hostPath is inline in Volume) runs the command', async () => {
    const debug = await kubectl('debug', 'node/node-1', '--image=busybox:1.36', '--profile=general', '--', 'echo', 'from the node');
    expect(debug.code).toBe(0);
    const name = /Creating debugging pod (\S+) with container debugger on node node-1\./.exec(debug.stderr + debug.stdout)?.[1];
    expect(name).toBeDefined();
    expect((await kubectl('get', 'pod', name!, '-o', 'jsonpath={.spec.nodeName} {.spec.volumes[0].hostPath.path}')).stdout).toBe('node-1 /');
    await kubectl('wait', '--for=jsonpath={.status.phase}=Succeeded', `pod/${name}`, '--timeout=20s');
    expect((await kubectl('logs', name!)).stdout).toBe('from the node\n');
  });
});
