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

  it('create token: the token authenticates as the service account, and RBAC decides what it may do', async () => {
    await kubectl('create', 'serviceaccount', 'bot');
    const created = await kubectl('create', 'token', 'bot', '--duration=30m');
    expect(created.code).toBe(0);
    const token = created.stdout.trim();
    expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const asBot = (...args: string[]) => kubectl('--token', token, ...args);
    expect((await asBot('auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}')).stdout).toBe('system:serviceaccount:default:bot');
    const denied = await asBot('get', 'pods');
    expect([denied.code, denied.stderr]).toEqual([1, 'Error from server (Forbidden): pods is forbidden: User "system:serviceaccount:default:bot" cannot list resource "pods" in API group "" in the namespace "default"\n']);
    await kubectl('create', 'role', 'reader', '--verb=list', '--resource=pods');
    await kubectl('create', 'rolebinding', 'bot-reads', '--role=reader', '--serviceaccount=default:bot');
    expect((await asBot('get', 'pods', '-o', 'name')).code).toBe(0);
    const short = await kubectl('create', 'token', 'bot', '--duration=1m');
    expect([short.code, short.stderr]).toEqual([1, 'error: failed to create token: TokenRequest.authentication.k8s.io "bot" is invalid: spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes\n']);
  });

  it('autoscale: kubectl creates an autoscaling/v1 HorizontalPodAutoscaler, served from the v2 object, and get hpa shows its target', async () => {
    await kubectl('create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=1');
    const made = await kubectl('autoscale', 'deployment', 'web', '--min=1', '--max=3', '--cpu-percent=50');
    expect([made.code, made.stdout]).toEqual([0, 'horizontalpodautoscaler.autoscaling/web autoscaled\n']);
    expect((await kubectl('get', 'horizontalpodautoscalers.v1.autoscaling', 'web', '-o', 'jsonpath={.spec.targetCPUUtilizationPercentage}')).stdout).toBe('50');
    expect((await kubectl('get', 'hpa', 'web', '-o', 'jsonpath={.apiVersion} {.spec.metrics[0].resource.target.averageUtilization}')).stdout).toBe('autoscaling/v2 50');
    const table = (await kubectl('get', 'hpa', 'web')).stdout.split('\n');
    expect(table[0]).toMatch(/^NAME +REFERENCE +TARGETS +MINPODS +MAXPODS +REPLICAS +AGE$/);
    expect(table[1]).toMatch(/^web +Deployment\/web +cpu: [^ ]+\/50% +1 +3 +\d+ +\d+s$/);
  });

  it('debug <pod>: an ephemeral container runs in the pod; logs -c and describe show it', async () => {
    await kubectl('run', 'app', '--image=nginx:1.27');
    await kubectl('wait', '--for=condition=Ready', 'pod/app', '--timeout=20s');
    const debug = await kubectl('debug', 'app', '--image=busybox:1.36', '--profile=general', '-c', 'dbg', '--', 'sh', '-c', 'echo debugging $HOSTNAME');
    expect(debug.code).toBe(0);
    await kubectl('wait', '--for=jsonpath={.status.ephemeralContainerStatuses[0].state.terminated.reason}=Completed', 'pod/app', '--timeout=20s');
    expect((await kubectl('logs', 'app', '-c', 'dbg')).stdout).toBe('debugging app\n');
    expect((await kubectl('describe', 'pod', 'app')).stdout).toMatch(/\nEphemeral Containers:\n  dbg:\n[\s\S]*State: +Terminated\n +Reason: +Completed\n +Exit Code: +0\n/);
    const again = await kubectl('debug', 'app', '--image=busybox:1.36', '--profile=general', '-c', 'app', '--', 'true');
    expect(again.stderr).toContain('The Pod "app" is invalid: spec.ephemeralContainers[1].name: Duplicate value: "app"');
  });

  it('get prints the API server\'s columns for the other kinds: pdb, quota, priorityclass, sa, roles, bindings, endpointslices, leases', async () => {
    await kubectl('create', 'deployment', 'cols', '--image=nginx:1.27', '--replicas=2');
    await kubectl('expose', 'deployment', 'cols', '--port=80');
    await kubectl('rollout', 'status', 'deployment/cols', '--timeout=30s');
    await kubectl('create', 'pdb', 'cols', '--selector=app=cols', '--min-available=1');
    await kubectl('create', 'quota', 'q', '--hard=pods=20,requests.cpu=2,limits.memory=1Gi');
    await kubectl('create', 'priorityclass', 'high', '--value=1000');
    await kubectl('create', 'role', 'viewer', '--verb=get', '--resource=pods');
    await kubectl('create', 'rolebinding', 'rb', '--role=viewer', '--serviceaccount=default:bot', '--user=alice');
    const lines = async (...args: string[]) => (await kubectl('get', ...args)).stdout.trimEnd().split('\n');
    expect(await lines('pdb', 'cols')).toEqual([expect.stringMatching(/^NAME +MIN AVAILABLE +MAX UNAVAILABLE +ALLOWED DISRUPTIONS +AGE$/), expect.stringMatching(/^cols +1 +N\/A +[01] +\d+s$/)]);
    expect((await lines('quota', 'q'))[1]).toMatch(/^q +\d+s +pods: \d+\/20, requests\.cpu: 0\/2 +limits\.memory: 0\/1Gi$/);
    expect(await lines('pc', 'high')).toEqual([expect.stringMatching(/^NAME +VALUE +GLOBAL-DEFAULT +AGE +PREEMPTIONPOLICY$/), expect.stringMatching(/^high +1000 +false +\d+s +PreemptLowerPriority$/)]);
    expect(await lines('sa', 'bot')).toEqual([expect.stringMatching(/^NAME +SECRETS +AGE$/), expect.stringMatching(/^bot +0 +\d+s$/)]);
    expect(await lines('roles', 'viewer')).toEqual([expect.stringMatching(/^NAME +CREATED AT$/), expect.stringMatching(/^viewer +\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)]);
    expect(await lines('rolebinding', 'rb', '-o', 'wide')).toEqual([expect.stringMatching(/^NAME +ROLE +AGE +USERS +GROUPS +SERVICEACCOUNTS$/), expect.stringMatching(/^rb +Role\/viewer +\d+s +alice +default\/bot$/)]);
    expect((await lines('endpointslices', '-l', 'kubernetes.io/service-name=cols'))[1]).toMatch(/^cols-[a-z0-9]{5} +IPv4 +80 +10\.244\.\d+\.\d+,10\.244\.\d+\.\d+ +\d+s$/);
    expect((await lines('leases', '-n', 'kube-node-lease'))[0]).toMatch(/^NAME +HOLDER +AGE$/);
  });
});
