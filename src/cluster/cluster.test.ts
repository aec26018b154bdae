import { describe, expect, it } from 'vitest';
import { Cluster } from './cluster.js';
import { ManifestError } from './manifests.js';
import { TopologyError } from './topology.js';
import { WaitTimeoutError } from './wait.js';

const deployment = (replicas: number, extraLabels = '') => `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web${extraLabels}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        readinessProbe:
          httpGet: { path: /, port: 80 }
`;

describe('Cluster (the TypeScript API)', () => {
  it('creates a ready 3-node cluster: nodes Ready, namespaces and their default ServiceAccounts', () => {
    const c = Cluster.create({ seed: 'cluster-ready' });
    expect(c.list('nodes').map((n) => n.metadata.name)).toEqual(['node-1', 'node-2', 'node-3']);
    expect(c.get('serviceaccount', 'default', 'default').metadata.name).toBe('default');
    expect(c.list('namespaces').map((n) => n.metadata.name)).toEqual(['default', 'kube-node-lease', 'kube-public', 'kube-system']);
  });

  it('applies YAML like kubectl apply: created, unchanged, configured; removed fields go; the Deployment becomes Available', () => {
    const c = Cluster.create({ seed: 'cluster-apply' });
    expect(c.apply(deployment(3, '\n    tier: front')).map((r) => r.line)).toEqual(['deployment.apps/web created']);
    c.waitForCondition('deployment', 'web', 'Available');
    expect(c.get('deploy', 'web').status).toMatchObject({ replicas: 3, readyReplicas: 3, availableReplicas: 3 });
    expect(c.list('pods', { labelSelector: 'app=web' }).every((p) => p.status.phase === 'Running')).toBe(true);
    expect(c.apply(deployment(3, '\n    tier: front')).map((r) => r.line)).toEqual(['deployment.apps/web unchanged']);
    expect(c.apply(deployment(5)).map((r) => r.line)).toEqual(['deployment.apps/web configured']);
    const live = c.get('deployments.apps', 'web');
    expect(live.spec.replicas).toBe(5);
    expect(live.metadata.labels).toEqual({ app: 'web' });
  });

  it('scale, set image, rollout undo, cordon and drain through the same API', () => {
    const c = Cluster.create({ seed: 'cluster-verbs' });
    c.apply(deployment(2));
    c.waitForCondition('deployment', 'web', 'Available');
    c.scale('deployment', 'web', 4);
    c.waitFor('4 ready replicas', () => (c.peek('deployment', 'web') as any)?.status?.readyReplicas === 4);
    c.setImage('deployment', 'web', 'nginx', 'nginx:1.28');
    c.waitFor('the rollout', () => (c.peek('deployment', 'web') as any)?.status?.updatedReplicas === 4 && (c.peek('deployment', 'web') as any)?.status?.replicas === 4);
    expect(c.rolloutUndo('web')).toBe('deployment.apps/web rolled back');
    c.waitFor('the undo', () => (c.peek('deployment', 'web') as any)?.spec?.template?.spec?.containers?.[0]?.image === 'nginx:1.27');
    expect(() => c.setImage('deployment', 'web', 'nope', 'x')).toThrow('unable to find container named "nope"');
    const result = c.drain('node-1', { ignoreDaemonSets: true, timeoutMs: 120_000 });
    expect(result.error).toBeUndefined();
    expect(c.get('node', 'node-1').spec.unschedulable).toBe(true);
    c.uncordon('node-1');
    expect(c.get('node', 'node-1').spec.unschedulable).toBeUndefined();
  });

  it('reads logs and events; injects and heals faults by spec', () => {
    const c = Cluster.create({ seed: 'cluster-faults' });
    c.apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'hello' }, spec: { nodeName: 'node-2', restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', 'echo hello; echo world'] }] } });
    c.waitFor('the pod to finish', () => (c.peek('pod', 'hello') as any)?.status?.phase === 'Succeeded');
    expect(c.logs('hello')).toBe('hello\nworld\n');
    expect(c.logs('hello', { tail: 1 })).toBe('world\n');
    expect(c.events('hello').map((e: any) => e.reason)).toEqual(expect.arrayContaining(['Pulled', 'Created', 'Started']));
    const cut = c.fault({ kind: 'partition', groups: [['node-3'], ['control-plane']] });
    c.waitForCondition('node', 'node-3', 'Ready', { status: 'Unknown', timeoutMs: 120_000 });
    cut.heal();
    c.waitForCondition('node', 'node-3', 'Ready', { timeoutMs: 120_000 });
  });

  it('a failed wait prints what it waited for, the object, its recent events and the seed', () => {
    const c = Cluster.create({ seed: 'cluster-wait' });
    c.apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'big' }, spec: { containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '64' } } }] } });
    let error: unknown;
    try {
      c.waitForCondition('pod', 'big', 'Ready', { timeoutMs: 30_000 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(WaitTimeoutError);
    const text = (error as Error).message;
    expect(text).toContain('timed out after 30s of virtual time waiting for pods/big condition Ready=True');
    expect(text).toContain('seed: cluster-wait');
    expect(text).toContain('name: big');
    expect(text).toContain('FailedScheduling');
    expect(text).toContain('0/3 nodes are available: 3 Insufficient cpu.');
  });

  it('bad input gets clear errors and changes nothing', () => {
    const c = Cluster.create({ seed: 'cluster-errors' });
    expect(() => c.apply('apiVersion: v1\nkind: ConfigMap\nmetadata: { name: ok }\n---\napiVersion: apps/v1\nkind: Deploymentt\nmetadata: { name: web }\n', 'web.yaml')).toThrow(
      'resource mapping not found for name: "web" namespace: "" from "web.yaml": no matches for kind "Deploymentt" in version "apps/v1"',
    );
    expect(c.find('configmap', 'ok')).toBeUndefined();
    expect(() => c.apply('kind: [unclosed', 'bad.yaml')).toThrow(ManifestError);
    expect(() => c.apply('kind: [unclosed', 'bad.yaml')).toThrow(/^bad\.yaml:\d+:\d+: /);
    expect(() => c.apply('kind: Pod\n', 'x.yaml')).toThrow('x.yaml: apiVersion not set');
    expect(() => c.get('widgets', 'x')).toThrow('the server doesn\'t have a resource type "widgets"');
    expect(() => Cluster.create({ nodes: [{ cpu: 'lots' }, { name: 'Node_2' }], controlPlane: 2 })).toThrow(TopologyError);
    try {
      Cluster.create({ nodes: [{ cpu: 'lots' }, { name: 'Node_2' }], controlPlane: 2 });
    } catch (e) {
      expect((e as TopologyError).problems).toEqual([
        'cluster.nodes[0].cpu: expected a positive quantity such as "4" or "500m", got "lots"',
        'cluster.nodes[1].name: "Node_2" must consist of lower case alphanumeric characters or \'-\', and must start and end with an alphanumeric character',
        'cluster.controlPlane: expected 1, 3 or 5 hosts, got 2',
      ]);
    }
  });

  it('an HA control plane (3 hosts, etcd quorum, leader-elected components) runs workloads', () => {
    const c = Cluster.create({ seed: 'cluster-ha', controlPlane: 3, nodes: 2 });
    c.apply(deployment(2));
    c.waitForCondition('deployment', 'web', 'Available');
    expect(c.list('leases', { namespace: 'kube-system' }).map((l) => l.metadata.name)).toEqual(expect.arrayContaining(['kube-controller-manager', 'kube-scheduler']));
  });

  it('one seed, one history: the same steps give the same trace hash', () => {
    const run = (seed: string) => {
      const c = Cluster.create({ seed });
      c.apply(deployment(3));
      c.advance(60_000);
      return c.traceHash;
    };
    expect(run('same')).toBe(run('same'));
    expect(run('same')).not.toBe(run('other'));
  });
});

