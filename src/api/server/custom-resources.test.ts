import { describe, expect, it } from 'vitest';
import { Simulation } from '../../sim/index.js';
import { statusErrorOf } from '../errors/testing.js';
import { ApiServer } from './apiserver.js';
import { CLEANUP_FINALIZER } from './crd-lifecycle.js';
import type { ApiRequest, WatchEventOut } from './request.js';

const admin = { name: 'admin', groups: ['system:masters'] };
const EXT = { group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions' };
const W = { group: 'example.com', version: 'v1', resource: 'widgets', namespace: 'default' };

const crd = {
  metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com',
    scope: 'Namespaced',
    names: { plural: 'widgets', kind: 'Widget', shortNames: ['wd'] },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        subresources: { status: {} },
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: { type: 'object', required: ['size'], properties: { size: { type: 'integer', maximum: 10 }, color: { type: 'string', default: 'red' } } },
              status: { type: 'object', properties: { ready: { type: 'boolean' } } },
            },
          },
        },
      },
    ],
  },
};

function server() {
  const sim = new Simulation({ seed: 1 });
  const rng = sim.random.stream('apiserver');
  const api = new ApiServer({ now: () => sim.now, random: () => rng.next() });
  api.bootstrap();
  const call = (r: Omit<ApiRequest, 'user' | 'version' | 'group'> & { group?: string; version?: string }) => {
    const response = api.handle({ group: '', version: 'v1', user: admin, ...r } as ApiRequest);
    return Object.assign(response.body as any, { _warnings: response.warnings });
  };
  call({ ...EXT, verb: 'create', body: crd });
  return { api, call };
}

