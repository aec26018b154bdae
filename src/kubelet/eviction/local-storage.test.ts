import { describe, expect, it } from 'vitest';
import { busyboxContainer, podOnNode, testPod } from '../testing.js';
import { localStorageViolation } from './local-storage.js';

/** A script that writes `n` 1 KiB lines into `path`, then sleeps. */
const fill = (path: string, kib: number) => `i=0; while [ $i -lt ${kib} ]; do echo ${'x'.repeat(1023)} >> ${path}; i=$((i+1)); done; sleep 3600`;

describe('local ephemeral storage limits (upstream eviction_manager.go localStorageEviction)', () => {
  it('a container writing past its ephemeral-storage limit is named with upstream’s message', () => {
    const pod = testPod({ containers: [{ ...busyboxContainer('app', fill('/tmp/big', 2048)), resources: { limits: { 'ephemeral-storage': '1Mi' } } }] });
    const p = podOnNode(pod);
    p.sim.advance(5_000);
    expect(localStorageViolation(pod, p.worker)).toBe('Pod ephemeral local storage usage exceeds the total limit of containers 1Mi. ');
  });

  it('an emptyDir over its sizeLimit comes first', () => {
    const pod = testPod({ volumes: [{ name: 'cache', emptyDir: { sizeLimit: '512Ki' } }], containers: [{ ...busyboxContainer('app', fill('/cache/f', 600)), volumeMounts: [{ name: 'cache', mountPath: '/cache' }], resources: { limits: { 'ephemeral-storage': '100Mi' } } }] });
    const p = podOnNode(pod);
    p.sim.advance(5_000);
    expect(localStorageViolation(pod, p.worker)).toBe('Usage of EmptyDir volume "cache" exceeds the limit "512Ki". ');
  });

  it('a container over its own limit while the pod total is fine', () => {
    const pod = testPod({
      containers: [
        { ...busyboxContainer('small', fill('/tmp/f', 300)), resources: { limits: { 'ephemeral-storage': '256Ki' } } },
        { ...busyboxContainer('roomy', 'sleep 3600'), resources: { limits: { 'ephemeral-storage': '10Mi' } } },
      ],
    });
    const p = podOnNode(pod);
    p.sim.advance(5_000);
    expect(localStorageViolation(pod, p.worker)).toBe('Container small exceeded its local ephemeral storage limit "256Ki". ');
  });

  it('within limits, nothing', () => {
    const pod = testPod({ containers: [{ ...busyboxContainer('app', fill('/tmp/f', 10)), resources: { limits: { 'ephemeral-storage': '1Mi' } } }] });
    const p = podOnNode(pod);
    p.sim.advance(5_000);
    expect(localStorageViolation(pod, p.worker)).toBeUndefined();
  });
});
