import { describe, expect, it } from 'vitest';
import { Cluster } from '../cluster/index.js';
import { StatusError } from '../api/errors/status.js';

const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } };
const target = { group: '', version: 'v1', resource: 'pods', namespace: 'default', name: 'web' };
const debugger_ = (name: string, extra: object = {}) => ({ name, image: 'busybox:1.36', command: ['sh', '-c', 'echo debugging $HOSTNAME'], ...extra });

function addEphemeral(c: Cluster, containers: object[]) {
  return c.request({ verb: 'patch', patchType: 'strategic', ...target, subresource: 'ephemeralcontainers', body: { spec: { ephemeralContainers: containers } } });
}
const errorOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    if (e instanceof StatusError) return e.status.message ?? '';
    throw e;
  }
  throw new Error('expected an error');
};

describe('ephemeral containers (pods/ephemeralcontainers, kubectl debug)', () => {
  it('an added ephemeral container runs once in the running pod; its status and log are its own; the pod stays Running and Ready', () => {
    const c = Cluster.create({ seed: 'ephemeral', nodes: 1 });
    c.apply(pod);
    c.waitForCondition('pod', 'web', 'Ready');
    addEphemeral(c, [debugger_('dbg')]);
    c.advance(10_000);
    const status = (c.get('pod', 'web') as any).status;
    expect(status.ephemeralContainerStatuses[0]).toMatchObject({ name: 'dbg', image: 'busybox:1.36', restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } });
    expect(status.phase).toBe('Running');
    expect(status.conditions.find((x: any) => x.type === 'Ready').status).toBe('True');
    expect(c.logs('web', { container: 'dbg' })).toBe('debugging web\n');
    // Never restarted.
    c.advance(60_000);
    expect((c.get('pod', 'web') as any).status.ephemeralContainerStatuses[0].restartCount).toBe(0);
    expect(c.events('web').filter((e: any) => e.involvedObject.fieldPath === 'spec.ephemeralContainers{dbg}').map((e: any) => e.reason)).toEqual(['Pulling', 'Pulled', 'Created', 'Started']);
  });

  it('validates as upstream: no workload fields, unique names, existing ones neither changed nor removed, none on create', () => {
    const c = Cluster.create({ seed: 'ephemeral-validation', nodes: 1 });
    c.apply(pod);
    expect(errorOf(() => addEphemeral(c, [debugger_('dbg', { ports: [{ containerPort: 80 }], readinessProbe: { exec: { command: ['true'] } } })]))).toBe(
      'Pod "web" is invalid: [spec.ephemeralContainers[0].ports: Forbidden: cannot be set for an Ephemeral Container, spec.ephemeralContainers[0].readinessProbe: Forbidden: cannot be set for an Ephemeral Container]',
    );
    expect(errorOf(() => addEphemeral(c, [debugger_('web')]))).toBe('Pod "web" is invalid: spec.ephemeralContainers[0].name: Duplicate value: "web"');
    expect(errorOf(() => addEphemeral(c, [debugger_('dbg', { targetContainerName: 'nope' })]))).toBe('Pod "web" is invalid: spec.ephemeralContainers[0].targetContainerName: Not found: "nope"');
    addEphemeral(c, [debugger_('dbg')]);
    expect(errorOf(() => addEphemeral(c, [debugger_('dbg', { command: ['true'] })]))).toBe('Pod "web" is invalid: spec.ephemeralContainers: Forbidden: existing ephemeral containers "dbg" may not be changed\n');
    expect(errorOf(() => c.request({ verb: 'update', ...target, subresource: 'ephemeralcontainers', body: { ...(c.get('pod', 'web') as object), spec: { ...(c.get('pod', 'web') as any).spec, ephemeralContainers: [] } } }))).toBe(
      'Pod "web" is invalid: spec.ephemeralContainers: Forbidden: existing ephemeral containers "dbg" may not be removed\n',
    );
    expect(errorOf(() => c.request({ verb: 'create', group: '', version: 'v1', resource: 'pods', namespace: 'default', body: { metadata: { name: 'x' }, spec: { containers: [{ name: 'a', image: 'nginx' }], ephemeralContainers: [debugger_('d')] } } }))).toBe(
      'Pod "x" is invalid: spec.ephemeralContainers: Forbidden: cannot be set on create',
    );
  });
});
