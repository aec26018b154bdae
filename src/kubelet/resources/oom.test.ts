import { describe, expect, it } from 'vitest';
import { podOnNode, testPod } from '../testing.js';

describe('memory limits: the OOM killer (k8s-rules.md Resources and QoS)', () => {
  it('the documented memory-limit example: stress allocates 250M under a 100Mi limit and is OOMKilled with exit code 137, then restarted', () => {
    // kubernetes.io/docs/tasks/configure-pod-container/assign-memory-resource "Exceed a Container's memory limit"
    const p = podOnNode(
      testPod(
        {
          containers: [
            {
              name: 'memory-demo-2-ctr',
              image: 'polinux/stress',
              imagePullPolicy: 'IfNotPresent',
              resources: { requests: { memory: '50Mi' }, limits: { memory: '100Mi' } },
              command: ['stress'],
              args: ['--vm', '1', '--vm-bytes', '250M', '--vm-hang', '1'],
            },
          ],
        },
        'memory-demo-2',
      ),
    );
    p.sim.advance(1_000);
    const first = p.status().containerStatuses![0]!;
    expect(first.state!.terminated).toMatchObject({ exitCode: 137, reason: 'OOMKilled' });
    p.sim.advance(60_000);
    const later = p.status().containerStatuses![0]!;
    expect(later.restartCount).toBeGreaterThanOrEqual(2);
    expect(later.lastState!.terminated).toMatchObject({ exitCode: 137, reason: 'OOMKilled' });
  });

  it('memory that grows past the limit is killed when it crosses it (vish/stress, 10Mi a second under 100Mi)', () => {
    const p = podOnNode(
      testPod({
        restartPolicy: 'Never',
        containers: [{ name: 'grow', image: 'vish/stress', imagePullPolicy: 'IfNotPresent', resources: { limits: { memory: '100Mi' } }, args: ['-mem-total', '500Mi', '-mem-alloc-size', '10Mi', '-mem-alloc-sleep', '1s'] }],
      }),
    );
    p.sim.advance(30_000);
    const t = p.status().containerStatuses![0]!.state!.terminated!;
    expect(t).toMatchObject({ exitCode: 137, reason: 'OOMKilled' });
    // 10Mi at start, +10Mi each second: above 100Mi from 10 s after the start; seen within the next second.
    const ranMs = Date.parse(t.finishedAt!) - Date.parse(t.startedAt!);
    expect(ranMs).toBeGreaterThanOrEqual(10_000);
    expect(ranMs).toBeLessThanOrEqual(11_000);
    expect(p.status().phase).toBe('Failed');
  });

  it('memory within the limit is left alone', () => {
    const p = podOnNode(testPod({ containers: [{ name: 'ok', image: 'polinux/stress', imagePullPolicy: 'IfNotPresent', resources: { limits: { memory: '200Mi' } }, command: ['stress'], args: ['--vm', '1', '--vm-bytes', '150M', '--vm-hang', '1'] }] }));
    p.sim.advance(120_000);
    expect(p.status().containerStatuses![0]!).toMatchObject({ restartCount: 0, ready: true });
  });
});
