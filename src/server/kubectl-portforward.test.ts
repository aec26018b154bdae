import { spawn, type ChildProcess } from 'node:child_process';
import { get } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hasKubectl, serveForKubectl, type ServedCluster } from './testing/kubectl.js';

/** kubectl port-forward (SPDY tunnelled through a WebSocket, as kubectl 1.32 does it), then HTTP through the local port. */
let served: ServedCluster;
let forward: ChildProcess | undefined;
let log = '';

async function portForward(...args: string[]): Promise<number> {
  log = '';
  forward = spawn('kubectl', ['--kubeconfig', served.config, 'port-forward', ...args]);
  forward.stdout!.on('data', (d: Buffer) => (log += d.toString()));
  forward.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  for (let i = 0; i < 100 && !/Forwarding from 127\.0\.0\.1:\d+/.test(log); i++) await new Promise((r) => setTimeout(r, 50));
  return Number(/Forwarding from 127\.0\.0\.1:(\d+)/.exec(log)![1]);
}

const fetchLocal = (port: number, path: string) =>
  new Promise<{ status: number; body: string } | { error: string }>((done) => {
    get({ host: '127.0.0.1', port, path, timeout: 5000 }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => done({ status: res.statusCode ?? 0, body }));
    }).on('error', (e) => done({ error: (e as NodeJS.ErrnoException).code ?? e.message }));
  });

describe.skipIf(!hasKubectl)('kubectl port-forward against crucible serve', () => {
  beforeAll(async () => {
    served = await serveForKubectl('kubectl-portforward');
    const file = join(served.dir, 'web.yaml');
    writeFileSync(file, 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web }\nspec:\n  replicas: 1\n  selector: { matchLabels: { app: web } }\n  template:\n    metadata: { labels: { app: web } }\n    spec:\n      containers:\n      - { name: nginx, image: "nginx:1.27", ports: [{ name: http, containerPort: 80 }] }\n---\napiVersion: v1\nkind: Service\nmetadata: { name: web }\nspec:\n  selector: { app: web }\n  ports: [{ port: 8080, targetPort: http }]\n');
    expect((await served.kubectl('apply', '-f', file)).code).toBe(0);
    expect((await served.kubectl('rollout', 'status', 'deploy/web', '--timeout=30s')).code).toBe(0);
  });
  afterEach(() => forward?.kill());
  afterAll(async () => served?.close());

  it('a local port reaches the container: pages, a 404, several connections', async () => {
    const pod = (await served.kubectl('get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[0].metadata.name}')).stdout;
    const port = await portForward(`pod/${pod}`, ':80');
    expect(log).toMatch(new RegExp(`^Forwarding from 127\\.0\\.0\\.1:${port} -> 80\\n`));
    const page = await fetchLocal(port, '/');
    expect(page).toMatchObject({ status: 200 });
    expect((page as { body: string }).body).toContain('<title>Welcome to nginx!</title>');
    expect(await fetchLocal(port, '/missing')).toMatchObject({ status: 404 });
    expect(await fetchLocal(port, '/')).toMatchObject({ status: 200 });
    expect(log).toContain(`Handling connection for ${port}\n`);
  });

  it('svc/<name> forwards to a pod behind the service, through the named target port', async () => {
    const port = await portForward('svc/web', ':8080');
    expect(log).toMatch(/-> 80\n/);
    expect(await fetchLocal(port, '/')).toMatchObject({ status: 200 });
  });

  it('a port nothing listens on: the error comes back on the error stream and kubectl reports it', async () => {
    const pod = (await served.kubectl('get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[0].metadata.name}')).stdout;
    const port = await portForward(`pod/${pod}`, ':81');
    expect(await fetchLocal(port, '/')).toMatchObject({ error: expect.stringMatching(/ECONNRESET|socket hang up/) });
    for (let i = 0; i < 40 && !log.includes('an error occurred forwarding'); i++) await new Promise((r) => setTimeout(r, 50));
    expect(log).toMatch(new RegExp(`an error occurred forwarding ${port} -> 81: error forwarding port 81 to pod [0-9a-f-]{36}, uid : failed to connect to localhost:81 inside the pod's network namespace: dial tcp4 127\\.0\\.0\\.1:81: connect: connection refused`));
  });
});
