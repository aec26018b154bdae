import { describe, expect, it } from 'vitest';
import { ImageCatalog } from '../workloads/catalog.js';
import { boundPod, kubeletCluster } from './testing-cluster.js';

function cluster(seed: string, memory = '8Gi', catalog = new ImageCatalog(), storage = '100Gi') {
  return kubeletCluster(seed, { memory, catalog, storage });
}

const pod = boundPod;

describe('kubelet against the API server', () => {
  it('registers its node with healthy conditions and renews its lease', () => {
    const c = cluster('kubelet-node');
    c.world.sim.advance(25_000);
    const node = c.call({ verb: 'get', group: '', version: 'v1', resource: 'nodes', name: 'node-1' }).body as any;
    expect(node.status.conditions.map((x: any) => `${x.type}=${x.status} ${x.reason}`)).toEqual([
      'MemoryPressure=False KubeletHasSufficientMemory',
      'DiskPressure=False KubeletHasNoDiskPressure',
      'PIDPressure=False KubeletHasSufficientPID',
      'Ready=True KubeletReady',
    ]);
    expect(node.status.allocatable).toMatchObject({ cpu: '4', memory: '8092Mi', pods: '110' });
    const lease = c.call({ verb: 'get', group: 'coordination.k8s.io', version: 'v1', resource: 'leases', namespace: 'kube-node-lease', name: 'node-1' }).body as any;
    expect(lease.spec).toMatchObject({ holderIdentity: 'node-1', leaseDurationSeconds: 40 });
    expect(lease.spec.renewTime).toMatch(/^2026-01-01T00:00:2\d\.\d{6}Z$/);
  });

  it('runs a bound pod: status Running with its IP, events, and logs through pods/log', () => {
    const c = cluster('kubelet-pod');
    c.call({ verb: 'create', group: '', version: 'v1', resource: 'pods', namespace: 'default', body: pod('hello', [{ name: 'app', image: 'busybox:1.36', command: ['sh', '-c', 'echo hello; echo world; sleep 3600'] }]) });
    c.world.sim.advance(10_000);
    const p = c.getPod('hello').body as any;
    expect(p.status).toMatchObject({ phase: 'Running', podIP: '10.244.1.2', hostIP: '172.18.0.2', qosClass: 'BestEffort' });
    expect(p.status.containerStatuses[0]).toMatchObject({ name: 'app', ready: true, restartCount: 0, image: 'busybox:1.36' });
    expect(p.status.conditions.find((x: any) => x.type === 'Ready').status).toBe('True');
    const events = (c.call({ verb: 'list', group: '', version: 'v1', resource: 'events', namespace: 'default' }).body as any).items;
    expect(events.filter((e: any) => e.involvedObject.name === 'hello').map((e: any) => e.reason)).toEqual(['Pulling', 'Pulled', 'Created', 'Started']);
    expect(events[0].source).toEqual({ component: 'kubelet', host: 'node-1' });
    const logs = c.call({ verb: 'get', group: '', version: 'v1', resource: 'pods', namespace: 'default', name: 'hello', subresource: 'log', query: { tailLines: 1 } }).body as any;
    expect(logs.text).toBe('world\n');
  });

  it('deletes gracefully: SIGTERM, the containers stop, then the kubelet removes the pod', () => {
    const c = cluster('kubelet-delete');
    c.call({ verb: 'create', group: '', version: 'v1', resource: 'pods', namespace: 'default', body: pod('web', [{ name: 'nginx', image: 'nginx:1.27' }]) });
    c.world.sim.advance(10_000);
    expect((c.getPod('web').body as any).status.phase).toBe('Running');
    c.call({ verb: 'delete', group: '', version: 'v1', resource: 'pods', namespace: 'default', name: 'web' });
    expect((c.getPod('web').body as any).metadata.deletionTimestamp).toBeDefined();
    c.world.sim.advance(5_000);
    expect((c.getPod('web').error as any)?.code).toBe(404);
  });

  it('a pod deleted while its image is still pulling goes away without waiting for the pull (the sync is cancelled)', () => {
    const c = cluster('kubelet-delete-pulling');
    c.call({ verb: 'create', group: '', version: 'v1', resource: 'pods', namespace: 'default', body: pod('web', [{ name: 'nginx', image: 'nginx' }]) });
    c.world.sim.advance(300);
    expect((c.getPod('web').body as any).status.containerStatuses[0].state.waiting.reason).toBe('ContainerCreating');
    c.call({ verb: 'delete', group: '', version: 'v1', resource: 'pods', namespace: 'default', name: 'web' });
    c.world.sim.advance(5_000);
    expect((c.getPod('web').error as any)?.code).toBe(404);
  });

  it('keeps its containers running while cut off from the API server, and reports once the partition heals', () => {
    const c = cluster('kubelet-partition');
    c.call({ verb: 'create', group: '', version: 'v1', resource: 'pods', namespace: 'default', body: pod('crash', [{ name: 'app', image: 'busybox:1.36', command: ['sh', '-c', 'sleep 20; exit 1'] }]) });
    c.world.sim.advance(5_000);
    const cut = c.world.network.partition({ groups: [['node-1'], ['cp-0']] });
    c.world.sim.advance(60_000);
    expect(c.kubelet.pods.size).toBe(1);
    c.world.network.heal(cut);
    c.world.sim.advance(30_000);
    const s = (c.getPod('crash').body as any).status.containerStatuses[0];
    expect(s.restartCount).toBeGreaterThanOrEqual(2);
  });
});

