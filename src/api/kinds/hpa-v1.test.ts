import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ApiServer } from '../server/apiserver.js';
import type { ApiRequest } from '../server/request.js';
import { hpaV1Conversion } from './hpa-v1.js';

const admin = { name: 'admin', groups: ['system:masters'] };

describe('autoscaling/v1 HorizontalPodAutoscalers (pkg/apis/autoscaling/v1/conversion.go)', () => {
  it('a v1 object is stored as v2 (its CPU target a Resource metric) and read back at either version', () => {
    let n = 0;
    const api = new ApiServer({ now: () => 0, random: () => ((n = (n * 9301 + 49297) % 233280) / 233280) });
    api.bootstrap();
    const call = (r: Partial<ApiRequest>) => api.handle({ group: 'autoscaling', user: admin, resource: 'horizontalpodautoscalers', namespace: 'default', ...r } as ApiRequest).body as any;
    const created = call({ version: 'v1', verb: 'create', body: { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, maxReplicas: 3, targetCPUUtilizationPercentage: 50 } } });
    expect(created).toMatchObject({ apiVersion: 'autoscaling/v1', spec: { minReplicas: 1, maxReplicas: 3, targetCPUUtilizationPercentage: 50 } });
    expect(api.store.get('horizontalpodautoscalers.autoscaling', 'default/web')).toMatchObject({ apiVersion: 'autoscaling/v2', spec: { metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }] } });
    expect(call({ version: 'v2', verb: 'get', name: 'web' }).apiVersion).toBe('autoscaling/v2');
    expect(call({ version: 'v1', verb: 'list' }).items[0].spec.targetCPUUtilizationPercentage).toBe(50);
    // A merge patch in v1 terms changes the v2 object.
    call({ version: 'v1', verb: 'patch', patchType: 'merge', name: 'web', body: { spec: { targetCPUUtilizationPercentage: 70 } } });
    expect(call({ version: 'v2', verb: 'get', name: 'web' }).spec.metrics[0].resource.target.averageUtilization).toBe(70);
  });

  it('v2-only metrics, current metrics, behavior and conditions survive a round trip through v1 annotations', () => {
    const v2 = {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web', annotations: { team: 'a' } },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
        minReplicas: 1,
        maxReplicas: 5,
        metrics: [
          { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } },
          { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '100Mi' } } },
          { type: 'Pods', pods: { metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '10' } } },
        ],
        behavior: { scaleDown: { stabilizationWindowSeconds: 60 } },
      },
      status: { currentReplicas: 2, desiredReplicas: 3, currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 80, averageValue: '400m' } } }], conditions: [{ type: 'AbleToScale', status: 'True', reason: 'SucceededRescale', message: 'ok', lastTransitionTime: '2026-01-01T00:00:00Z' }] },
    };
    const v1 = hpaV1Conversion.fromStorage(v2);
    expect(v1).toMatchObject({ apiVersion: 'autoscaling/v1', spec: { targetCPUUtilizationPercentage: 60 }, status: { currentCPUUtilizationPercentage: 80, currentReplicas: 2, desiredReplicas: 3 } });
    expect(JSON.parse((v1.metadata as any).annotations['autoscaling.alpha.kubernetes.io/metrics'])).toEqual([
      { type: 'Resource', resource: { name: 'memory', targetAverageValue: '100Mi' } },
      { type: 'Pods', pods: { metricName: 'rps', targetAverageValue: '10' } },
    ]);
    expect(hpaV1Conversion.toStorage(v1)).toEqual(v2);
  });

  it('property: any CPU target and replica bounds round-trip v1 → v2 → v1 unchanged', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100 }), fc.integer({ min: 1, max: 10 }), fc.integer({ min: 10, max: 20 }), (cpu, min, max) => {
        const v1 = { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'x' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'x' }, minReplicas: min, maxReplicas: max, targetCPUUtilizationPercentage: cpu } };
        expect(hpaV1Conversion.fromStorage(hpaV1Conversion.toStorage(v1))).toEqual(v1);
      }),
    );
  });
});
