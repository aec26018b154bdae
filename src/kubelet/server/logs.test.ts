import { describe, expect, it } from 'vitest';
import { DEFAULT_EPOCH_MS } from '../../api/server/time.js';
import { podOnNode, testPod } from '../testing.js';
import { rfc3339Nano } from '../../api/server/time.js';
import { containerLogs } from './logs.js';

const request = (extra: object = {}) => ({ kind: 'containerLogs' as const, namespace: 'default', pod: 'web', uid: 'uid-web', container: 'app', ...extra });

describe('kubelet /containerLogs (upstream validateContainerLogStatus and the CRI log reader)', () => {
  it('current and previous instances, tail, since, timestamps and byte limits', () => {
    const p = podOnNode(testPod({ containers: [{ name: 'app', image: 'busybox:1.36', imagePullPolicy: 'IfNotPresent', command: ['sh', '-c', 'echo start; sleep 5; echo one; echo two; exit 1'] }] }));
    p.sim.advance(6_000);
    const now = () => DEFAULT_EPOCH_MS + p.sim.now;
    expect(containerLogs(p.worker, 'web', request(), now())).toEqual({ code: 200, text: 'start\none\ntwo\n' });
    expect(containerLogs(p.worker, 'web', request({ tailLines: 2 }), now()).text).toBe('one\ntwo\n');
    expect(containerLogs(p.worker, 'web', request({ limitBytes: 8 }), now()).text).toBe('start\non');
    expect(containerLogs(p.worker, 'web', request({ sinceSeconds: 2 }), now()).text).toBe('one\ntwo\n');
    expect(containerLogs(p.worker, 'web', request({ timestamps: true, tailLines: 1 }), now()).text).toBe('2026-01-01T00:00:05.343000000Z two\n');
    // The first instance crashed; once restarted, --previous reads it and the current log is the new instance's.
    p.sim.advance(1_000);
    expect(containerLogs(p.worker, 'web', request({ previous: true }), now()).text).toBe('start\none\ntwo\n');
    expect(containerLogs(p.worker, 'web', request(), now()).text).toBe('start\n');
  });

  it('a container with no instance yet answers 400 with the kubelet text', () => {
    const p = podOnNode(testPod({ containers: [{ name: 'app', image: 'busybox:wrongtag', imagePullPolicy: 'IfNotPresent' }] }));
    const now = () => DEFAULT_EPOCH_MS + p.sim.now;
    expect(containerLogs(p.worker, 'web', request(), now()).status?.['message']).toBe('container "app" in pod "web" is waiting to start: ContainerCreating');
    p.sim.advance(2_000);
    expect(containerLogs(p.worker, 'web', request(), now())).toMatchObject({ code: 400, status: { reason: 'BadRequest', message: 'container "app" in pod "web" is waiting to start: image can\'t be pulled' } });
    expect(containerLogs(p.worker, 'web', request({ previous: true }), now()).status?.['message']).toBe('previous terminated container "app" in pod "web" not found');
  });

  it('timestamps are RFC 3339 with nanoseconds', () => {
    expect(rfc3339Nano(Date.UTC(2026, 0, 1, 0, 0, 5, 7))).toBe('2026-01-01T00:00:05.007000000Z');
  });
});