describe('kubelet: configuration from ConfigMaps', () => {
  it('a missing key keeps the container in CreateContainerConfigError until the key appears', () => {
    const c = cluster('kubelet-config');
    c.call({ verb: 'create', group: '', version: 'v1', resource: 'configmaps', namespace: 'default', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app-config' }, data: { other: 'x' } } });
    c.call({
      verb: 'create',
      group: '',
      version: 'v1',
      resource: 'pods',
      namespace: 'default',
      body: pod('cfg', [{ name: 'app', image: 'busybox:1.36', command: ['sh', '-c', 'echo level=$LOG_LEVEL; sleep 3600'], env: [{ name: 'LOG_LEVEL', valueFrom: { configMapKeyRef: { name: 'app-config', key: 'LOG_LEVEL' } } }] }]),
    });
    c.world.sim.advance(10_000);
    const waiting = (c.getPod('cfg').body as any).status.containerStatuses[0].state.waiting;
    expect(waiting).toEqual({ reason: 'CreateContainerConfigError', message: "couldn't find key LOG_LEVEL in ConfigMap default/app-config" });
    const events = (c.call({ verb: 'list', group: '', version: 'v1', resource: 'events', namespace: 'default' }).body as any).items;
    expect(events.some((e: any) => e.reason === 'Failed' && e.message === "Error: couldn't find key LOG_LEVEL in ConfigMap default/app-config")).toBe(true);
    c.call({ verb: 'patch', patchType: 'merge', group: '', version: 'v1', resource: 'configmaps', namespace: 'default', name: 'app-config', body: { data: { LOG_LEVEL: 'debug' } } });
    c.world.sim.advance(30_000);
    expect((c.getPod('cfg').body as any).status.containerStatuses[0].state.running).toBeDefined();
    const logs = c.call({ verb: 'get', group: '', version: 'v1', resource: 'pods', namespace: 'default', name: 'cfg', subresource: 'log' }).body as any;
    expect(logs.text).toBe('level=debug\n');
  });
});

describe('kubelet: node-pressure eviction', () => {
  it('evicts the BestEffort pod using memory, reports MemoryPressure, and leaves the Guaranteed pod running', () => {
    const c = cluster('kubelet-evict', '1Gi');
    const create = (body: unknown) => c.call({ verb: 'create', group: '', version: 'v1', resource: 'pods', namespace: 'default', body });
    create(pod('guaranteed', [{ name: 'web', image: 'nginx:1.27', resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '100m', memory: '128Mi' } } }]));
    create(pod('hog', [{ name: 'stress', image: 'polinux/stress', command: ['stress'], args: ['--vm', '1', '--vm-bytes', '950M', '--vm-hang', '1'] }]));
    c.world.sim.advance(30_000);
    const hog = c.getPod('hog').body as any;
    expect(hog.status).toMatchObject({ phase: 'Failed', reason: 'Evicted' });
    expect(hog.status.message).toBe('The node was low on resource: memory. Threshold quantity: 100Mi, available: 65Mi. Container stress was using 951Mi, request is 0, has larger consumption of memory. ');
    expect(hog.status.conditions.find((x: any) => x.type === 'DisruptionTarget')).toMatchObject({ status: 'True', reason: 'TerminationByKubelet' });
    expect((c.getPod('guaranteed').body as any).status.phase).toBe('Running');
    const node = c.call({ verb: 'get', group: '', version: 'v1', resource: 'nodes', name: 'node-1' }).body as any;
    expect(node.status.conditions.find((x: any) => x.type === 'MemoryPressure')).toMatchObject({ status: 'True', reason: 'KubeletHasInsufficientMemory', message: 'kubelet has insufficient memory available' });
    const events = (c.call({ verb: 'list', group: '', version: 'v1', resource: 'events', namespace: 'default' }).body as any).items;
    expect(events.find((e: any) => e.reason === 'Evicted').involvedObject.name).toBe('hog');
    expect(events.find((e: any) => e.reason === 'EvictionThresholdMet')).toMatchObject({ type: 'Warning', message: 'Attempting to reclaim memory', involvedObject: { kind: 'Node', name: 'node-1' } });
    // Five minutes after the last pressure the condition clears.
    c.world.sim.advance(320_000);
    const later = c.call({ verb: 'get', group: '', version: 'v1', resource: 'nodes', name: 'node-1' }).body as any;
    expect(later.status.conditions.find((x: any) => x.type === 'MemoryPressure')).toMatchObject({ status: 'False', reason: 'KubeletHasSufficientMemory' });
  });
});

