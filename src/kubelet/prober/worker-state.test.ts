import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ResultsManager, type ProbeResult, type ProbeType } from './results.js';
import { ProbeWorkerState, type ProbeTarget } from './worker-state.js';

const defaults = { initialDelaySeconds: 0, successThreshold: 1, failureThreshold: 3 };
const running = (id = 'c1', since = 0, started = true): ProbeTarget => ({ podPhase: 'Running', podDeleting: false, restartPolicy: 'Always', container: { containerID: id, runningSinceMs: since, terminated: false, started } });

function worker(type: ProbeType, spec = defaults) {
  const results = new ResultsManager();
  const published: ProbeResult[] = [];
  results.onUpdate((_id, r) => published.push(r));
  return { w: new ProbeWorkerState(type, spec, results), published, results };
}

describe('probe worker (upstream pkg/kubelet/prober/worker.go)', () => {
  it('liveness starts Success and fails only after failureThreshold consecutive failures, then holds until a new container', () => {
    const { w, published } = worker('liveness');
    for (const r of ['Failure', 'Failure'] as const) {
      expect(w.step(running(), 10_000)).toBe('probe');
      w.record(r);
    }
    expect(published).toEqual(['Success']);
    w.step(running(), 30_000);
    w.record('Failure');
    expect(published).toEqual(['Success', 'Failure']);
    expect(w.step(running(), 40_000)).toBe('skip'); // on hold
    expect(w.step(running('c2', 41_000), 41_000)).toBe('probe'); // restarted container
    expect(published).toEqual(['Success', 'Failure', 'Success']);
  });

  it('readiness starts Failure and flips on each threshold', () => {
    const { w, published } = worker('readiness', { ...defaults, successThreshold: 2, failureThreshold: 1 });
    w.step(running(), 0);
    w.record('Success');
    expect(published).toEqual(['Failure']);
    w.record('Success');
    expect(published).toEqual(['Failure', 'Success']);
    w.record('Failure');
    expect(published).toEqual(['Failure', 'Success', 'Failure']);
    expect(w.step(running(), 0)).toBe('probe'); // readiness never holds
  });

  it('a startup probe gates liveness and readiness until the container has started', () => {
    const startup = worker('startup');
    const liveness = worker('liveness');
    expect(liveness.w.step(running('c1', 0, false), 5_000)).toBe('skip');
    expect(startup.w.step(running('c1', 0, false), 5_000)).toBe('probe');
    expect(startup.published).toEqual(['Unknown']);
    expect(startup.w.step(running('c1', 0, true), 6_000)).toBe('skip');
    expect(liveness.w.step(running('c1', 0, true), 6_000)).toBe('probe');
  });

  it('waits initialDelaySeconds, counted in whole seconds since the container started', () => {
    const { w } = worker('liveness', { ...defaults, initialDelaySeconds: 5 });
    expect(w.step(running('c1', 1_000), 5_999)).toBe('skip'); // 4.999 s → 4
    expect(w.step(running('c1', 1_000), 6_000)).toBe('probe');
  });

  it('goes quiet when the pod is being deleted, and stops with the pod', () => {
    const { w, published } = worker('liveness');
    w.step(running(), 0);
    w.record('Failure');
    w.record('Failure');
    expect(w.step({ ...running(), podDeleting: true }, 1_000)).toBe('stop');
    expect(published).toEqual(['Success']);
    expect(worker('readiness').w.step({ ...running(), podPhase: 'Succeeded' }, 0)).toBe('stop');
  });

  it('counts a container that is not running as failed, and stops if it will not restart', () => {
    const { w, published } = worker('readiness');
    w.step(running(), 0);
    w.record('Success');
    const dead: ProbeTarget = { podPhase: 'Running', podDeleting: false, restartPolicy: 'Never', container: { containerID: 'c1', terminated: true, started: false } };
    expect(w.step(dead, 1_000)).toBe('stop');
    expect(published).toEqual(['Failure', 'Success', 'Failure']);
  });

  it('publishes a failure exactly when failureThreshold consecutive failures have been seen (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom<ProbeResult | 'error'>('Success', 'Failure', 'error'), { maxLength: 60, size: 'medium' }), fc.integer({ min: 1, max: 5 }), (results, failureThreshold) => {
        const { w, published } = worker('readiness', { ...defaults, failureThreshold });
        w.step(running(), 0);
        let run = 0;
        let last: ProbeResult = 'Failure';
        const expected: ProbeResult[] = ['Failure'];
        for (const r of results) {
          w.record(r);
          if (r === 'error') continue;
          run = r === 'Failure' ? run + 1 : 0;
          const now: ProbeResult | undefined = r === 'Success' ? 'Success' : run >= failureThreshold ? 'Failure' : undefined;
          if (now !== undefined && now !== last) {
            expected.push(now);
            last = now;
          }
        }
        expect(published).toEqual(expected);
      }),
    );
  });
});
