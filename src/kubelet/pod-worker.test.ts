import { describe, expect, it } from 'vitest';
import { busyboxContainer, podOnNode, testPod } from './testing.js';

const busybox = busyboxContainer;

describe('pod worker: start-up (kuberuntime startContainer)', () => {
  it('pulls, creates and starts a container with the upstream events, then runs', () => {
    const p = podOnNode(testPod({ containers: [busybox('app', 'sleep 3600')] }));
    expect(p.status().containerStatuses![0]!.state).toEqual({ waiting: { reason: 'ContainerCreating' } });
    p.sim.advance(5_000);
    expect(p.events.map((e) => `${e.type} ${e.reason} ${e.message}`)).toEqual([
      'Normal Pulling Pulling image "busybox:1.36"',
      'Normal Pulled Successfully pulled image "busybox:1.36" in 343ms (343ms including waiting). Image size: 2167176 bytes.',
      'Normal Created Created container: app',
      'Normal Started Started container app',
    ]);
    expect(p.events[3]!.fieldPath).toBe('spec.containers{app}');
    const s = p.status();
    expect(s.phase).toBe('Running');
    expect(s.containerStatuses![0]).toMatchObject({ name: 'app', ready: true, started: true, restartCount: 0, state: { running: { startedAt: '2026-01-01T00:00:00Z' } } });
    expect(s.conditions!.map((c) => `${c.type}=${c.status}`)).toEqual(['PodReadyToStartContainers=True', 'Initialized=True', 'Ready=True', 'ContainersReady=True', 'PodScheduled=True']);
  });

  it('restartPolicy Never: a failing container ends the pod Failed with reason Error', () => {
    const p = podOnNode(testPod({ restartPolicy: 'Never', containers: [busybox('app', 'echo boom >&2; exit 3')] }));
    p.sim.advance(60_000);
    const s = p.status();
    expect(s.phase).toBe('Failed');
    expect(s.containerStatuses![0]!.state!.terminated).toMatchObject({ exitCode: 3, reason: 'Error' });
    expect(s.containerStatuses![0]!.restartCount).toBe(0);
    expect(s.conditions!.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [app]' });
    expect(p.worker.slots[0]!.current!.logs.map((l) => `${l.stream}: ${l.text}`)).toEqual(['stderr: boom']);
  });

  it('restartPolicy OnFailure: success ends the pod Succeeded (Ready False, PodCompleted)', () => {
    const p = podOnNode(testPod({ restartPolicy: 'OnFailure', containers: [busybox('app', 'sleep 2')] }));
    p.sim.advance(60_000);
    const s = p.status();
    expect(s.phase).toBe('Succeeded');
    expect(s.containerStatuses![0]!.state!.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(s.conditions!.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'PodCompleted' });
  });

  it('a missing executable is StartError, exit code 128, with the runtime message', () => {
    const p = podOnNode(testPod({ restartPolicy: 'Never', containers: [{ name: 'app', image: 'busybox:1.36', command: ['bash'] }] }));
    p.sim.advance(10_000);
    const t = p.status().containerStatuses![0]!.state!.terminated!;
    expect(t).toMatchObject({ exitCode: 128, reason: 'StartError' });
    expect(p.events.at(-1)).toMatchObject({ type: 'Warning', reason: 'Failed', message: `Error: ${t.message}` });
  });
});

describe('pod worker: crash-loop back-off (k8s-rules.md Restarts)', () => {
  it('restarts a crashing container after 10, 20, 40, 80, 160, 300, 300 s, each plus at most one jittered pod sync', () => {
    const p = podOnNode(testPod({ containers: [busybox('app', 'exit 1')] }));
    const starts: number[] = [];
    const backoffs = new Set<string>();
    let last = -1;
    while (starts.length < 9) {
      p.sim.advance(500);
      const s = p.status().containerStatuses![0]!;
      const w = s.state?.waiting;
      if (w?.reason === 'CrashLoopBackOff') backoffs.add(w.message!);
      if (s.restartCount !== last) {
        last = s.restartCount;
        starts.push(p.sim.now);
      }
    }
    const gaps = starts.slice(1).map((t, i) => t - starts[i]!);
    // The first restart is immediate (within a PLEG relist); then back-off since the crash, plus the kubelet's 10-15 s resync cadence.
    expect(gaps[0]).toBeLessThanOrEqual(1_500);
    [10, 20, 40, 80, 160, 300, 300].forEach((b, i) => {
      expect(gaps[i + 1]).toBeGreaterThanOrEqual(b * 1000);
      expect(gaps[i + 1]).toBeLessThanOrEqual(b * 1000 + 16_500);
    });
    expect([...backoffs]).toEqual(['10s', '20s', '40s', '1m20s', '2m40s', '5m0s'].map((d) => `back-off ${d} restarting failed container=app pod=web_default(uid-web)`));
    expect(p.events.filter((e) => e.reason === 'BackOff')[0]).toMatchObject({ type: 'Warning', message: 'Back-off restarting failed container app in pod web_default(uid-web)' });
    const s = p.status().containerStatuses![0]!;
    expect(s.lastState!.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
  });
});

describe('pod worker: init containers (k8s-rules.md, upstream computeInitContainerActions)', () => {
  it('runs init containers one at a time, in order, before the app', () => {
    const p = podOnNode(
      testPod({
        initContainers: [busybox('init-a', 'echo a; sleep 5'), busybox('init-b', 'echo b; sleep 3')],
        containers: [busybox('app', 'sleep 3600')],
      }),
    );
    p.sim.advance(2_000);
    let s = p.status();
    expect(s.initContainerStatuses!.map((c) => Object.keys(c.state!)[0])).toEqual(['running', 'waiting']);
    expect(s.containerStatuses![0]!.state).toEqual({ waiting: { reason: 'PodInitializing' } });
    expect(s.conditions!.find((c) => c.type === 'Initialized')).toMatchObject({ status: 'False', reason: 'ContainersNotInitialized', message: 'containers with incomplete status: [init-a init-b]' });
    p.sim.advance(30_000);
    s = p.status();
    expect(s.phase).toBe('Running');
    const started = (name: string) => p.events.find((e) => e.reason === 'Started' && e.message.endsWith(name))!.atMs;
    expect(started('init-b')).toBeGreaterThanOrEqual(started('init-a') + 5_000);
    expect(started('app')).toBeGreaterThanOrEqual(started('init-b') + 3_000);
    expect(s.initContainerStatuses!.map((c) => c.state!.terminated!.reason)).toEqual(['Completed', 'Completed']);
  });

  it('a failing init container with restartPolicy Never fails the pod; the app never starts', () => {
    const p = podOnNode(testPod({ restartPolicy: 'Never', initContainers: [busybox('init', 'exit 2')], containers: [busybox('app', 'sleep 3600')] }));
    p.sim.advance(30_000);
    expect(p.status().phase).toBe('Failed');
    expect(p.events.some((e) => e.message === 'Started container app')).toBe(false);
  });
});

describe('pod worker: images', () => {
  it('a wrong tag waits in ErrImagePull, then ImagePullBackOff, with the events', () => {
    const p = podOnNode(testPod({ containers: [{ name: 'app', image: 'busybox:wrongtag', imagePullPolicy: 'IfNotPresent' }] }));
    const reasons = new Set<string>([p.status().containerStatuses![0]!.state!.waiting!.reason!]);
    for (let t = 0; t < 120_000; t += 500) {
      p.sim.advance(500);
      reasons.add(p.status().containerStatuses![0]!.state!.waiting!.reason!);
    }
    expect([...reasons]).toEqual(['ContainerCreating', 'ErrImagePull', 'ImagePullBackOff']);
    const texts = new Set(p.events.map((e) => `${e.type} ${e.reason} ${e.message.replace(/: rpc error.*/, ': <err>')}`));
    expect(texts).toEqual(
      new Set([
        'Normal Pulling Pulling image "busybox:wrongtag"',
        'Warning Failed Failed to pull image "busybox:wrongtag": <err>',
        'Warning Failed Error: ErrImagePull',
        'Normal BackOff Back-off pulling image "busybox:wrongtag"',
        'Warning Failed Error: ImagePullBackOff',
      ]),
    );
  });
});
