import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubeconfig } from './http-server.js';
import { hasKubectl, serveForKubectl, type ServedCluster } from './testing/kubectl.js';

/** The real kubectl installed on the machine (1.32), against `crucible serve`. */
let served: ServedCluster;
const kubectl = (...args: string[]) => served.kubectl(...args);

describe.skipIf(!hasKubectl)('crucible serve with the real kubectl 1.32', () => {
  beforeAll(async () => {
    served = await serveForKubectl('kubectl-e2e');
  });
  afterAll(async () => served?.close());

  it('get nodes and namespaces: the same tables a real cluster prints', async () => {
    const nodes = await kubectl('get', 'nodes');
    expect(nodes.code).toBe(0);
    expect(nodes.stdout).toMatch(/^NAME     STATUS   ROLES    AGE\s+VERSION\nnode-1   Ready    <none>   \d+s\s+v1\.32\.0\n/);
    expect((await kubectl('get', 'ns')).stdout).toMatch(/^NAME\s+STATUS\s+AGE\ndefault\s+Active\s+\d+s\n/);
    expect((await kubectl('get', 'svc')).stdout).toMatch(/kubernetes   ClusterIP   10\.96\.0\.1    <none>        443\/TCP/);
  });

  it('apply -f, then get pods -o wide, describe, logs, scale, set image, rollout status and history, delete', async () => {
    const file = join(served.dir, 'web.yaml');
    writeFileSync(file, 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web }\nspec:\n  replicas: 2\n  selector: { matchLabels: { app: web } }\n  template:\n    metadata: { labels: { app: web } }\n    spec:\n      containers:\n      - { name: nginx, image: "nginx:1.27", ports: [{ containerPort: 80 }] }\n');
    expect(await kubectl('apply', '-f', file)).toMatchObject({ code: 0, stdout: 'deployment.apps/web created\n' });
    expect((await kubectl('rollout', 'status', 'deployment/web', '--timeout=60s')).stdout).toContain('deployment "web" successfully rolled out');
    const pods = await kubectl('get', 'pods', '-o', 'wide');
    expect(pods.stdout.split('\n')[0]).toBe('NAME                   READY   STATUS    RESTARTS   AGE   IP           NODE     NOMINATED NODE   READINESS GATES');
    expect(pods.stdout).toMatch(/web-[a-z0-9]{10}-[a-z0-9]{5}   1\/1     Running   0          \d+s\s+10\.244\.\d\.\d   node-\d   <none>           <none>/);
    const name = (await kubectl('get', 'pods', '-o', 'jsonpath={.items[0].metadata.name}')).stdout;
    const described = (await kubectl('describe', 'pod', name)).stdout;
    expect(described).toMatch(/^Name:             web-/);
    // Ages are computed by kubectl from the real clock: serve starts virtual time at the real now.
    expect(described).toMatch(/Normal  Scheduled  \d+s +default-scheduler  Successfully assigned default\/web-/);
    expect((await kubectl('logs', name)).stdout).toContain('/docker-entrypoint.sh: Configuration complete; ready for start up');
    expect((await kubectl('apply', '-f', file)).stdout).toBe('deployment.apps/web unchanged\n');
    expect((await kubectl('scale', 'deployment', 'web', '--replicas=3')).stdout).toBe('deployment.apps/web scaled\n');
    expect((await kubectl('set', 'image', 'deployment/web', 'nginx=nginx:1.28')).stdout).toBe('deployment.apps/web image updated\n');
    expect((await kubectl('rollout', 'status', 'deploy/web', '--timeout=60s')).stdout).toContain('deployment "web" successfully rolled out');
    expect((await kubectl('rollout', 'history', 'deployment/web')).stdout).toBe('deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n');
    expect((await kubectl('label', 'deployment', 'web', 'tier=front')).stdout).toBe('deployment.apps/web labeled\n');
    expect((await kubectl('get', 'deploy', '-l', 'tier=front', '-o', 'name')).stdout).toBe('deployment.apps/web\n');
    expect((await kubectl('delete', 'deployment', 'web')).stdout).toBe('deployment.apps "web" deleted\n');
  });

  it('kubectl create (protobuf bodies) and auth can-i', async () => {
    expect(await kubectl('create', 'namespace', 'team-a')).toMatchObject({ code: 0, stdout: 'namespace/team-a created\n' });
    expect((await kubectl('create', 'deployment', 'hello', '--image=nginx:1.27', '--replicas=2', '--port=80')).stdout).toBe('deployment.apps/hello created\n');
    expect((await kubectl('create', 'configmap', 'cfg', '--from-literal=mode=fast')).stdout).toBe('configmap/cfg created\n');
    expect((await kubectl('create', 'secret', 'generic', 'creds', '--from-literal=password=s3cret')).stdout).toBe('secret/creds created\n');
    expect((await kubectl('get', 'cm', 'cfg', '-o', 'jsonpath={.data.mode}')).stdout).toBe('fast');
    expect(Buffer.from((await kubectl('get', 'secret', 'creds', '-o', 'jsonpath={.data.password}')).stdout, 'base64').toString()).toBe('s3cret');
    const hello = JSON.parse((await kubectl('get', 'deploy', 'hello', '-o', 'json')).stdout);
    expect(hello.spec).toMatchObject({ replicas: 2, selector: { matchLabels: { app: 'hello' } }, template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80, protocol: 'TCP' }] }] } } });
    expect((await kubectl('auth', 'can-i', 'create', 'pods')).stdout).toBe('yes\n');
    expect((await kubectl('delete', 'deployment', 'hello')).code).toBe(0);
  });

  it('impersonation (--as, --as-group) through RBAC, and auth whoami', async () => {
    expect(await kubectl('auth', 'can-i', 'list', 'pods', '--as=bob')).toMatchObject({ code: 1 });
    expect(await kubectl('get', 'pods', '--as=bob')).toMatchObject({ code: 1, stderr: 'Error from server (Forbidden): pods is forbidden: User "bob" cannot list resource "pods" in API group "" in the namespace "default"\n' });
    expect((await kubectl('create', 'role', 'reader', '--verb=get,list', '--resource=pods')).code).toBe(0);
    expect((await kubectl('create', 'rolebinding', 'bob-reads', '--role=reader', '--user=bob')).code).toBe(0);
    expect(await kubectl('auth', 'can-i', 'list', 'pods', '--as=bob')).toMatchObject({ code: 0, stdout: 'yes\n' });
    expect((await kubectl('get', 'pods', '--as=bob')).code).toBe(0);
    const rules = (await kubectl('auth', 'can-i', '--list', '--as=bob')).stdout;
    expect(rules.split('\n')[0]).toMatch(/^Resources +Non-Resource URLs +Resource Names +Verbs$/);
    expect(rules).toMatch(/\npods +\[\] +\[\] +\[get list\]\n/);
    expect(rules).toMatch(/\n +\[\/healthz\] +\[\] +\[get\]\n/);
    expect(await kubectl('delete', 'pod', 'x', '--as=bob')).toMatchObject({ code: 1, stderr: 'Error from server (Forbidden): pods "x" is forbidden: User "bob" cannot delete resource "pods" in API group "" in the namespace "default"\n' });
    expect((await kubectl('auth', 'whoami', '--as=bob', '--as-group=devs')).stdout).toBe('ATTRIBUTE   VALUE\nUsername    bob\nGroups      [devs system:authenticated]\n');
    expect((await kubectl('auth', 'whoami', '--as=system:serviceaccount:default:default')).stdout).toContain('Groups      [system:serviceaccounts system:serviceaccounts:default system:authenticated]\n');
  });

  it('errors as kubectl prints them: not found, unknown type, forbidden without a token', async () => {
    expect(await kubectl('get', 'pod', 'nope')).toMatchObject({ code: 1, stderr: 'Error from server (NotFound): pods "nope" not found\n' });
    expect((await kubectl('get', 'widgets')).stderr).toContain('error: the server doesn\'t have a resource type "widgets"');
    const anonymous = join(served.dir, 'anonymous');
    writeFileSync(anonymous, kubeconfig(served.server.url, 'wrong-token', served.server.caPem));
    const denied = await new Promise<{ code: number; stderr: string }>((done) => execFile('kubectl', ['--kubeconfig', anonymous, 'get', 'pods'], (e, _o, stderr) => done({ code: e === null ? 0 : 1, stderr })));
    expect(denied).toMatchObject({ code: 1, stderr: 'error: You must be logged in to the server (Unauthorized)\n' });
  });
});