describe('custom resources (apiextensions-apiserver)', () => {
  it('a new CRD is established: NamesAccepted and Established with upstream reasons, acceptedNames, storedVersions', () => {
    const { call } = server();
    const got = call({ ...EXT, verb: 'get', name: 'widgets.example.com' });
    expect(got.status.conditions.map((c: any) => [c.type, c.status, c.reason, c.message])).toEqual([
      ['NamesAccepted', 'True', 'NoConflicts', 'no conflicts found'],
      ['Established', 'True', 'InitialNamesAccepted', 'the initial names have been accepted'],
    ]);
    expect(got.status.acceptedNames).toEqual({ plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList', shortNames: ['wd'] });
    expect(got.status.storedVersions).toEqual(['v1']);
    // apiextensions v1 defaulting of the spec.
    expect([got.spec.names.singular, got.spec.names.listKind, got.spec.conversion]).toEqual(['widget', 'WidgetList', { strategy: 'None' }]);
  });

  it('objects are pruned, defaulted and validated against the schema', () => {
    const { call } = server();
    const created = call({ ...W, verb: 'create', body: { metadata: { name: 'a' }, spec: { size: 3, sise: 4 }, status: { ready: true } } });
    expect(created.spec).toEqual({ size: 3, color: 'red' });
    // With a status subresource, a create's status is dropped.
    expect(created.status).toBeUndefined();
    expect(created._warnings).toEqual(['unknown field "spec.sise"']);
    const strict = statusErrorOf(() => call({ ...W, verb: 'create', query: { fieldValidation: 'Strict' }, body: { metadata: { name: 'b' }, spec: { size: 3, sise: 4 } } }));
    expect(strict.status.message).toBe('Widget in version "v1" cannot be handled as a Widget: strict decoding error: unknown field "spec.sise"');
    const invalid = statusErrorOf(() => call({ ...W, verb: 'create', body: { metadata: { name: 'c' }, spec: { size: 'big' } } }));
    expect(invalid.code).toBe(422);
    expect(invalid.status.message).toBe('Widget.example.com "c" is invalid: spec.size: Invalid value: "string": spec.size in body must be of type integer: "string"');
    const two = statusErrorOf(() => call({ ...W, verb: 'create', body: { metadata: { name: 'd' }, spec: { color: 'blue' } } }));
    expect(two.status.message).toBe('Widget.example.com "d" is invalid: spec.size: Required value');
    // Updates are checked too, and through /status only status changes but it is checked against the schema.
    expect(statusErrorOf(() => call({ ...W, verb: 'patch', patchType: 'merge', name: 'a', body: { spec: { size: 11 } } })).status.message).toBe(
      'Widget.example.com "a" is invalid: spec.size: Invalid value: 11: spec.size in body should be less than or equal to 10',
    );
    const status = call({ ...W, verb: 'patch', patchType: 'merge', name: 'a', subresource: 'status', body: { spec: { size: 9 }, status: { ready: true } } });
    expect([status.spec.size, status.status.ready]).toEqual([3, true]);
    expect(statusErrorOf(() => call({ ...W, verb: 'patch', patchType: 'merge', name: 'a', subresource: 'status', body: { status: { ready: 'yes' } } })).status.message).toBe(
      'Widget.example.com "a" is invalid: status.ready: Invalid value: "string": status.ready in body must be of type boolean: "string"',
    );
  });

  it('the scale subresource reads and writes the paths the CRD names (registry/customresource ScaleREST)', () => {
    const { call } = server();
    const scaled = structuredClone(crd) as any;
    scaled.metadata.name = 'pools.example.com';
    scaled.spec.names = { plural: 'pools', kind: 'Pool' };
    scaled.spec.versions[0].subresources.scale = { specReplicasPath: '.spec.members', statusReplicasPath: '.status.members', labelSelectorPath: '.status.selector' };
    scaled.spec.versions[0].schema.openAPIV3Schema.properties = { spec: { type: 'object', properties: { members: { type: 'integer', maximum: 5 } } }, status: { type: 'object', properties: { members: { type: 'integer' }, selector: { type: 'string' } } } };
    call({ ...EXT, verb: 'create', body: scaled });
    const P = { ...W, resource: 'pools' };
    call({ ...P, verb: 'create', body: { metadata: { name: 'p' }, spec: { members: 1 } } });
    call({ ...P, verb: 'patch', patchType: 'merge', name: 'p', subresource: 'status', body: { status: { members: 1, selector: 'app=p' } } });
    expect(call({ ...P, verb: 'get', name: 'p', subresource: 'scale' })).toMatchObject({ kind: 'Scale', spec: { replicas: 1 }, status: { replicas: 1, selector: 'app=p' } });
    expect(call({ ...P, verb: 'patch', patchType: 'merge', name: 'p', subresource: 'scale', body: { spec: { replicas: 3 } } }).spec.replicas).toBe(3);
    expect(call({ ...P, verb: 'get', name: 'p' }).spec.members).toBe(3);
    // The write goes through the object, so its schema still applies.
    expect(statusErrorOf(() => call({ ...P, verb: 'patch', patchType: 'merge', name: 'p', subresource: 'scale', body: { spec: { replicas: 9 } } })).status.message).toBe(
      'Pool.example.com "p" is invalid: spec.members: Invalid value: 9: spec.members in body should be less than or equal to 5',
    );
  });

  it('every served version is served from one storage: objects are kept at the storage version and shown at the version asked for', () => {
    const { api, call } = server();
    const multi = structuredClone(crd) as any;
    multi.metadata.name = 'gizmos.example.com';
    multi.spec.names = { plural: 'gizmos', kind: 'Gizmo' };
    const v1 = multi.spec.versions[0];
    multi.spec.versions = [{ ...structuredClone(v1), name: 'v1alpha1', storage: false, deprecated: true }, { ...structuredClone(v1), name: 'v1beta1', storage: false }, v1];
    call({ ...EXT, verb: 'create', body: multi });
    // The preferred version is the highest priority one (GA, then beta, then alpha), whatever the order in the CRD.
    expect(api.registry.get('example.com', 'gizmos')?.version).toBe('v1');
    const G = (version: string) => ({ ...W, version, resource: 'gizmos' });
    const events: string[] = [];
    api.watch({ ...G('v1beta1'), verb: 'watch', user: admin, query: {} } as ApiRequest, (e: WatchEventOut) => events.push(`${e.type} ${(e.object as any).apiVersion}`));
    expect(call({ ...G('v1beta1'), verb: 'create', body: { apiVersion: 'example.com/v1beta1', kind: 'Gizmo', metadata: { name: 'g' }, spec: { size: 1 } } }).apiVersion).toBe('example.com/v1beta1');
    expect(api.store.get('gizmos.example.com', 'default/g')?.['apiVersion']).toBe('example.com/v1');
    expect(call({ ...G('v1'), verb: 'get', name: 'g' }).apiVersion).toBe('example.com/v1');
    expect(call({ ...G('v1alpha1'), verb: 'get', name: 'g' }).apiVersion).toBe('example.com/v1alpha1');
    expect(call({ ...G('v1alpha1'), verb: 'list' }).apiVersion).toBe('example.com/v1alpha1');
    // A deprecated version says so on every answer, naming the newest served version (crdhandler defaultDeprecationWarning).
    expect(call({ ...G('v1alpha1'), verb: 'list' })._warnings).toEqual(['example.com/v1alpha1 Gizmo is deprecated; use example.com/v1 Gizmo']);
    expect(call({ ...G('v1'), verb: 'list' })._warnings).toBeUndefined();
    expect(call({ ...G('v1beta1'), verb: 'patch', patchType: 'merge', name: 'g', body: { spec: { size: 2 } } })).toMatchObject({ apiVersion: 'example.com/v1beta1', spec: { size: 2 } });
    expect(events).toEqual(['ADDED example.com/v1beta1', 'MODIFIED example.com/v1beta1']);
    expect(statusErrorOf(() => call({ ...G('v2'), verb: 'list' })).code).toBe(404);
  });

  it('server-side apply merges lists as the schema says: list-type map item by item, atomic lists as one field', () => {
    const { call } = server();
    const ssa = structuredClone(crd) as any;
    ssa.metadata.name = 'routes.example.com';
    ssa.spec.names = { plural: 'routes', kind: 'Route' };
    ssa.spec.versions[0].schema.openAPIV3Schema.properties = {
      spec: {
        type: 'object',
        properties: {
          ports: { type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'], items: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, port: { type: 'integer' } } } },
          hosts: { type: 'array', items: { type: 'string' } },
        },
      },
    };
    call({ ...EXT, verb: 'create', body: ssa });
    const R = { ...W, resource: 'routes' };
    const apply = (manager: string, spec: object, force = false) =>
      call({ ...R, verb: 'patch', patchType: 'apply', name: 'r', query: { fieldManager: manager, ...(force && { force: true }) }, body: { apiVersion: 'example.com/v1', kind: 'Route', metadata: { name: 'r' }, spec } });
    apply('a', { ports: [{ name: 'http', port: 80 }], hosts: ['a.example.com'] });
    const both = apply('b', { ports: [{ name: 'https', port: 443 }] });
    expect(both.spec.ports).toHaveLength(2);
    expect(both.spec.ports).toEqual(expect.arrayContaining([{ name: 'http', port: 80 }, { name: 'https', port: 443 }]));
    expect(both.metadata.managedFields.find((m: any) => m.manager === 'b').fieldsV1).toEqual({ 'f:spec': { 'f:ports': { 'k:{"name":"https"}': { '.': {}, 'f:name': {}, 'f:port': {} } } } });
    expect(statusErrorOf(() => apply('b', { hosts: ['b.example.com'] })).status.message).toBe('Apply failed with 1 conflict: conflict with "a": .spec.hosts');
  });

  it('deleting the CRD deletes its objects first (cleanup finalizer), then stops serving it', () => {
    const { api, call } = server();
    call({ ...W, verb: 'create', body: { metadata: { name: 'a' }, spec: { size: 1 } } });
    call({ ...W, verb: 'create', body: { metadata: { name: 'held', finalizers: ['example.com/hold'] }, spec: { size: 2 } } });
    const events: string[] = [];
    api.watch({ ...EXT, verb: 'watch', user: admin, query: {} } as ApiRequest, (e: WatchEventOut) => events.push(`${e.type}`));
    const answer = call({ ...EXT, verb: 'delete', name: 'widgets.example.com' });
    expect(answer.metadata.finalizers).toEqual([CLEANUP_FINALIZER]);
    expect(answer.metadata.deletionTimestamp).toBeDefined();
    // The held object waits for its own finalizer; the CRD waits for it, Terminating, and refuses new objects.
    const terminating = call({ ...EXT, verb: 'get', name: 'widgets.example.com' });
    expect(terminating.status.conditions.find((c: any) => c.type === 'Terminating')).toMatchObject({ status: 'True', reason: 'InstanceDeletionInProgress', message: 'CustomResource deletion is in progress' });
    expect(call({ ...W, verb: 'list' }).items.map((o: any) => o.metadata.name)).toEqual(['held']);
    const refused = statusErrorOf(() => call({ ...W, verb: 'create', body: { metadata: { name: 'new' }, spec: { size: 1 } } }));
    expect([refused.code, refused.status.message]).toEqual([405, 'create not allowed while custom resource definition is terminating']);
    // The last finalizer goes: the object, then the CRD, are deleted.
    call({ ...W, verb: 'patch', patchType: 'merge', name: 'held', body: { metadata: { finalizers: null } } });
    expect(statusErrorOf(() => call({ ...EXT, verb: 'get', name: 'widgets.example.com' })).code).toBe(404);
    expect(events.at(-1)).toBe('DELETED');
    expect(statusErrorOf(() => call({ ...W, verb: 'list' })).status.message).toBe('the server could not find the requested resource');
  });

  it('deleting every CRD at once (deletecollection) cleans up each one\'s objects too', () => {
    const { call } = server();
    call({ ...W, verb: 'create', body: { metadata: { name: 'a' }, spec: { size: 1 } } });
    call({ ...EXT, verb: 'deletecollection' });
    expect(statusErrorOf(() => call({ ...EXT, verb: 'get', name: 'widgets.example.com' })).code).toBe(404);
    // Recreated, the type starts empty: the old objects did not outlive their CRD.
    call({ ...EXT, verb: 'create', body: crd });
    expect(call({ ...W, verb: 'list' }).items).toEqual([]);
  });
});
