import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/registry/types.js';
import { EventRecorder } from './events.js';
import { controlPlaneWorld } from './testing.js';

const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default', uid: 'u-1' } };

function setup() {
  const cp = controlPlaneWorld(5);
  const recorder = new EventRecorder(cp.world.host('node-1'), cp.client('node-1'), { component: 'kubelet', host: 'node-1' });
  const events = () => cp.gateway.api.store.list('events', { keyPrefix: 'default/' }).items as any[];
  return { ...cp, recorder, events };
}

describe('EventRecorder', () => {
  it('counts repeats of one event instead of writing new ones', () => {
    const { world, recorder, events } = setup();
    for (let i = 0; i < 3; i++) {
      recorder.event(pod, 'Warning', 'Unhealthy', 'Liveness probe failed: cat: can\'t open \'/tmp/healthy\': No such file or directory', 'spec.containers{app}');
      world.sim.advance(10_000);
    }
    const list = events();
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ reason: 'Unhealthy', type: 'Warning', count: 3, source: { component: 'kubelet', host: 'node-1' }, involvedObject: { kind: 'Pod', name: 'web', fieldPath: 'spec.containers{app}' } });
    expect(list[0].firstTimestamp).toBe('2026-01-01T00:00:00Z');
    expect(list[0].lastTimestamp).toBe('2026-01-01T00:00:20Z');
    expect(list[0].metadata.name).toMatch(/^web\.[0-9a-f]+$/);
  });

  it('combines more than 10 similar events with different messages', () => {
    const { world, recorder, events } = setup();
    for (let i = 0; i < 12; i++) {
      recorder.event(pod, 'Normal', 'Pulling', `Pulling image "app:${i}"`);
      world.sim.advance(1_000);
    }
    const combined = events().filter((e) => String(e.message).startsWith('(combined from similar events): '));
    expect(combined).toHaveLength(1);
    expect(combined[0].count).toBe(2);
  });

  it('drops events past the spam filter\'s burst of 25 per object', () => {
    const { world, recorder, events } = setup();
    for (let i = 0; i < 40; i++) recorder.event(pod, 'Normal', `Reason${i}`, 'm');
    world.sim.advance(1_000);
    expect(events()).toHaveLength(25);
  });
});

describe('events.k8s.io view', () => {
  it('shows core events in the events.k8s.io shape and stores events.k8s.io writes as core events', () => {
    const { world, recorder, gateway } = setup();
    recorder.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container app in pod web_default(u-1)');
    world.sim.advance(1_000);
    const admin = { name: 'admin', groups: ['system:masters'] };
    const view = gateway.api.handle({ verb: 'list', group: 'events.k8s.io', version: 'v1', resource: 'events', namespace: 'default', user: admin }).body as any;
    expect(view.kind).toBe('EventList');
    expect(view.items[0]).toMatchObject({ reason: 'BackOff', note: 'Back-off restarting failed container app in pod web_default(u-1)', regarding: { kind: 'Pod', name: 'web' }, reportingController: 'kubelet', deprecatedCount: 1 });
    gateway.api.handle({
      verb: 'create',
      group: 'events.k8s.io',
      version: 'v1',
      resource: 'events',
      namespace: 'default',
      user: admin,
      body: { metadata: { name: 'web.sched' }, eventTime: '2026-01-01T00:00:01.000000Z', reason: 'Scheduled', note: 'Successfully assigned default/web to node-1', type: 'Normal', regarding: { kind: 'Pod', namespace: 'default', name: 'web' }, reportingController: 'default-scheduler', reportingInstance: 'default-scheduler-cp-0', action: 'Binding' },
    });
    const core = gateway.api.handle({ verb: 'get', group: '', version: 'v1', resource: 'events', namespace: 'default', name: 'web.sched', user: admin }).body as any;
    expect(core).toMatchObject({ kind: 'Event', message: 'Successfully assigned default/web to node-1', involvedObject: { name: 'web' }, reportingComponent: 'default-scheduler', action: 'Binding' });
  });
});