describe('Cluster: named faults, container kills, watches', () => {
  it('heals a fault by name; kills a container (exit 137, restarted); watches changes as a client', () => {
    const c = Cluster.create({ seed: 'cluster-extras' });
    const seen: string[] = [];
    const stop = c.watch('pods', (type, o) => seen.push(`${type} ${o.metadata?.name}`));
    c.apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } });
    c.waitForCondition('pod', 'web', 'Ready');
    c.killContainer('web');
    c.waitFor('a restart', () => (c.peek('pod', 'web') as any)?.status?.containerStatuses?.[0]?.restartCount === 1);
    const last = c.get('pod', 'web').status.containerStatuses[0].lastState.terminated;
    expect(last).toMatchObject({ exitCode: 137, reason: 'Error' });
    expect(() => c.killContainer('web', { container: 'nope' })).toThrow('pod "web" has no running container named "nope"');
    stop();
    expect(seen[0]).toBe('ADDED web');
    expect(seen.filter((s) => s === 'MODIFIED web').length).toBeGreaterThan(3);
    c.fault({ kind: 'partition', groups: [['node-1'], ['control-plane']] }, 'cut');
    expect(() => c.fault({ kind: 'crash', host: 'node-2' }, 'cut')).toThrow('a fault named "cut" is already active');
    c.heal('cut');
    expect(() => c.heal('nope')).toThrow('no fault named "nope" (active: none)');
  });
});
