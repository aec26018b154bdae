import { describe, expect, it } from 'vitest';
import type { ContainerStatus, PodSpec } from 'kubernetes-types/core/v1.js';
import { podPhase } from './phase.js';

const spec = (restartPolicy: string, containers = ['app'], init: Array<{ name: string; restartPolicy?: string }> = []): PodSpec =>
  ({ restartPolicy, containers: containers.map((name) => ({ name })), initContainers: init }) as PodSpec;
const running = (name: string, started = true): ContainerStatus => ({ name, state: { running: { startedAt: 'x' } }, started, ready: true, restartCount: 0, image: '', imageID: '' });
const waiting = (name: string, reason = 'ContainerCreating', lastExit?: number): ContainerStatus => ({ name, state: { waiting: { reason } }, ...(lastExit !== undefined && { lastState: { terminated: { exitCode: lastExit } } }), ready: false, restartCount: 0, image: '', imageID: '' });
const done = (name: string, exitCode: number): ContainerStatus => ({ name, state: { terminated: { exitCode } }, ready: false, restartCount: 0, image: '', imageID: '' });

describe('pod phase (upstream kubelet getPhase)', () => {
  it.each([
    ['no status yet', spec('Always'), [], [], 'Pending'],
    ['creating', spec('Always'), [], [waiting('app')], 'Pending'],
    ['running', spec('Always'), [], [running('app')], 'Running'],
    ['crash-looping under Always stays Running', spec('Always'), [], [waiting('app', 'CrashLoopBackOff', 1)], 'Running'],
    ['completed under Never', spec('Never'), [], [done('app', 0)], 'Succeeded'],
    ['failed under Never', spec('Never'), [], [done('app', 1)], 'Failed'],
    ['failed under OnFailure is restarting: Running', spec('OnFailure'), [], [done('app', 1)], 'Running'],
    ['succeeded under OnFailure', spec('OnFailure'), [], [done('app', 0)], 'Succeeded'],
    ['one of two still running', spec('Never', ['a', 'b']), [], [done('a', 0), running('b')], 'Running'],
    ['init container running', spec('Always', ['app'], [{ name: 'init' }]), [running('init')], [waiting('app', 'PodInitializing')], 'Pending'],
    ['init container failed, Never', spec('Never', ['app'], [{ name: 'init' }]), [done('init', 1)], [waiting('app', 'PodInitializing')], 'Failed'],
    ['init container failed, Always: retried', spec('Always', ['app'], [{ name: 'init' }]), [waiting('init', 'CrashLoopBackOff', 1)], [waiting('app', 'PodInitializing')], 'Pending'],
    ['sidecar not started yet', spec('Always', ['app'], [{ name: 'proxy', restartPolicy: 'Always' }]), [running('proxy', false)], [], 'Pending'],
    ['sidecar started, app running', spec('Always', ['app'], [{ name: 'proxy', restartPolicy: 'Always' }]), [running('proxy', true)], [running('app')], 'Running'],
    ['sidecar restarting after the app started does not send the pod back to Pending', spec('Always', ['app'], [{ name: 'proxy', restartPolicy: 'Always' }]), [running('proxy', false)], [running('app')], 'Running'],
  ])('%s', (_name, podSpec, init, statuses, phase) => {
    expect(podPhase(podSpec, init as ContainerStatus[], statuses as ContainerStatus[])).toBe(phase);
  });

  it('a terminal pod is Succeeded or Failed whatever its restart policy', () => {
    expect(podPhase(spec('Always'), [], [done('app', 0)], true)).toBe('Succeeded');
    expect(podPhase(spec('Always'), [], [done('app', 137)], true)).toBe('Failed');
  });
});
