import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasKubectl, serveForKubectl, type ServedCluster } from './testing/kubectl.js';

const CRD = [
  'apiVersion: apiextensions.k8s.io/v1',
  'kind: CustomResourceDefinition',
  'metadata: { name: widgets.example.com }',
  'spec:',
  '  group: example.com',
  '  scope: Namespaced',
  '  names: { plural: widgets, singular: widget, kind: Widget }',
  '  versions:',
  '  - name: v1',
  '    served: true',
  '    storage: true',
  '    schema:',
  '      openAPIV3Schema:',
  '        type: object',
  '        description: A Widget is a thing with a size.',
  '        properties:',
  '          spec:',
  '            type: object',
  '            properties:',
  '              size:',
  '                type: integer',
  '                description: How big the widget is, in centimetres.',
].join('\n');

/** Operating a cluster through the real kubectl 1.32: logs, describe, nodes, deletion, discovery, events, watches, top. */
let served: ServedCluster;
const kubectl = (...args: string[]) => served.kubectl(...args);
const out = (...args: string[]) => served.out(...args);
const apply = async (name: string, yaml: string) => {
  const file = join(served.dir, `${name}.yaml`);
  writeFileSync(file, yaml);
  return out('apply', '-f', file);
};

describe.skipIf(!hasKubectl)('kubectl 1.32 operating a served cluster', () => {
  beforeAll(async () => {
    served = await serveForKubectl('kubectl-ops', { nodes: 2 });
    await apply('web', 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web }\nspec:\n  replicas: 2\n  selector: { matchLabels: { app: web } }\n  template:\n    metadata: { labels: { app: web } }\n    spec:\n      containers:\n      - { name: nginx, image: "nginx:1.27", ports: [{ containerPort: 80 }] }\n---\napiVersion: v1\nkind: Service\nmetadata: { name: web }\nspec:\n  selector: { app: web }\n  ports: [{ port: 80, targetPort: 80 }]\n');
    await out('rollout', 'status', 'deploy/web', '--timeout=30s');
  });
  afterAll(async () => served?.close());

  it('logs -f streams until the container exits; -c picks a container', async () => {
    await apply('count', 'apiVersion: v1\nkind: Pod\nmetadata: { name: count }\nspec:\n  restartPolicy: Never\n  containers:\n  - { name: count, image: busybox:1.36, command: [sh, -c, "for i in 1 2 3; do echo line $i; sleep 1; done"] }\n  - { name: side, image: busybox:1.36, command: [sh, -c, "echo side; sleep 2"] }\n');
    await out('wait', '--for=jsonpath={.status.containerStatuses[0].state.running}', 'pod/count', '--timeout=20s');
    // kubectl waits for the stream to end: the container's three lines, one a second, then it exits 0.
    expect(await out('logs', '-f', 'count', '-c', 'count')).toBe('line 1\nline 2\nline 3\n');
    expect(await out('logs', 'count', '-c', 'side')).toBe('side\n');
  });

  it('logs --previous reads the instance before the last restart; without one it is the kubelet\'s 400', async () => {
    await apply('crash', 'apiVersion: v1\nkind: Pod\nmetadata: { name: crash }\nspec:\n  containers:\n  - { name: c, image: busybox:1.36, command: [sh, -c, "echo run at start; exit 1"] }\n');
    await out('wait', '--for=jsonpath={.status.containerStatuses[0].restartCount}=1', 'pod/crash', '--timeout=30s');
    expect(await out('logs', 'crash', '--previous')).toBe('run at start\n');
    expect(await out('get', 'pod', 'crash', '-o', 'jsonpath={.status.containerStatuses[0].lastState.terminated.exitCode}')).toBe('1');
    const web = (await out('get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[0].metadata.name}')).trim();
    expect(await kubectl('logs', web, '-p')).toMatchObject({ code: 1, stderr: `Error from server (BadRequest): previous terminated container "nginx" in pod "${web}" not found\n` });
    await out('delete', 'pod', 'crash', '--wait=false');
  });

  it('describe node, as kubectl prints it', async () => {
    const node = await out('describe', 'node', 'node-1');
    expect(node).toMatch(/^Name:               node-1\nRoles:              <none>\nLabels:             beta\.kubernetes\.io\/arch=amd64\n/);
    expect(node).toMatch(/\n  Ready            True    .+KubeletReady                 kubelet is posting ready status\n/);
    expect(node).toMatch(/\nCapacity:\n  cpu:                4\n/);
    expect(node).toMatch(/\nNon-terminated Pods:          \(\d+ in total\)\n/);
  });

  it('describe deployment and service, as kubectl prints them', async () => {
    const d = await out('describe', 'deployment', 'web');
    expect(d).toMatch(/^Name:                   web\nNamespace:              default\n/);
    expect(d).toContain('Replicas:               2 desired | 2 updated | 2 total | 2 available | 0 unavailable\n');
    expect(d).toMatch(/NewReplicaSet:   web-[a-z0-9]+ \(2\/2 replicas created\)/);
    const s = await out('describe', 'service', 'web');
    expect(s).toMatch(/Type:                     ClusterIP\n/);
    expect(s).toMatch(/Endpoints:                10\.244\.\d\.\d+:80,10\.244\.\d\.\d+:80\n/);
  });

  it('cordon, drain and uncordon a node', async () => {
    expect(await out('cordon', 'node-1')).toBe('node/node-1 cordoned\n');
    expect(await out('get', 'node', 'node-1')).toMatch(/node-1   Ready,SchedulingDisabled   <none>/);
    const drained = await out('drain', 'node-2', '--ignore-daemonsets', '--timeout=30s');
    expect(drained).toMatch(/^node\/node-2 cordoned\n(evicting pod default\/\S+\n)+(pod\/\S+ evicted\n)+node\/node-2 drained\n$/);
    expect(await out('get', 'pods', '--field-selector', 'spec.nodeName=node-2', '-o', 'name')).toBe('');
    expect(await out('uncordon', 'node-1')).toBe('node/node-1 uncordoned\n');
    expect(await out('uncordon', 'node-2')).toBe('node/node-2 uncordoned\n');
    await out('rollout', 'status', 'deploy/web', '--timeout=30s');
  });

  it('delete --cascade=orphan leaves the ReplicaSet; --cascade=foreground waits for the dependents', async () => {
    await apply('keep', 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: keep }\nspec:\n  replicas: 1\n  selector: { matchLabels: { app: keep } }\n  template:\n    metadata: { labels: { app: keep } }\n    spec:\n      containers:\n      - { name: c, image: "nginx:1.27" }\n');
    await out('rollout', 'status', 'deploy/keep', '--timeout=30s');
    expect(await out('delete', 'deploy', 'keep', '--cascade=orphan')).toBe('deployment.apps "keep" deleted\n');
    const rs = JSON.parse(await out('get', 'rs', '-l', 'app=keep', '-o', 'json')).items;
    expect(rs).toHaveLength(1);
    expect(rs[0].metadata.ownerReferences ?? []).toEqual([]);
    expect(await out('delete', 'rs', rs[0].metadata.name, '--cascade=foreground')).toBe(`replicaset.apps "${rs[0].metadata.name}" deleted\n`);
    // kubectl waited for the ReplicaSet to go, which foreground deletion holds until its pods are gone.
    expect(await out('get', 'rs,pods', '-l', 'app=keep', '-o', 'name')).toBe('');
  });

  it('proxy: get --raw through pods/<name>:<port>/proxy and services/<name>/proxy reaches the container', async () => {
    const pod = (await out('get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[0].metadata.name}')).trim();
    expect(await out('get', '--raw', `/api/v1/namespaces/default/pods/${pod}:80/proxy/`)).toContain('<title>Welcome to nginx!</title>');
    expect(await out('get', '--raw', '/api/v1/namespaces/default/services/web/proxy/')).toContain('<title>Welcome to nginx!</title>');
    const ip = (await out('get', 'pod', pod, '-o', 'jsonpath={.status.podIP}')).trim();
    expect(await kubectl('get', '--raw', `/api/v1/namespaces/default/pods/${pod}:81/proxy/`)).toMatchObject({ code: 1, stderr: `Error from server (ServiceUnavailable): error trying to reach service: dial tcp ${ip}:81: connect: connection refused\n` });
    await out('create', 'service', 'clusterip', 'nobody', '--tcp=80:80');
    expect(await kubectl('get', '--raw', '/api/v1/namespaces/default/services/nobody/proxy/')).toMatchObject({ code: 1, stderr: 'Error from server (ServiceUnavailable): no endpoints available for service "nobody"\n' });
  });

  it('explain renders the built-in kinds from the served OpenAPI v3 schemas', async () => {
    const pod = await out('explain', 'pods');
    expect(pod).toMatch(/^KIND:       Pod\nVERSION:    v1\n\nDESCRIPTION:\n    Pod is a collection of containers that can run on a host\. This resource is\n    created by clients and scheduled onto hosts\.\n/);
    expect(pod).toMatch(/\n  metadata\t<ObjectMeta>\n    Standard object's metadata\./);
    expect(pod).toMatch(/\n  spec\t<PodSpec>\n/);
    const strategy = await out('explain', 'deployment.spec.strategy');
    expect(strategy).toMatch(/^GROUP:      apps\nKIND:       Deployment\nVERSION:    v1\n\nFIELD: strategy <DeploymentStrategy>\n/);
    expect(strategy).toMatch(/\n  rollingUpdate\t<RollingUpdateDeployment>\n/);
    expect(await out('explain', 'pods.spec.containers')).toMatch(/\nFIELD: containers <\[\]Container>\n/);
    expect((await kubectl('explain', 'pods.spec.nope')).stderr).toBe('error: field "nope" does not exist\n');
    // The same from OpenAPI v2, which client-go reads only as gnostic protobuf.
    expect(await out('explain', 'pods.spec.restartPolicy', '--output=plaintext-openapiv2')).toMatch(/^KIND: +Pod\nVERSION: +v1\n\nFIELD: +restartPolicy <string>\n\nDESCRIPTION:\n +Restart policy for all containers within the pod\./);
  });

  it('explain on a custom resource: its CRD schema, with apiVersion, kind and metadata', async () => {
    await apply('crd', CRD);
    for (let i = 0; i < 20 && (await kubectl('explain', 'widgets')).code !== 0; i++) await new Promise((r) => setTimeout(r, 100));
    const widget = await out('explain', 'widgets');
    expect(widget).toMatch(/^GROUP:      example\.com\nKIND:       Widget\nVERSION:    v1\n\nDESCRIPTION:\n    A Widget is a thing with a size\.\n/);
    expect(widget).toMatch(/\n  metadata\t<ObjectMeta>\n/);
    expect(await out('explain', 'widget.spec.size')).toMatch(/FIELD: size <integer>\n[\s\S]*How big the widget is, in centimetres\./);
  });

  it('api-resources and events', async () => {
    const resources = await out('api-resources');
    expect(resources.split('\n')[0]).toMatch(/^NAME +SHORTNAMES +APIVERSION +NAMESPACED +KIND$/);
    expect(resources).toMatch(/\ndeployments +deploy +apps\/v1 +true +Deployment\n/);
    expect(resources).toMatch(/\npods +po +v1 +true +Pod\n/);
    const events = await out('events', '--for', 'deployment/web');
    expect(events.split('\n')[0]).toMatch(/^LAST SEEN   TYPE     REASON              OBJECT           MESSAGE$/);
    expect(events).toMatch(/Normal   ScalingReplicaSet   Deployment\/web   Scaled up replica set web-[a-z0-9]+ from 0 to 2\n/);
  });

  it('nodes/<node>/proxy reaches the kubelet\'s own API: healthz, pods, configz, metrics/resource; other paths are its 404', async () => {
    expect(await out('get', '--raw', '/api/v1/nodes/node-1/proxy/healthz')).toBe('ok');
    const pods = JSON.parse(await out('get', '--raw', '/api/v1/nodes/node-1/proxy/pods')) as { kind: string; items: Array<{ spec: { nodeName: string } }> };
    expect(pods.kind).toBe('PodList');
    expect(pods.items.every((p) => p.spec.nodeName === 'node-1')).toBe(true);
    expect(JSON.parse(await out('get', '--raw', '/api/v1/nodes/node-1/proxy/configz')).kubeletconfig.evictionHard['memory.available']).toBe('100Mi');
    expect(await out('get', '--raw', '/api/v1/nodes/node-1/proxy/metrics/resource')).toMatch(/\n# TYPE node_cpu_usage_seconds_total counter\nnode_cpu_usage_seconds_total [\d.]+ \d+\n/);
    const missing = await kubectl('get', '--raw', '/api/v1/nodes/node-1/proxy/nope');
    expect([missing.code, missing.stderr]).toEqual([1, 'Error from server (NotFound): the server could not find the requested resource\n']);
  });

  it('get -w prints the list, then each change as it happens', async () => {
    const watch = spawn('kubectl', ['--kubeconfig', served.config, 'get', 'deploy', 'web', '-w', '--output-watch-events']);
    let text = '';
    watch.stdout.on('data', (d: Buffer) => (text += d.toString()));
    await new Promise((r) => setTimeout(r, 500));
    await out('scale', 'deploy', 'web', '--replicas=3');
    for (let i = 0; i < 50 && !/MODIFIED +web +3\/3/.test(text); i++) await new Promise((r) => setTimeout(r, 100));
    watch.kill();
    expect(text.split('\n')[0]).toMatch(/^EVENT +NAME +READY +UP-TO-DATE +AVAILABLE +AGE$/);
    expect(text).toMatch(/\nADDED +web +2\/2 +2 +2 /);
    expect(text).toMatch(/\nMODIFIED +web +\d\/3 /);
    expect(text).toMatch(/\nMODIFIED +web +3\/3 +3 +3 /);
  });

  it('top nodes and pods, once metrics-server has scraped the kubelets', async () => {
    served.cluster.advance(70_000);
    const nodes = await out('top', 'nodes');
    expect(nodes.split('\n')[0]).toMatch(/^NAME +CPU\(cores\) +CPU\(%\) +MEMORY\(bytes\) +MEMORY\(%\) *$/);
    expect(nodes).toMatch(/\nnode-1 +\d+m +\d+% +\d+Mi +\d+% *\n/);
    const pods = await out('top', 'pods', '-l', 'app=web');
    expect(pods.split('\n')[0]).toMatch(/^NAME +CPU\(cores\) +MEMORY\(bytes\) *$/);
    expect(pods.trim().split('\n')).toHaveLength(4);
  });
});
