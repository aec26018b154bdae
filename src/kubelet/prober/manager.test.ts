import { describe, expect, it } from 'vitest';
import { ImageCatalog } from '../../workloads/catalog.js';
import { podOnNode, testPod } from '../testing.js';

const kinds = (p: ReturnType<typeof podOnNode>, reason: string) => p.events.filter((e) => e.reason === reason);

describe('probes (k8s-rules.md Probes; upstream pkg/kubelet/prober)', () => {
  it('the exec liveness example: three failures 5 s apart from ~35 s, Killing, SIGKILL after the 30 s grace, restart', () => {
    // kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes "Define a liveness command"
    const p = podOnNode(
      testPod(
        {
          containers: [
            {
              name: 'liveness',
              image: 'registry.k8s.io/busybox:1.27.2',
              imagePullPolicy: 'IfNotPresent',
              args: ['/bin/sh', '-c', 'touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600'],
              livenessProbe: { exec: { command: ['cat', '/tmp/healthy'] }, initialDelaySeconds: 5, periodSeconds: 5 },
            },
          ],
        },
        'liveness-exec',
      ),
    );
    p.sim.advance(34_000);
    expect(kinds(p, 'Unhealthy')).toEqual([]);
    p.sim.advance(16_000);
    const unhealthy = kinds(p, 'Unhealthy');
    expect(unhealthy.map((e) => e.message)).toEqual(Array(3).fill("Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory\n"));
    expect(unhealthy.map((e) => e.atMs)).toEqual([35_000, 40_000, 45_000]);
    expect(kinds(p, 'Killing')).toEqual([{ atMs: 45_000, type: 'Normal', reason: 'Killing', message: 'Container liveness failed liveness probe, will be restarted', fieldPath: 'spec.containers{liveness}' }]);
    // sh as PID 1 ignores SIGTERM: SIGKILL comes after terminationGracePeriodSeconds (30 s).
    expect(p.status().containerStatuses![0]!.restartCount).toBe(0);
    p.sim.advance(27_000);
    const s = p.status().containerStatuses![0]!;
    expect(s.restartCount).toBe(1);
    expect(s.lastState!.terminated).toMatchObject({ exitCode: 137, reason: 'Error' });
    expect(s.state!.running).toBeDefined();
  });

  it('the HTTP liveness example: /healthz turns 500 after 10 s; three failures 3 s apart, then a restart', () => {
    const p = podOnNode(
      testPod({
        containers: [
          {
            name: 'liveness',
            image: 'registry.k8s.io/e2e-test-images/agnhost:2.40',
            imagePullPolicy: 'IfNotPresent',
            args: ['liveness'],
            livenessProbe: { httpGet: { path: '/healthz', port: 8080, httpHeaders: [{ name: 'Custom-Header', value: 'Awesome' }] }, initialDelaySeconds: 3, periodSeconds: 3 },
          },
        ],
      }),
    );
    p.sim.advance(25_000);
    const unhealthy = kinds(p, 'Unhealthy');
    expect(unhealthy.map((e) => e.message)).toEqual(Array(3).fill('Liveness probe failed: HTTP probe failed with statuscode: 500'));
    const killing = kinds(p, 'Killing');
    expect(killing).toHaveLength(1);
    expect(killing[0]!.atMs).toBe(unhealthy[2]!.atMs);
    // agnhost ends at once on SIGTERM (exit 143) and restarts within a PLEG relist.
    const s = p.status().containerStatuses![0]!;
    expect(s.restartCount).toBe(1);
    expect(s.lastState!.terminated).toMatchObject({ exitCode: 143, reason: 'Error' });
  });

  it('readiness flips Ready; it never restarts the container', () => {
    const catalog = new ImageCatalog({ 'shop/web': { ports: [8080], readySeconds: 12, http: { '/ready': { status: 200, readiness: true } } } });
    const p = podOnNode(
      testPod({ containers: [{ name: 'web', image: 'shop/web:1', imagePullPolicy: 'IfNotPresent', readinessProbe: { httpGet: { path: '/ready', port: 8080 }, periodSeconds: 5 } }] }),
      { catalog },
    );
    p.sim.advance(6_000);
    expect(p.status().conditions!.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [web]' });
    expect(kinds(p, 'Unhealthy').map((e) => e.message)).toContain('Readiness probe failed: HTTP probe failed with statuscode: 503');
    p.sim.advance(10_000);
    expect(p.status().conditions!.find((c) => c.type === 'Ready')!.status).toBe('True');
    expect(p.status().containerStatuses![0]!).toMatchObject({ ready: true, restartCount: 0 });
    expect(kinds(p, 'Killing')).toEqual([]);
  });

  it('a startup probe gates liveness until it succeeds', () => {
    const catalog = new ImageCatalog({ 'slow/app': { startupSeconds: 40, ports: [8080], http: { '/healthz': { status: 200 } } } });
    const p = podOnNode(
      testPod({
        containers: [
          {
            name: 'app',
            image: 'slow/app:1',
            imagePullPolicy: 'IfNotPresent',
            startupProbe: { httpGet: { path: '/healthz', port: 8080 }, failureThreshold: 30, periodSeconds: 2 },
            livenessProbe: { httpGet: { path: '/healthz', port: 8080 }, failureThreshold: 1, periodSeconds: 10 },
          },
        ],
      }),
      { catalog },
    );
    p.sim.advance(30_000);
    expect(p.status().containerStatuses![0]!.started).toBe(false);
    const early = kinds(p, 'Unhealthy').map((e) => e.message);
    expect(new Set(early)).toEqual(new Set(['Startup probe failed: Get "http://10.244.1.5:8080/healthz": dial tcp 10.244.1.5:8080: connect: connection refused']));
    p.sim.advance(20_000);
    expect(p.status().containerStatuses![0]!).toMatchObject({ started: true, ready: true, restartCount: 0 });
    expect(kinds(p, 'Killing')).toEqual([]);
  });

  it('CPU demand over the limit slows answers until the probe times out', () => {
    const catalog = new ImageCatalog({ 'busy/app': { ports: [8080], cpuMillicores: 2000, http: { '/healthz': { status: 200, latencyMs: 300 } } } });
    const pod = (cpu: string) =>
      testPod({
        containers: [
          {
            name: 'app',
            image: 'busy/app:1',
            imagePullPolicy: 'IfNotPresent',
            resources: { limits: { cpu } },
            livenessProbe: { httpGet: { path: '/healthz', port: 8080 }, timeoutSeconds: 1, periodSeconds: 10 },
          },
        ],
      });
    const roomy = podOnNode(pod('2'), { catalog });
    roomy.sim.advance(60_000);
    expect(kinds(roomy, 'Unhealthy')).toEqual([]);
    // 2000m wanted under a 500m quota: 4× slower, 1.2 s > timeoutSeconds 1
    const tight = podOnNode(pod('500m'), { catalog });
    tight.sim.advance(60_000);
    expect(kinds(tight, 'Unhealthy')[0]!.message).toBe('Liveness probe failed: Get "http://10.244.1.5:8080/healthz": context deadline exceeded (Client.Timeout exceeded while awaiting headers)');
    expect(kinds(tight, 'Killing')[0]!.message).toBe('Container app failed liveness probe, will be restarted');
  });
});
