import { describe, expect, it } from 'vitest';
import type { ContainerStatus, Pod } from 'kubernetes-types/core/v1.js';
import { podColumns } from './pod-status.js';

const cs = (name: string, state: ContainerStatus['state'], extra: Partial<ContainerStatus> = {}): ContainerStatus => ({ name, state, ready: false, restartCount: 0, image: '', imageID: '', ...extra });
const pod = (status: Pod['status'], spec: Partial<NonNullable<Pod['spec']>> = {}, meta: Pod['metadata'] = { name: 'p' }): Pod => ({ metadata: meta, spec: { containers: [{ name: 'app' }], ...spec }, status });

describe('kubectl STATUS, READY, RESTARTS (upstream printPod)', () => {
  it.each([
    ['Pending', pod({ phase: 'Pending' }), '0/1', 'Pending'],
    ['ContainerCreating', pod({ phase: 'Pending', containerStatuses: [cs('app', { waiting: { reason: 'ContainerCreating' } })] }), '0/1', 'ContainerCreating'],
    ['Running and ready', pod({ phase: 'Running', containerStatuses: [cs('app', { running: {} }, { ready: true })] }), '1/1', 'Running'],
    ['CrashLoopBackOff', pod({ phase: 'Running', containerStatuses: [cs('app', { waiting: { reason: 'CrashLoopBackOff' } }, { restartCount: 4 })] }), '0/1', 'CrashLoopBackOff'],
    ['OOMKilled', pod({ phase: 'Running', containerStatuses: [cs('app', { terminated: { exitCode: 137, reason: 'OOMKilled' } })] }), '0/1', 'OOMKilled'],
    ['exit code without reason', pod({ phase: 'Running', containerStatuses: [cs('app', { terminated: { exitCode: 2 } })] }), '0/1', 'ExitCode:2'],
    ['signal without reason', pod({ phase: 'Running', containerStatuses: [cs('app', { terminated: { exitCode: 0, signal: 9 } })] }), '0/1', 'Signal:9'],
    ['Evicted', pod({ phase: 'Failed', reason: 'Evicted' }), '0/1', 'Evicted'],
    ['Init:0/2', pod({ phase: 'Pending', initContainerStatuses: [cs('i1', { running: {} }), cs('i2', { waiting: { reason: 'PodInitializing' } })] }, { initContainers: [{ name: 'i1' }, { name: 'i2' }] }), '0/1', 'Init:0/2'],
    ['Init:1/2', pod({ phase: 'Pending', initContainerStatuses: [cs('i1', { terminated: { exitCode: 0 } }), cs('i2', { running: {} })] }, { initContainers: [{ name: 'i1' }, { name: 'i2' }] }), '0/1', 'Init:1/2'],
    ['Init:CrashLoopBackOff', pod({ phase: 'Pending', initContainerStatuses: [cs('i1', { waiting: { reason: 'CrashLoopBackOff' } }, { restartCount: 3 })] }, { initContainers: [{ name: 'i1' }] }), '0/1', 'Init:CrashLoopBackOff'],
    ['Init:Error', pod({ phase: 'Failed', initContainerStatuses: [cs('i1', { terminated: { exitCode: 1, reason: 'Error' } })] }, { initContainers: [{ name: 'i1' }] }), '0/1', 'Init:Error'],
    ['Init:ExitCode:3', pod({ phase: 'Pending', initContainerStatuses: [cs('i1', { terminated: { exitCode: 3 } })] }, { initContainers: [{ name: 'i1' }] }), '0/1', 'Init:ExitCode:3'],
    [
      'Completed with a running container, Ready → Running',
      pod({ phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [cs('a', { terminated: { exitCode: 0, reason: 'Completed' } }), cs('b', { running: {} }, { ready: true })] }, { containers: [{ name: 'a' }, { name: 'b' }] }),
      '1/2',
      'Running',
    ],
    [
      'Completed with a running container, not Ready → NotReady',
      pod({ phase: 'Running', containerStatuses: [cs('b', { running: {} }, { ready: true }), cs('a', { terminated: { exitCode: 0, reason: 'Completed' } })] }, { containers: [{ name: 'b' }, { name: 'a' }] }),
      '1/2',
      'NotReady',
    ],
    ['Terminating', pod({ phase: 'Running', containerStatuses: [cs('app', { running: {} }, { ready: true })] }, {}, { name: 'p', deletionTimestamp: '2026-01-01T00:00:00Z' }), '1/1', 'Terminating'],
    ['Unknown on a lost node', pod({ phase: 'Running', reason: 'NodeLost' }, {}, { name: 'p', deletionTimestamp: '2026-01-01T00:00:00Z' }), '0/1', 'Unknown'],
    ['SchedulingGated', pod({ phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] }), '0/1', 'SchedulingGated'],
    [
      'a started sidecar counts toward READY',
      pod({ phase: 'Running', initContainerStatuses: [cs('proxy', { running: {} }, { started: true, ready: true })], containerStatuses: [cs('app', { running: {} }, { ready: true })] }, { initContainers: [{ name: 'proxy', restartPolicy: 'Always' }] }),
      '2/2',
      'Running',
    ],
  ])('%s', (_name, p, ready, status) => {
    const cols = podColumns(p);
    expect([cols.ready, cols.status]).toEqual([ready, status]);
  });

  it('sums restarts of the containers shown', () => {
    expect(podColumns(pod({ phase: 'Running', containerStatuses: [cs('a', { running: {} }, { restartCount: 2 }), cs('b', { running: {} }, { restartCount: 3 })] }, { containers: [{ name: 'a' }, { name: 'b' }] })).restarts).toBe(5);
  });
});
