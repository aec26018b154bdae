import { describe, expect, it } from 'vitest';
import { busyboxContainer, podOnNode, testPod } from '../testing.js';

const reasons = (p: ReturnType<typeof podOnNode>) => p.events.map((e) => `${e.reason} ${e.message}`);

describe('lifecycle hooks (upstream pkg/kubelet/lifecycle, kuberuntime startContainer and killContainer)', () => {
  it('postStart runs in the container after it starts (the documented lifecycle example)', () => {
    const p = podOnNode(
      testPod({
        containers: [
          {
            name: 'lifecycle-demo-container',
            image: 'nginx',
            imagePullPolicy: 'IfNotPresent',
            lifecycle: {
              postStart: { exec: { command: ['/bin/sh', '-c', 'echo Hello from the postStart handler > /usr/share/message'] } },
              preStop: { exec: { command: ['/bin/sh', '-c', 'sleep 2'] } },
            },
          },
        ],
      }),
    );
    p.sim.advance(5_000);
    const c = p.worker.slots[0]!.current!;
    const out = c.main!.exec(['cat', '/usr/share/message']);
    let r = out.next();
    while (!r.done) r = out.next();
    expect(r.value).toEqual({ exitCode: 0, output: 'Hello from the postStart handler\n' });
  });

  it('a failing postStart hook kills the container, which restarts', () => {
    const p = podOnNode(testPod({ containers: [{ ...busyboxContainer('app', 'trap "exit 0" TERM; while true; do sleep 1; done'), lifecycle: { postStart: { exec: { command: ['sh', '-c', 'exit 3'] } } } }] }));
    p.sim.advance(5_000);
    expect(reasons(p)).toContain('FailedPostStartHook PostStartHook failed');
    expect(reasons(p)).toContain('Killing FailedPostStartHook');
    expect(p.worker.slots[0]!.restartCount).toBeGreaterThanOrEqual(1);
  });

  it('preStop runs before SIGTERM and counts against the grace period', () => {
    const p = podOnNode(testPod({ terminationGracePeriodSeconds: 30, containers: [{ name: 'web', image: 'nginx:1.27', imagePullPolicy: 'IfNotPresent', lifecycle: { preStop: { sleep: { seconds: 5 } } } }] }));
    p.sim.advance(5_000);
    p.worker.terminate(30_000);
    p.sim.advance(4_900);
    expect(p.worker.slots[0]!.current!.running).toBe(true);
    p.sim.advance(300);
    // nginx stops gracefully on its stop signal 100 ms after SIGTERM.
    expect(p.worker.slots[0]!.current!.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
  });

  it('a preStop hook that outlasts the grace period is cut off; SIGTERM then gets the 2 s minimum', () => {
    const p = podOnNode(testPod({ terminationGracePeriodSeconds: 10, containers: [{ ...busyboxContainer('app', 'sleep 3600'), lifecycle: { preStop: { exec: { command: ['sleep', '60'] } } } }] }));
    p.sim.advance(5_000);
    const began = p.sim.now;
    p.worker.terminate(10_000);
    p.sim.advance(20_000);
    const t = p.worker.slots[0]!.current!.terminated!;
    expect(t.exitCode).toBe(137);
    expect(t.finishedAtMs - (began + 1_767_225_600_000)).toBe(12_000);
  });

  it('a failing preStop hook is reported and the stop goes on', () => {
    const p = podOnNode(testPod({ containers: [{ ...busyboxContainer('app', 'trap "exit 0" TERM; while true; do sleep 1; done'), lifecycle: { preStop: { exec: { command: ['sh', '-c', 'exit 1'] } } } }] }));
    p.sim.advance(5_000);
    p.worker.terminate(30_000);
    p.sim.advance(3_000);
    expect(reasons(p)).toContain('FailedPreStopHook PreStopHook failed');
    expect(p.worker.slots[0]!.current!.terminated).toMatchObject({ exitCode: 0 });
  });
});
