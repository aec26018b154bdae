import { describe, expect, it } from 'vitest';
import { ImageCatalog } from '../../workloads/catalog.js';
import { testCluster } from '../testing.js';
import { EndpointsController } from './controller.js';

function cluster(seed: string) {
  const catalog = new ImageCatalog({
    'shop/api': { ports: [8080], http: { '/ready': { status: 500, fromSeconds: 30 } } },
    'shop/db': { ports: [8080], http: { '/ready': { status: 200 } }, shutdownSeconds: 30 },
  });
  const c = testCluster(seed, { catalog });
  new EndpointsController(c.world.host('cp-0'), c.kcm).start();
  const service = (name: string, spec: Record<string, unknown>) => c.call({ verb: 'create', group: '', version: 'v1', resource: 'services', namespace: 'default', body: { metadata: { name, namespace: 'default' }, spec } as any });
  const api = (name: string, node: string, extra: Record<string, unknown> = {}, image = 'shop/api:1') =>
    c.call({
      verb: 'create', group: '', version: 'v1', resource: 'pods', namespace: 'default',
      body: { metadata: { name, namespace: 'default', labels: { app: 'api' } }, spec: { nodeName: node, containers: [{ name: 'api', image, ports: [{ name: 'http', containerPort: 8080 }], readinessProbe: { httpGet: { path: '/ready', port: 'http' }, periodSeconds: 5 } }], ...extra } } as any,
    });
  const slices = (svc: string) => ((c.call({ verb: 'list', group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices', namespace: 'default', query: { labelSelector: `kubernetes.io/service-name=${svc}` } }).body as any).items as any[]);
  return { ...c, service, api, slices };
}

describe('Endpoints and EndpointSlice controllers (upstream pkg/controller/endpoint, endpointslice)', () => {
  it('ready pods are addresses with the named target port; a pod failing readiness moves to notReadyAddresses and ready=false', () => {
    const c = cluster('ep-ready');
    c.service('api', { selector: { app: 'api' }, ports: [{ name: 'web', port: 80, targetPort: 'http' }] });
    c.api('api-1', 'node-1');
    c.api('api-2', 'node-2');
    c.world.sim.advance(15_000);
    const ep = c.get('endpoints', 'api', 'default');
    expect(ep.subsets).toHaveLength(1);
    expect(ep.subsets[0].ports).toEqual([{ name: 'web', port: 8080, protocol: 'TCP' }]);
    expect(ep.subsets[0].addresses.map((a: any) => a.targetRef.name).sort()).toEqual(['api-1', 'api-2']);
    expect(ep.subsets[0].addresses[0]).toMatchObject({ ip: expect.stringMatching(/^10\.244\./), nodeName: expect.stringMatching(/^node-/) });
    const [slice] = c.slices('api');
    expect(slice.metadata).toMatchObject({ labels: { 'kubernetes.io/service-name': 'api', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' }, ownerReferences: [{ kind: 'Service', name: 'api' }] });
    expect(slice.metadata.name).toMatch(/^api-[a-z0-9]{5}$/);
    expect(slice.ports).toEqual([{ name: 'web', port: 8080, protocol: 'TCP' }]);
    expect(slice.endpoints.map((e: any) => e.conditions)).toEqual([{ ready: true, serving: true, terminating: false }, { ready: true, serving: true, terminating: false }]);
    // /ready answers 500 from 30 s on: readiness fails three times, the pods go NotReady.
    c.world.sim.advance(40_000);
    const after = c.get('endpoints', 'api', 'default');
    expect(after.subsets[0].addresses).toBeUndefined();
    expect(after.subsets[0].notReadyAddresses).toHaveLength(2);
    expect(c.slices('api')[0].endpoints.map((e: any) => e.conditions.ready)).toEqual([false, false]);
  });

  it('a terminating pod stays in the slice as terminating (not ready) and leaves Endpoints; headless hostnames; selector-less services are left alone', () => {
    const c = cluster('ep-terminating');
    c.service('db', { clusterIP: 'None', selector: { app: 'api' }, ports: [{ port: 8080 }] });
    c.service('manual', { ports: [{ port: 80 }] });
    c.api('db-0', 'node-1', { hostname: 'db-0', subdomain: 'db', terminationGracePeriodSeconds: 60 }, 'shop/db:1');
    c.world.sim.advance(15_000);
    expect(c.get('endpoints', 'db', 'default').subsets[0].addresses[0]).toMatchObject({ hostname: 'db-0' });
    expect(c.get('endpoints', 'db', 'default').metadata.labels).toMatchObject({ 'service.kubernetes.io/headless': '' });
    expect(c.slices('db')[0].endpoints[0]).toMatchObject({ hostname: 'db-0' });
    c.call({ verb: 'delete', group: '', version: 'v1', resource: 'pods', namespace: 'default', name: 'db-0' });
    c.world.sim.advance(2_000);
    expect(c.slices('db')[0].endpoints[0].conditions).toEqual({ ready: false, serving: true, terminating: true });
    expect(c.get('endpoints', 'db', 'default').subsets).toBeUndefined();
    expect(c.call({ verb: 'get', group: '', version: 'v1', resource: 'endpoints', namespace: 'default', name: 'manual' }).error).toMatchObject({ code: 404 });
  });
});
