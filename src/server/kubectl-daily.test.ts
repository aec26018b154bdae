import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasKubectl, serveForKubectl, type ServedCluster } from './testing/kubectl.js';

/** The commands people type every day, through the real kubectl 1.32, against `crucible serve` (3 nodes). */
let served: ServedCluster;
const kubectl = (...args: string[]) => served.kubectl(...args);
const out = (...args: string[]) => served.out(...args);
const deployment = (name: string, replicas: number, image = 'nginx:1.27') =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: ${name}, labels: { tier: ${name} } }\nspec:\n  replicas: ${replicas}\n  selector: { matchLabels: { app: ${name} } }\n  template:\n    metadata: { labels: { app: ${name} } }\n    spec:\n      containers:\n      - { name: main, image: "${image}" }\n`;

describe.skipIf(!hasKubectl)('kubectl 1.32, everyday commands, against crucible serve', () => {
  beforeAll(async () => {
    served = await serveForKubectl('kubectl-daily', { nodes: 3 });
  });
  afterAll(async () => served?.close());

  it('apply -f of a directory, a multi-document file and a kustomization (-k)', async () => {
    const dir = join(served.dir, 'manifests');
    mkdirSync(dir);
    writeFileSync(join(dir, 'a.yaml'), deployment('alpha', 1));
    writeFileSync(join(dir, 'b.yaml'), `${deployment('beta', 1)}---\napiVersion: v1\nkind: Service\nmetadata: { name: beta }\nspec:\n  selector: { app: beta }\n  ports: [{ port: 80 }]\n`);
    expect(await out('apply', '-f', dir)).toBe('deployment.apps/alpha created\ndeployment.apps/beta created\nservice/beta created\n');
    const k = join(served.dir, 'kustomize');
    mkdirSync(k);
    writeFileSync(join(k, 'kustomization.yaml'), 'namePrefix: k-\nlabels:\n- pairs: { team: blue }\nresources: [gamma.yaml]\nconfigMapGenerator:\n- name: settings\n  literals: [mode=fast]\n');
    writeFileSync(join(k, 'gamma.yaml'), deployment('gamma', 1));
    const applied = await out('apply', '-k', k);
    expect(applied).toMatch(/^configmap\/k-settings-[a-z0-9]{10} created\ndeployment.apps\/k-gamma created\n$/);
    expect(await out('get', 'deploy', '-l', 'team=blue', '-o', 'name')).toBe('deployment.apps/k-gamma\n');
    for (const d of ['alpha', 'beta', 'k-gamma']) expect(await out('rollout', 'status', `deploy/${d}`, '--timeout=30s')).toContain('successfully rolled out');
  });

  it('get: -o yaml|json|jsonpath|custom-columns, -A, -l, --field-selector, --sort-by', async () => {
    const yaml = await out('get', 'deploy', 'alpha', '-o', 'yaml');
    expect(yaml).toMatch(/^apiVersion: apps\/v1\nkind: Deployment\nmetadata:\n  annotations:\n    deployment.kubernetes.io\/revision: "1"\n/);
    expect(JSON.parse(await out('get', 'svc', 'beta', '-o', 'json')).spec).toMatchObject({ type: 'ClusterIP', ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }] });
    expect(await out('get', 'deploy', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.status.readyReplicas}{"\\n"}{end}')).toBe('alpha=1\nbeta=1\nk-gamma=1\n');
    expect(await out('get', 'deploy', '-o', 'custom-columns=NAME:.metadata.name,IMAGE:.spec.template.spec.containers[0].image', '--sort-by=.metadata.name')).toBe('NAME      IMAGE\nalpha     nginx:1.27\nbeta      nginx:1.27\nk-gamma   nginx:1.27\n');
    const all = await out('get', 'pods', '-A', '--sort-by=.metadata.name');
    expect(all.split('\n')[0]).toMatch(/^NAMESPACE   NAME +READY   STATUS    RESTARTS   AGE$/);
    const names = all.trim().split('\n').slice(1).map((l) => l.split(/\s+/)[1]!);
    expect(names).toEqual([...names].sort());
    expect(names).toHaveLength(3);
    expect((await out('get', 'pods', '-l', 'app=alpha', '-o', 'name')).trim()).toMatch(/^pod\/alpha-[a-z0-9]+-[a-z0-9]{5}$/);
    expect((await out('get', 'pods', '--field-selector', 'status.phase=Running', '-o', 'name')).trim().split('\n')).toHaveLength(3);
    expect(await kubectl('get', 'pods', '--field-selector', 'spec.color=blue')).toMatchObject({ code: 1, stderr: 'Error from server (BadRequest): Unable to find "/v1, Resource=pods" that match label selector "", field selector "spec.color=blue": field label not supported: spec.color\n' });
  });

  it('annotate, and patch of all three types (strategic, merge, json)', async () => {
    expect(await out('annotate', 'deploy', 'alpha', 'owner=sre')).toBe('deployment.apps/alpha annotated\n');
    expect(await out('patch', 'deploy', 'alpha', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"main","env":[{"name":"MODE","value":"x"}]}]}}}}')).toBe('deployment.apps/alpha patched\n');
    expect(await out('patch', 'deploy', 'alpha', '--type=merge', '-p', '{"metadata":{"labels":{"color":"blue"}}}')).toBe('deployment.apps/alpha patched\n');
    expect(await out('patch', 'deploy', 'alpha', '--type=json', '-p', '[{"op":"replace","path":"/spec/replicas","value":2}]')).toBe('deployment.apps/alpha patched\n');
    const d = JSON.parse(await out('get', 'deploy', 'alpha', '-o', 'json'));
    expect(d.metadata.annotations.owner).toBe('sre');
    expect(d.metadata.labels).toEqual({ tier: 'alpha', color: 'blue' });
    expect(d.spec.replicas).toBe(2);
    // The strategic patch merged into the container by name; the image is still there.
    expect(d.spec.template.spec.containers).toEqual([expect.objectContaining({ name: 'main', image: 'nginx:1.27', env: [{ name: 'MODE', value: 'x' }] })]);
    expect(await out('patch', 'deploy', 'alpha', '-p', '{"spec":{"replicas":2}}')).toBe('deployment.apps/alpha patched (no change)\n');
    expect(await kubectl('patch', 'deploy', 'alpha', '--type=json', '-p', '[{"op":"remove","path":"/spec/nope"}]')).toMatchObject({ code: 1 });
  });

  it('apply again with a container env var removed: the three-way strategic patch drops just that one and keeps a hand-added one', async () => {
    const file = join(served.dir, 'envs.yaml');
    const withEnv = (env: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: envs }\nspec:\n  replicas: 1\n  selector: { matchLabels: { app: envs } }\n  template:\n    metadata: { labels: { app: envs } }\n    spec:\n      containers:\n      - name: main\n        image: nginx:1.27\n        env: [${env}]\n`;
    writeFileSync(file, withEnv('{ name: A, value: "1" }, { name: B, value: "2" }'));
    expect(await out('apply', '-f', file)).toBe('deployment.apps/envs created\n');
    // Someone adds C by hand; apply does not own it and must keep it.
    await out('set', 'env', 'deploy/envs', 'C=3');
    writeFileSync(file, withEnv('{ name: A, value: "1" }'));
    expect(await out('apply', '-f', file)).toBe('deployment.apps/envs configured\n');
    const env = JSON.parse(await out('get', 'deploy', 'envs', '-o', 'jsonpath={.spec.template.spec.containers[0].env}'));
    expect(env).toEqual([{ name: 'A', value: '1' }, { name: 'C', value: '3' }]);
    await out('delete', 'deploy', 'envs');
  });

  it('apply --server-side: serverside-applied, a conflict with kubectl scale, --force-conflicts, dropped fields removed, managedFields', async () => {
    const file = join(served.dir, 'ssa.yaml');
    const manifest = (replicas: number, env: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: ssa }\nspec:\n  replicas: ${replicas}\n  selector: { matchLabels: { app: ssa } }\n  template:\n    metadata: { labels: { app: ssa } }\n    spec:\n      containers:\n      - name: main\n        image: nginx:1.27\n        env: [${env}]\n`;
    writeFileSync(file, manifest(2, '{ name: A, value: "1" }, { name: B, value: "2" }'));
    expect(await out('apply', '--server-side', '-f', file)).toBe('deployment.apps/ssa serverside-applied\n');
    expect(await out('scale', 'deploy', 'ssa', '--replicas=3')).toBe('deployment.apps/ssa scaled\n');
    const refused = await kubectl('apply', '--server-side', '-f', file);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^error: Apply failed with 1 conflict: conflict with "kubectl" with subresource "scale" using apps\/v1 at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ: \.spec\.replicas\nPlease review the fields above--they currently have other managers\./);
    writeFileSync(file, manifest(2, '{ name: A, value: "1" }'));
    expect(await out('apply', '--server-side', '--force-conflicts', '-f', file)).toBe('deployment.apps/ssa serverside-applied\n');
    const d = JSON.parse(await out('get', 'deploy', 'ssa', '-o', 'json', '--show-managed-fields'));
    expect(d.spec.replicas).toBe(2);
    expect(d.spec.template.spec.containers[0].env).toEqual([{ name: 'A', value: '1' }]);
    const managers = (d.metadata.managedFields as Array<{ manager: string; operation: string; subresource?: string }>).map((e) => `${e.manager}/${e.operation}${e.subresource ? `/${e.subresource}` : ''}`);
    expect(managers).toContain('kubectl/Apply');
    expect(managers).toContain('kube-controller-manager/Update/status');
    expect(managers).not.toContain('kubectl/Update/scale');
    // kubectl hides managedFields unless asked.
    expect(await out('get', 'deploy', 'ssa', '-o', 'yaml')).not.toContain('managedFields');
    await out('delete', 'deploy', 'ssa');
  });

  it('create deployment over protobuf keeps replicas: 0 and stores no zero-valued fields', async () => {
    expect(await out('create', 'deployment', 'idle', '--image=nginx:1.27', '--replicas=0')).toBe('deployment.apps/idle created\n');
    const d = JSON.parse(await out('get', 'deploy', 'idle', '-o', 'json'));
    expect(d.spec.replicas).toBe(0);
    expect(d.spec.template.spec.containers[0]).not.toHaveProperty('stdin');
    expect(d.spec.template.spec).not.toHaveProperty('hostNetwork');
    expect(await out('delete', 'deploy', 'idle')).toBe('deployment.apps "idle" deleted\n');
  });

  it('rollout restart, undo and history: undo goes back to the first ReplicaSet', async () => {
    const firstRs = (await out('get', 'rs', '-l', 'app=beta', '-o', 'name')).trim();
    expect(await out('rollout', 'restart', 'deploy/beta')).toBe('deployment.apps/beta restarted\n');
    expect(await out('rollout', 'status', 'deploy/beta', '--timeout=30s')).toContain('successfully rolled out');
    expect(await out('rollout', 'undo', 'deploy/beta')).toBe('deployment.apps/beta rolled back\n');
    expect(await out('rollout', 'status', 'deploy/beta', '--timeout=30s')).toContain('successfully rolled out');
    expect(await out('rollout', 'history', 'deploy/beta')).toBe('deployment.apps/beta \nREVISION  CHANGE-CAUSE\n2         <none>\n3         <none>\n\n');
    const rs = JSON.parse(await out('get', 'rs', '-l', 'app=beta', '-o', 'json')).items as Array<{ metadata: { name: string; annotations: Record<string, string> }; spec: { replicas: number } }>;
    expect(rs.find((r) => r.spec.replicas === 1)?.metadata.name).toBe(firstRs.replace('replicaset.apps/', ''));
  });
});