describe('kubelet: admission', () => {
  it('rejects a pod that does not fit in what is left of allocatable: Failed, OutOfcpu, with the event', () => {
    const c = cluster('kubelet-admit');
    c.call({ verb: 'create', group: '', version: 'v1', resource: 'pods', namespace: 'default', body: pod('big', [{ name: 'a', image: 'nginx:1.27', resources: { requests: { cpu: '3' } } }]) });
    c.world.sim.advance(2_000);
    c.call({ verb: 'create', group: '', version: 'v1', resource: 'pods', namespace: 'default', body: pod('late', [{ name: 'a', image: 'nginx:1.27', resources: { requests: { cpu: '2' } } }]) });
    c.world.sim.advance(5_000);
    expect((c.getPod('big').body as any).status.phase).toBe('Running');
    expect((c.getPod('late').body as any).status).toMatchObject({ phase: 'Failed', reason: 'OutOfcpu', message: "Pod was rejected: Node didn't have enough resource: cpu, requested: 2000, used: 3000, capacity: 4000" });
    const events = (c.call({ verb: 'list', group: '', version: 'v1', resource: 'events', namespace: 'default' }).body as any).items;
    expect(events.find((e: any) => e.reason === 'OutOfcpu')).toMatchObject({ type: 'Warning', involvedObject: { name: 'late' } });
  });
});

describe('kubelet: ephemeral-storage limits', () => {
  it('a pod writing past its ephemeral-storage limit is evicted', () => {
    const c = cluster('kubelet-storage');
    const script = `i=0; while [ $i -lt 2048 ]; do echo ${'x'.repeat(1023)} >> /tmp/big; i=$((i+1)); done; sleep 3600`;
    c.call({ verb: 'create', group: '', version: 'v1', resource: 'pods', namespace: 'default', body: pod('writer', [{ name: 'app', image: 'busybox:1.36', command: ['sh', '-c', script], resources: { limits: { 'ephemeral-storage': '1Mi' } } }]) });
    c.world.sim.advance(30_000);
    const s = (c.getPod('writer').body as any).status;
    expect(s).toMatchObject({ phase: 'Failed', reason: 'Evicted', message: 'Pod ephemeral local storage usage exceeds the total limit of containers 1Mi. ' });
  });
});

