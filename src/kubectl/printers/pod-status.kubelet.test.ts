import { describe, expect, it } from 'vitest';
import { busyboxContainer, podOnNode, testPod } from '../../kubelet/testing.js';
import { podColumns } from './pod-status.js';

const busybox = busyboxContainer;

/** STATUS as `kubectl get pods` would show it for the kubelet's status, sampled every 500 ms. */
function statusHistory(p: ReturnType<typeof podOnNode>, untilMs: number): string[] {
  const seen: string[] = [];
  for (;;) {
    const { ready, status } = podColumns(p.withStatus());
    const row = `${ready} ${status}`;
    if (seen.at(-1) !== row) seen.push(row);
    if (p.sim.now >= untilMs) return seen;
    p.sim.advance(500);
  }
}

describe('kubectl STATUS through a pod’s life on the kubelet', () => {
  it('init containers: Init:0/2, Init:1/2, PodInitializing, Running', () => {
    const p = podOnNode(testPod({ initContainers: [busybox('a', 'sleep 5'), busybox('b', 'sleep 3')], containers: [busybox('app', 'sleep 3600')] }));
    expect(statusHistory(p, 20_000)).toEqual(['0/1 Init:0/2', '0/1 Init:1/2', '0/1 PodInitializing', '1/1 Running']);
  });

  it('a crashing container: Running, Error, CrashLoopBackOff, Error…', () => {
    const p = podOnNode(testPod({ containers: [busybox('app', 'sleep 2; exit 1')] }));
    expect(statusHistory(p, 40_000).slice(0, 5)).toEqual(['0/1 ContainerCreating', '1/1 Running', '0/1 Error', '1/1 Running', '0/1 Error']);
    expect(statusHistory(p, 80_000)).toContain('0/1 CrashLoopBackOff');
  });

  it('a finished Job-style pod: Completed', () => {
    const p = podOnNode(testPod({ restartPolicy: 'OnFailure', containers: [busybox('app', 'echo done')] }));
    expect(statusHistory(p, 5_000).at(-1)).toBe('0/1 Completed');
  });

  it('a wrong image tag: ErrImagePull, then ImagePullBackOff', () => {
    const p = podOnNode(testPod({ containers: [{ name: 'app', image: 'nginx:no-such-tag', imagePullPolicy: 'IfNotPresent' }] }));
    const h = statusHistory(p, 90_000);
    expect(h.slice(0, 3)).toEqual(['0/1 ContainerCreating', '0/1 ErrImagePull', '0/1 ImagePullBackOff']);
  });

  it('a container over its memory limit: OOMKilled, then CrashLoopBackOff', () => {
    const p = podOnNode(testPod({ containers: [{ name: 'm', image: 'polinux/stress', imagePullPolicy: 'IfNotPresent', resources: { limits: { memory: '100Mi' } }, command: ['stress'], args: ['--vm', '1', '--vm-bytes', '250M'] }] }));
    const h = statusHistory(p, 60_000);
    expect(h).toContain('0/1 OOMKilled');
    expect(h).toContain('0/1 CrashLoopBackOff');
  });
});
