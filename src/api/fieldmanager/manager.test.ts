import { describe, expect, it } from 'vitest';
import { isStatusError } from '../errors/status.js';
import { fieldsOf, pathString } from './fieldset.js';
import { serverSideApply, trackUpdate, type ManagedFieldsEntry } from './manager.js';

const deployment = (spec: Record<string, unknown>, labels?: Record<string, string>) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', ...(labels && { labels }) }, spec });
const template = (containers: unknown[]) => ({ metadata: { labels: { app: 'web' } }, spec: { containers } });
const apply = (live: any, config: any, manager = 'ci', force = false) => serverSideApply({ kind: 'Deployment', apiVersion: 'apps/v1', live, config, manager, force, now: '2026-01-01T00:00:00Z' }) as any;
const entries = (o: any) => o.metadata.managedFields as ManagedFieldsEntry[];
const conflict = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    if (isStatusError(e)) return e.status;
  }
  return undefined;
};

describe('field sets (structured-merge-diff FieldsV1)', () => {
  it('keys list items by their merge key, marks items with ".", leaves server metadata and status out', () => {
    const set = fieldsOf('Deployment', { ...deployment({ replicas: 2, template: template([{ name: 'app', image: 'nginx', ports: [{ containerPort: 80 }] }]) }, { tier: 'web' }), status: { replicas: 2 } } as never, { mapMarkers: false });
    expect(set).toEqual({
      'f:metadata': { 'f:labels': { 'f:tier': {} } },
      'f:spec': { 'f:replicas': {}, 'f:template': { 'f:metadata': { 'f:labels': { 'f:app': {} } }, 'f:spec': { 'f:containers': { 'k:{"name":"app"}': { '.': {}, 'f:image': {}, 'f:name': {}, 'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } } } } } } },
    });
  });
  it('prints paths as upstream does', () => {
    expect(pathString(['f:spec', 'f:template', 'f:spec', 'f:containers', 'k:{"name":"app"}', 'f:image'])).toBe('.spec.template.spec.containers[name="app"].image');
    expect(pathString(['f:metadata', 'f:finalizers', 'v:"x"'])).toBe('.metadata.finalizers[="x"]');
  });
});

describe('server-side apply', () => {
  const v1 = deployment({ replicas: 2, template: template([{ name: 'app', image: 'nginx:1.27', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] }]) }, { tier: 'web' });

  it('creates: the manager owns what it applied, as one Apply entry', () => {
    const created = apply(undefined, v1);
    expect(entries(created)).toEqual([expect.objectContaining({ manager: 'ci', operation: 'Apply', apiVersion: 'apps/v1', fieldsType: 'FieldsV1', time: '2026-01-01T00:00:00Z' })]);
    expect(created.spec.replicas).toBe(2);
  });

  it('removes what the manager stops applying, and keeps what others set', () => {
    const live = apply(undefined, v1);
    live.spec.template.spec.containers[0].env.push({ name: 'C', value: '3' });
    live.metadata.managedFields = trackUpdate({ kind: 'Deployment', apiVersion: 'apps/v1', old: apply(undefined, v1), next: live, manager: 'kubectl-edit', now: 't' });
    const next = apply(live, deployment({ replicas: 2, template: template([{ name: 'app', image: 'nginx:1.27', env: [{ name: 'A', value: '1' }] }]) }));
    expect(next.spec.template.spec.containers[0].env).toEqual([{ name: 'A', value: '1' }, { name: 'C', value: '3' }]);
    expect(next.metadata.labels).toBeUndefined();
  });

  it('a field another manager set to a different value is a conflict, named as upstream names it; force takes it over', () => {
    const live = apply(undefined, v1);
    const scaled = { ...live, spec: { ...live.spec, replicas: 5 } };
    scaled.metadata = { ...live.metadata, managedFields: trackUpdate({ kind: 'Deployment', apiVersion: 'apps/v1', old: live, next: scaled, manager: 'kubectl', now: '2026-01-01T00:01:00Z', subresource: 'scale' }) };
    const status = conflict(() => apply(scaled, v1));
    expect(status).toMatchObject({ code: 409, reason: 'Conflict', message: 'Apply failed with 1 conflict: conflict with "kubectl" with subresource "scale" using apps/v1 at 2026-01-01T00:01:00Z: .spec.replicas', details: { causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl" with subresource "scale" using apps/v1 at 2026-01-01T00:01:00Z', field: '.spec.replicas' }] } });
    const forced = apply(scaled, v1, 'ci', true);
    expect(forced.spec.replicas).toBe(2);
    // The scale writer owned nothing else, so its entry goes.
    expect(entries(forced).map((e) => e.manager)).toEqual(['ci']);
    // The same value is no conflict: both own it.
    const same = apply(scaled, { ...v1, spec: { ...v1.spec, replicas: 5 } });
    expect(entries(same).map((e) => `${e.manager}/${e.operation}`)).toEqual(['ci/Apply', 'kubectl/Update']);
  });

  it('two apply managers conflicting on several fields: one message lists them by manager', () => {
    const live = apply(undefined, v1, 'team-a');
    const status = conflict(() => apply(live, deployment({ replicas: 3, template: template([{ name: 'app', image: 'nginx:1.28' }]) }, { tier: 'db' }), 'team-b'));
    expect(status?.message).toBe('Apply failed with 3 conflicts: conflicts with "team-a":\n- .metadata.labels.tier\n- .spec.replicas\n- .spec.template.spec.containers[name="app"].image');
  });
});

describe('updates (non-apply writes)', () => {
  it('the writer takes the fields it changed; others lose them; entries left empty go', () => {
    const created = deployment({ replicas: 1 });
    const first = trackUpdate({ kind: 'Deployment', apiVersion: 'apps/v1', old: undefined, next: created, manager: 'kubectl-create', now: 't1' });
    expect(first).toEqual([{ manager: 'kubectl-create', operation: 'Update', apiVersion: 'apps/v1', time: 't1', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { '.': {}, 'f:replicas': {} } } }]);
    const old = { ...created, metadata: { ...created.metadata, managedFields: first } };
    const second = trackUpdate({ kind: 'Deployment', apiVersion: 'apps/v1', old, next: { ...created, spec: { replicas: 4 } }, manager: 'hpa', now: 't2' });
    expect(second.map((e) => e.manager)).toEqual(['hpa']);
  });
});
