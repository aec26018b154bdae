import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster } from '../cluster/cluster.js';
import { kubectl as views } from '../kubectl/command.js';
import { kubeconfig, serve, type RunningServer } from './http-server.js';

// Crucible's kubectl views against the real kubectl 1.32 rendering the same objects (served by crucible serve):
// the layouts must be identical; only ages may differ (kubectl reads the real clock).
const hasKubectl = await new Promise<boolean>((done) => execFile('kubectl', ['version', '--client'], (e) => done(e === null)));
const dir = mkdtempSync(join(tmpdir(), 'crucible-compare-'));
const config = join(dir, 'kubeconfig');
let server: RunningServer;
let cluster: Cluster;

const real = (line: string) => new Promise<string>((done) => execFile('kubectl', ['--kubeconfig', config, ...line.split(' ')], (_e, out, err) => done(out + err)));
/** Ages aside (and the column widths they set), the text must match. */
const AGE = /\b\d+[smhdy](\d+[smh])?\b|<invalid>/g;
// Lines with an age, and the Events table's header lines (their widths follow the ages below them).
const HAS_AGE = /\b\d+[smhdy](\d+[smh])?\b|<invalid>|^\s*Type\s+Reason\s+Age|^\s*----\s+------\s+----/;
const normalize = (t: string) =>
  t
    .split('\n')
    .map((line) => (HAS_AGE.test(line) ? line.replace(AGE, 'AGE').replace(/ {2,}/g, '  ') : line).replace(/ +$/, ''))
    .join('\n');

describe.skipIf(!hasKubectl)('kubectl views match the real kubectl 1.32, line for line', () => {
  beforeAll(async () => {
    cluster = Cluster.create({ seed: 'compare' }, { epochMs: Date.now() });
    cluster.apply(`apiVersion: apps/v1
kind: Deployment
metadata: { name: web, labels: { app: web } }
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        ports: [{ containerPort: 80 }]
        env: [{ name: MODE, value: fast }]
        readinessProbe: { httpGet: { path: /, port: 80 } }
        resources: { requests: { cpu: 100m, memory: 64Mi }, limits: { memory: 128Mi } }
---
apiVersion: v1
kind: Service
metadata: { name: web }
spec: { selector: { app: web }, ports: [{ port: 80, targetPort: 80 }] }
---
apiVersion: batch/v1
kind: Job
metadata: { name: once }
spec: { template: { spec: { restartPolicy: Never, containers: [{ name: c, image: busybox, command: [sh, -c, "echo hi"] }] } } }
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: data }
spec: { accessModes: [ReadWriteOnce], resources: { requests: { storage: 1Gi } } }
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: web }
spec:
  rules:
  - host: web.example.com
    http: { paths: [{ path: /, pathType: Prefix, backend: { service: { name: web, port: { number: 80 } } } }] }
`);
    cluster.waitForCondition('deployment', 'web', 'Available');
    cluster.waitForCondition('job', 'once', 'Complete');
    server = await serve({ cluster });
    server.paused = true;
    writeFileSync(config, kubeconfig(server.url, 'admin-token', server.caPem));
  });
  afterAll(async () => server?.close());

  it.each(['describe pod POD', 'describe deployment web', 'describe rs', 'describe svc web', 'describe node NODE', 'describe job once', 'get pods -o wide', 'get deploy,rs -o wide', 'get svc', 'get nodes -o wide', 'get events', 'get jobs', 'describe pvc data', 'get pvc', 'describe ingress web', 'get ingress'])('kubectl %s', async (template) => {
    const pod = cluster.list('pods', { labelSelector: 'app=web' })[0].metadata.name as string;
    const line = template.replace('POD', pod).replace('NODE', cluster.get('pods', pod).spec.nodeName);
    expect(normalize(views(cluster, line).output)).toBe(normalize(await real(line)));
  });
});
