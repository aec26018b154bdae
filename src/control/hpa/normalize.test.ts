import { describe, expect, it } from 'vitest';
import { ScalingHistory } from './normalize.js';

const T0 = 1_000_000;

describe('HPA normalization (upstream horizontal.go)', () => {
  it('without behavior: the scale-up limit max(2 × current, 4), then maxReplicas', () => {
    const h = new ScalingHistory();
    expect(h.normalize(2, 10, 1, 20, T0)).toMatchObject({ desiredReplicas: 4, scalingLimited: { status: 'True', reason: 'ScaleUpLimit', message: 'the desired replica count is increasing faster than the maximum scale rate' } });
    expect(h.normalize(20, 30, 1, 25, T0)).toMatchObject({ desiredReplicas: 25, scalingLimited: { status: 'True', reason: 'TooManyReplicas', message: 'the desired replica count is more than the maximum replica count' } });
  });

  it('without behavior: a scale-down waits out the 5 minute stabilization window', () => {
    const h = new ScalingHistory();
    h.recordInitial(5, T0);
    const early = h.normalize(5, 2, 1, 10, T0 + 60_000);
    expect(early).toMatchObject({ desiredReplicas: 5, ableToScale: { reason: 'ScaleDownStabilized', message: 'recent recommendations were higher than current one, applying the highest recent recommendation' } });
    expect(early.scalingLimited).toEqual({ status: 'False', reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' });
    expect(h.normalize(5, 2, 1, 10, T0 + 301_000)).toMatchObject({ desiredReplicas: 2, ableToScale: { reason: 'ReadyForNewScale', message: 'recommended size matches current size' } });
  });

  it('without behavior: minReplicas holds', () => {
    const h = new ScalingHistory();
    h.recordInitial(3, T0);
    expect(h.normalize(3, 0, 2, 10, T0)).toMatchObject({ desiredReplicas: 3 });
    expect(h.normalize(3, 0, 2, 10, T0 + 600_000)).toMatchObject({ desiredReplicas: 2, scalingLimited: { status: 'True', reason: 'TooFewReplicas' } });
  });

  it('with behavior: default scale-up policies allow max(+4 pods, +100 %) per 15 s', () => {
    const h = new ScalingHistory();
    const first = h.normalizeWithBehavior(2, 20, 1, 50, {}, T0);
    expect(first).toMatchObject({ desiredReplicas: 6, scalingLimited: { status: 'True', reason: 'ScaleUpLimit' } });
    h.recordScale(2, 6, {}, T0);
    expect(h.normalizeWithBehavior(6, 20, 1, 50, {}, T0 + 5_000).desiredReplicas).toBe(6);
    expect(h.normalizeWithBehavior(6, 20, 1, 50, {}, T0 + 16_000).desiredReplicas).toBe(12);
  });

  it('with behavior: a scale-down policy and a scale-up stabilization window', () => {
    const h = new ScalingHistory();
    const behavior = { scaleDown: { stabilizationWindowSeconds: 0, policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] } };
    expect(h.normalizeWithBehavior(5, 1, 1, 10, behavior, T0)).toMatchObject({ desiredReplicas: 4, scalingLimited: { status: 'True', reason: 'ScaleDownLimit', message: 'the desired replica count is decreasing faster than the maximum scale rate' } });
    h.recordScale(5, 4, behavior, T0);
    expect(h.normalizeWithBehavior(4, 1, 1, 10, behavior, T0 + 30_000).desiredReplicas).toBe(4);
    const up = new ScalingHistory();
    const slowUp = { scaleUp: { stabilizationWindowSeconds: 60 } };
    up.normalizeWithBehavior(2, 2, 1, 10, slowUp, T0);
    expect(up.normalizeWithBehavior(2, 8, 1, 10, slowUp, T0 + 30_000)).toMatchObject({ desiredReplicas: 2, ableToScale: { reason: 'ScaleUpStabilized' } });
    expect(up.normalizeWithBehavior(2, 8, 1, 10, slowUp, T0 + 61_000).desiredReplicas).toBe(6);
  });
});
