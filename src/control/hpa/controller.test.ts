import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/registry/types.js';
import { ImageCatalog } from '../../workloads/catalog.js';
import { deploymentCluster } from '../deployment/testing.js';
import { HorizontalPodAutoscalerController } from './controller.js';

const catalog = () => new ImageCatalog({ 'example.com/hot:1': { cpuMillicores: 400 }, 'example.com/idle:1': { cpuMillicores: 10 } });

function cluster(seed: string, withMetricsServer = true, image = 'example.com/hot:1') {
  const c = deploymentCluster(seed, { catalog: catalog(), ...(withMetricsServer && { metricsServer: 'node-3' }) });
  new HorizontalPodAutoscalerController(c.world.host('cp-0'), c.kcm, c.gateway.api.registry).start();
  const template = (image: string) => ({ metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image, resources: { requests: { cpu: '200m' } } }] } });
  c.deploy('web', { replicas: 1, template: template(image) });
  const autoscale = (spec: Record<string, unknown>) =>
    c.call({ verb: 'create', group: 'autoscaling', version: 'v2', resource: 'horizontalpodautoscalers', namespace: 'default', body: { metadata: { name: 'web' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, maxReplicas: 5, ...spec } } as KubeObject });
  const hpa = () => c.call({ verb: 'get', group: 'autoscaling', version: 'v2', resource: 'horizontalpodautoscalers', namespace: 'default', name: 'web' }).body as any;
  const hpaEvents = () => c.events('web').filter((e: any) => e.involvedObject.kind === 'HorizontalPodAutoscaler').map((e: any) => `${e.type} ${e.reason} ${e.message}`);
  const condition = (type: string) => hpa().status.conditions.find((x: any) => x.type === type);
  return { ...c, template, autoscale, hpa, hpaEvents, condition };
}

describe('HorizontalPodAutoscaler controller (upstream pkg/controller/podautoscaler)', () => {
  it('scales a Deployment up on CPU utilization, capped by the scale-up limit then maxReplicas; down only after the 5 minute stabilization', () => {
    const c = cluster('hpa-up-down');
    c.world.sim.advance(30_000);
    c.autoscale({ metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }] });
    c.world.sim.advance(60_000);
    // 400m used of a 200m request: 200 % against 50 % → 4 pods, which the first step allows (max(2 × 1, 4)).
    expect(c.hpaEvents()).toContain('Normal SuccessfulRescale New size: 4; reason: cpu resource utilization (percentage of request) above target');
    c.world.sim.advance(120_000);
    expect(c.deployment('web').spec?.replicas).toBe(5);
    expect(c.hpaEvents()).toContain('Normal SuccessfulRescale New size: 5; reason: cpu resource utilization (percentage of request) above target');
    const status = c.hpa().status;
    expect(status).toMatchObject({ currentReplicas: 5, desiredReplicas: 5, currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 200, averageValue: '400m' } } }] });
    expect(status.lastScaleTime).toBeDefined();
    expect(c.condition('ScalingLimited')).toMatchObject({ status: 'True', reason: 'TooManyReplicas', message: 'the desired replica count is more than the maximum replica count' });
    expect(c.condition('ScalingActive')).toMatchObject({ status: 'True', reason: 'ValidMetricFound', message: 'the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)' });

    // The load goes away: 10m of 200m is 5 %; the scale-down waits for the stabilization window.
    c.call({ verb: 'patch', patchType: 'merge', group: 'apps', version: 'v1', resource: 'deployments', namespace: 'default', name: 'web', body: { spec: { template: c.template('example.com/idle:1') } } });
    const idleAt = c.world.sim.now;
    c.world.sim.advance(120_000);
    expect(c.deployment('web').spec?.replicas).toBe(5);
    expect(c.condition('AbleToScale')).toMatchObject({ status: 'True', reason: 'ScaleDownStabilized' });
    c.world.sim.runUntil(() => (c.gateway.api.store.get('deployments.apps', 'default/web') as any).spec.replicas === 1, { timeoutMs: 600_000 });
    expect(c.world.sim.now - idleAt).toBeGreaterThan(300_000);
    c.world.sim.advance(5_000);
    expect(c.hpaEvents()).toContain('Normal SuccessfulRescale New size: 1; reason: All metrics below target');
  });

  it('without metrics.k8s.io: FailedGetResourceMetric and FailedComputeMetricsReplicas with upstream texts, nothing scales', () => {
    const c = cluster('hpa-no-metrics', false);
    c.world.sim.advance(30_000);
    c.autoscale({});
    c.world.sim.advance(40_000);
    const cause = 'failed to get cpu utilization: unable to get metrics for resource cpu: unable to fetch metrics from resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)';
    const events = c.hpaEvents();
    expect(events.some((e: string) => e.startsWith('Warning FailedGetResourceMetric failed to get cpu utilization: unable to get metrics for resource cpu: unable to fetch metrics from resource metrics API: '))).toBe(true);
    expect(events.some((e: string) => e.startsWith('Warning FailedComputeMetricsReplicas invalid metrics (1 invalid out of 1), first error is: failed to get cpu resource metric value: failed to get cpu utilization:'))).toBe(true);
    expect(c.condition('ScalingActive')).toMatchObject({ status: 'False', reason: 'FailedGetResourceMetric' });
    expect(c.condition('ScalingActive').message.startsWith('the HPA was unable to compute the replica count: failed to get cpu utilization:')).toBe(true);
    expect(c.deployment('web').spec?.replicas).toBe(1);
    expect(cause).toContain('pods.metrics.k8s.io');
  });

  it('a missing target: FailedGetScale; a target scaled to zero: ScalingDisabled; out of range: brought to minReplicas', () => {
    const c = cluster('hpa-target', true, 'example.com/idle:1');
    c.call({ verb: 'create', group: 'autoscaling', version: 'v2', resource: 'horizontalpodautoscalers', namespace: 'default', body: { metadata: { name: 'web' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'nope' }, maxReplicas: 3 } } as KubeObject });
    c.world.sim.advance(20_000);
    expect(c.hpaEvents()).toContain('Warning FailedGetScale deployments.apps "nope" not found');
    expect(c.condition('AbleToScale')).toMatchObject({ status: 'False', reason: 'FailedGetScale', message: 'the HPA controller was unable to get the target\'s current scale: deployments.apps "nope" not found' });

    c.call({ verb: 'patch', patchType: 'merge', group: 'autoscaling', version: 'v2', resource: 'horizontalpodautoscalers', namespace: 'default', name: 'web', body: { spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 2 } } });
    c.world.sim.advance(20_000);
    expect(c.deployment('web').spec?.replicas).toBe(2);
    expect(c.hpaEvents()).toContain('Normal SuccessfulRescale New size: 2; reason: Current number of replicas below Spec.MinReplicas');

    c.call({ verb: 'patch', patchType: 'merge', group: 'apps', version: 'v1', resource: 'deployments', namespace: 'default', name: 'web', body: { spec: { replicas: 0 } } });
    c.world.sim.advance(30_000);
    expect(c.deployment('web').spec?.replicas).toBe(0);
    expect(c.condition('ScalingActive')).toMatchObject({ status: 'False', reason: 'ScalingDisabled', message: 'scaling is disabled since the replica count of the target is zero' });
  });
});
