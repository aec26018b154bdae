import { describe, expect, it } from 'vitest';
import { parseQuantity } from '../../api/quantity.js';
import { testCluster } from '../testing.js';
import { ImageCatalog } from '../../workloads/catalog.js';

/** A cluster whose metrics-server runs on node-3 (as a pod would), registered as v1beta1.metrics.k8s.io. */
function cluster(seed: string) {
  const catalog = new ImageCatalog({ 'example.com/busy:1': { cpuMillicores: 300, memory: { steadyMi: 40 } } });
  const c = testCluster(seed, { catalog, metricsServer: 'node-3' });
  const metrics = (resource: 'pods' | 'nodes', extra: Record<string, unknown> = {}) => c.call({ verb: 'list', group: 'metrics.k8s.io', version: 'v1beta1', resource, ...extra });
  return { ...c, metrics };
}

const millicores = (q: string) => Math.round(parseQuantity(q).value * 1000);

describe('metrics-server and metrics.k8s.io (upstream sigs.k8s.io/metrics-server)', () => {
  it('serves PodMetrics from two kubelet scrapes: CPU granted (capped by the limit) and memory working set', () => {
    const c = cluster('ms-pods');
    c.createPod('busy', 'node-1', { containers: [{ name: 'app', image: 'example.com/busy:1' }] });
    c.createPod('capped', 'node-2', { containers: [{ name: 'app', image: 'polinux/stress', args: ['--cpu', '2'], resources: { limits: { cpu: '500m' } } }] });
    c.world.sim.advance(10_000);
    // No metrics until a container has been seen by a scrape and has a rate.
    expect((c.metrics('pods', { namespace: 'default' }).body as any).items).toEqual([]);
    c.world.sim.advance(50_000);
    const list = c.metrics('pods', { namespace: 'default' }).body as any;
    expect(list.kind).toBe('PodMetricsList');
    const byName = Object.fromEntries(list.items.map((i: any) => [i.metadata.name, i]));
    expect(Object.keys(byName)).toEqual(['busy', 'capped']);
    expect(byName.busy.containers[0].name).toBe('app');
    expect(millicores(byName.busy.containers[0].usage.cpu)).toBe(300);
    expect(byName.busy.containers[0].usage.memory).toBe('40Mi');
    // The CFS quota: a stress wanting two cores uses 500m under a 500m limit.
    expect(millicores(byName.capped.containers[0].usage.cpu)).toBe(500);
    expect(byName.busy.window).toMatch(/^1[45](\.\d+)?s$/);
    expect(byName.busy.metadata.namespace).toBe('default');
  });

  it('filters by label selector, answers get, and 404s a pod without metrics', () => {
    const c = cluster('ms-get');
    c.createPod('a', 'node-1', { containers: [{ name: 'app', image: 'example.com/busy:1' }] });
    c.call({ verb: 'create', group: '', version: 'v1', resource: 'pods', namespace: 'default', body: { metadata: { name: 'b', labels: { app: 'b' } }, spec: { nodeName: 'node-2', containers: [{ name: 'app', image: 'example.com/busy:1' }] } } });
    c.world.sim.advance(60_000);
    expect((c.metrics('pods', { namespace: 'default', query: { labelSelector: 'app=b' } }).body as any).items.map((i: any) => i.metadata.name)).toEqual(['b']);
    const one = c.call({ verb: 'get', group: 'metrics.k8s.io', version: 'v1beta1', resource: 'pods', namespace: 'default', name: 'a' });
    expect((one.body as any).kind).toBe('PodMetrics');
    const missing = c.call({ verb: 'get', group: 'metrics.k8s.io', version: 'v1beta1', resource: 'pods', namespace: 'default', name: 'nope' });
    expect((missing.error as any).status).toMatchObject({ code: 404, reason: 'NotFound', message: 'podmetrics.metrics.k8s.io "nope" not found' });
  });

  it('serves NodeMetrics summing what runs on the node', () => {
    const c = cluster('ms-nodes');
    c.createPod('a', 'node-1', { containers: [{ name: 'app', image: 'example.com/busy:1' }] });
    c.createPod('b', 'node-1', { containers: [{ name: 'app', image: 'example.com/busy:1' }] });
    c.world.sim.advance(60_000);
    const nodes = (c.metrics('nodes').body as any).items;
    expect(nodes.map((n: any) => n.metadata.name)).toEqual(['node-1', 'node-2', 'node-3']);
    expect(millicores(nodes[0].usage.cpu)).toBe(600);
    expect(nodes[0].usage.memory).toBe('80Mi');
    expect(nodes[1].usage.cpu).toBe('0');
  });

  it('a kubelet it cannot reach has no metrics until it is reached again', () => {
    const c = cluster('ms-partition');
    c.createPod('a', 'node-1', { containers: [{ name: 'app', image: 'example.com/busy:1' }] });
    c.world.sim.advance(60_000);
    expect((c.metrics('pods', { namespace: 'default' }).body as any).items).toHaveLength(1);
    const cut = c.world.faults.inject({ kind: 'partition', groups: [['node-1'], ['node-3']] });
    c.world.sim.advance(30_000);
    expect((c.metrics('pods', { namespace: 'default' }).body as any).items).toEqual([]);
    expect((c.metrics('nodes').body as any).items.map((n: any) => n.metadata.name)).toEqual(['node-2', 'node-3']);
    cut.heal();
    c.world.sim.advance(45_000);
    expect((c.metrics('pods', { namespace: 'default' }).body as any).items).toHaveLength(1);
  });

  it('an unreachable metrics-server: 503 from the aggregator; watch is not supported', () => {
    const c = cluster('ms-down');
    c.world.sim.advance(20_000);
    const cut = c.world.faults.inject({ kind: 'partition', groups: [['cp-0'], ['node-3']] });
    const answer = c.metrics('pods', { namespace: 'default' });
    expect((answer.error as any).status).toMatchObject({ code: 503, reason: 'ServiceUnavailable', message: 'the server is currently unable to handle the request (get pods.metrics.k8s.io)' });
    cut.heal();
    expect(c.metrics('pods', { namespace: 'default' }).error).toBeNull();
    const create = c.call({ verb: 'create', group: 'metrics.k8s.io', version: 'v1beta1', resource: 'pods', namespace: 'default', body: {} });
    expect((create.error as any).status.code).toBe(405);
  });
});