describe('kubelet: private registries', () => {
  it('a private image pulls only with an imagePullSecret for its registry', () => {
    const c = cluster('kubelet-private', '8Gi', new ImageCatalog({ 'registry.example.com/team/app': { private: true, ports: [8080] } }));
    const auth = Buffer.from(JSON.stringify({ auths: { 'registry.example.com': { auth: Buffer.from('u:p').toString('base64') } } })).toString('base64');
    c.call({ verb: 'create', group: '', version: 'v1', resource: 'secrets', namespace: 'default', body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'regcred' }, type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': auth } } });
    c.call({ verb: 'create', group: '', version: 'v1', resource: 'pods', namespace: 'default', body: pod('without', [{ name: 'app', image: 'registry.example.com/team/app:1' }]) });
    c.call({ verb: 'create', group: '', version: 'v1', resource: 'pods', namespace: 'default', body: pod('with', [{ name: 'app', image: 'registry.example.com/team/app:1' }], { imagePullSecrets: [{ name: 'regcred' }] }) });
    c.world.sim.advance(5_000);
    expect((c.getPod('with').body as any).status.phase).toBe('Running');
    const waiting = (c.getPod('without').body as any).status.containerStatuses[0].state.waiting;
    expect(waiting.reason).toMatch(/^(ErrImagePull|ImagePullBackOff)$/);
    const events = (c.call({ verb: 'list', group: '', version: 'v1', resource: 'events', namespace: 'default' }).body as any).items;
    expect(events.find((e: any) => e.involvedObject.name === 'without' && e.message.startsWith('Failed to pull image')).message).toBe(
      'Failed to pull image "registry.example.com/team/app:1": rpc error: code = Unknown desc = failed to pull and unpack image "registry.example.com/team/app:1": failed to resolve reference "registry.example.com/team/app:1": pull access denied, repository does not exist or may require authorization: authorization failed: no basic auth credentials',
    );
  });
});

describe('kubelet: CPU contention', () => {
  it('on a full node CPU is shared by requests: the small request slows until its probe times out', () => {
    const catalog = new ImageCatalog({ 'busy/app': { ports: [8080], cpuMillicores: 2000, http: { '/healthz': { status: 200, latencyMs: 300 } } } });
    const cp = kubeletCluster('kubelet-cpu', { catalog, node: { capacity: { cpu: '2', memory: '8Gi' } } });
    const { kubelet } = cp;
    const admin = cp.client('cp-0');
    const probe = { httpGet: { path: '/healthz', port: 8080 }, timeoutSeconds: 1, periodSeconds: 10 };
    for (const [name, cpu] of [['big', '1500m'], ['small', '500m']] as const) {
      admin.request({ verb: 'create', group: '', version: 'v1', resource: 'pods', namespace: 'default', body: pod(name, [{ name: 'app', image: 'busy/app:1', resources: { requests: { cpu } }, livenessProbe: probe }]) }, () => {});
    }
    cp.world.sim.advance(120_000);
    const restarts = (name: string) => [...kubelet.pods.values()].find((e) => e.pod.metadata?.name === name)!.worker.slots[0]!.restartCount;
    expect(restarts('big')).toBe(0);
    expect(restarts('small')).toBeGreaterThanOrEqual(1);
  });
});

describe('kubelet: node crash', () => {
  it('a crash kills the node’s containers; after the reboot the kubelet finds its pods again and starts them', () => {
    const c = cluster('kubelet-crash');
    c.call({ verb: 'create', group: '', version: 'v1', resource: 'pods', namespace: 'default', body: pod('svc', [{ name: 'app', image: 'busybox:1.36', command: ['sh', '-c', 'echo up; sleep 3600'] }]) });
    c.world.sim.advance(5_000);
    const before = (c.getPod('svc').body as any).status.containerStatuses[0];
    expect(before.state.running).toBeDefined();
    c.world.crash('node-1');
    expect(c.kubelet.pods.size).toBe(0);
    c.world.sim.advance(20_000);
    c.world.restart('node-1');
    c.world.sim.advance(20_000);
    expect(c.kubelet.pods.size).toBe(1);
    const after = (c.getPod('svc').body as any).status.containerStatuses[0];
    expect(after.state.running).toBeDefined();
    expect(after.containerID).not.toBe(before.containerID);
    const logs = c.call({ verb: 'get', group: '', version: 'v1', resource: 'pods', namespace: 'default', name: 'svc', subresource: 'log' }).body as any;
    expect(logs.text).toBe('up\n');
  });
});

describe('kubelet: disk pressure', () => {
  it('nodefs below 10 %: DiskPressure, then the pod using the most disk above its request is evicted', () => {
    const c = cluster('kubelet-disk', '8Gi', new ImageCatalog(), '20Mi');
    const fill = `i=0; while [ $i -lt 18432 ]; do echo ${'x'.repeat(1023)} >> /tmp/big; i=$((i+1)); done; sleep 3600`;
    c.call({ verb: 'create', group: '', version: 'v1', resource: 'pods', namespace: 'default', body: pod('quiet', [{ name: 'app', image: 'busybox:1.36', command: ['sleep', '3600'] }]) });
    c.call({ verb: 'create', group: '', version: 'v1', resource: 'pods', namespace: 'default', body: pod('filler', [{ name: 'app', image: 'busybox:1.36', command: ['sh', '-c', fill] }]) });
    c.world.sim.advance(30_000);
    const filler = (c.getPod('filler').body as any).status;
    expect(filler).toMatchObject({ phase: 'Failed', reason: 'Evicted' });
    expect(filler.message).toBe('The node was low on resource: ephemeral-storage. Threshold quantity: 2Mi, available: 0. Container app was using 18Mi, request is 0, has larger consumption of ephemeral-storage. ');
    expect((c.getPod('quiet').body as any).status.phase).toBe('Running');
    const node = c.call({ verb: 'get', group: '', version: 'v1', resource: 'nodes', name: 'node-1' }).body as any;
    expect(node.status.conditions.find((x: any) => x.type === 'DiskPressure')).toMatchObject({ status: 'True', reason: 'KubeletHasDiskPressure', message: 'kubelet has disk pressure' });
  });
});
