import type { HPAScalingRules, HorizontalPodAutoscalerBehavior } from 'kubernetes-types/autoscaling/v2.js';

/** A condition the normalization sets: AbleToScale (stabilization) and ScalingLimited (bounds and rates). */
export interface Verdict {
  reason: string;
  message: string;
}

export interface Normalized {
  desiredReplicas: number;
  ableToScale: Verdict;
  scalingLimited: Verdict & { status: 'True' | 'False' };
}

interface Recommendation {
  replicas: number;
  atMs: number;
}

interface ScaleEvent {
  change: number;
  atMs: number;
  outdated: boolean;
}

const WITHIN_RANGE: Verdict = { reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' };
const READY: Verdict = { reason: 'ReadyForNewScale', message: 'recommended size matches current size' };
const TOO_MANY: Verdict = { reason: 'TooManyReplicas', message: 'the desired replica count is more than the maximum replica count' };
const TOO_FEW: Verdict = { reason: 'TooFewReplicas', message: 'the desired replica count is less than the minimum replica count' };
const UP_LIMIT: Verdict = { reason: 'ScaleUpLimit', message: 'the desired replica count is increasing faster than the maximum scale rate' };
const DOWN_LIMIT: Verdict = { reason: 'ScaleDownLimit', message: 'the desired replica count is decreasing faster than the maximum scale rate' };
const DOWN_STABILIZED: Verdict = { reason: 'ScaleDownStabilized', message: 'recent recommendations were higher than current one, applying the highest recent recommendation' };
const UP_STABILIZED: Verdict = { reason: 'ScaleUpStabilized', message: 'recent recommendations were lower than current one, applying the lowest recent recommendation' };

/** Defaults of a given `behavior` (upstream pkg/apis/autoscaling/v2 defaults.go GenerateHPAScaleUpRules / GenerateHPAScaleDownRules). */
export function defaultedBehavior(behavior: HorizontalPodAutoscalerBehavior, downscaleStabilizationSeconds: number): { scaleUp: Required<HPAScalingRules>; scaleDown: Required<HPAScalingRules> } {
  const up = behavior.scaleUp ?? {};
  const down = behavior.scaleDown ?? {};
  return {
    scaleUp: {
      stabilizationWindowSeconds: up.stabilizationWindowSeconds ?? 0,
      selectPolicy: up.selectPolicy ?? 'Max',
      policies: up.policies ?? [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }],
    } as Required<HPAScalingRules>,
    scaleDown: {
      // nil means the controller's --horizontal-pod-autoscaler-downscale-stabilization (maybeInitScaleDownStabilizationWindow).
      stabilizationWindowSeconds: down.stabilizationWindowSeconds ?? downscaleStabilizationSeconds,
      selectPolicy: down.selectPolicy ?? 'Max',
      policies: down.policies ?? [{ type: 'Percent', value: 100, periodSeconds: 15 }],
    } as Required<HPAScalingRules>,
  };
}

/**
 * The HPA controller's memory for one autoscaler: recent recommendations
 * (stabilization windows) and recent scale events (rate policies), as
 * upstream horizontal.go keeps them per key. Times are the controller's clock.
 */
export class ScalingHistory {
  private recommendations: Recommendation[] = [];
  private upEvents: ScaleEvent[] = [];
  private downEvents: ScaleEvent[] = [];

  constructor(
    /** --horizontal-pod-autoscaler-downscale-stabilization (5 min). */
    private readonly downscaleStabilizationMs = 300_000,
  ) {}

  /** The first time an autoscaler is seen, its current size is a recommendation (recordInitialRecommendation). */
  recordInitial(replicas: number, nowMs: number): void {
    if (this.recommendations.length === 0) this.recommendations.push({ replicas, atMs: nowMs });
  }

  /** Without `behavior` (upstream normalizeDesiredReplicas): scale-down stabilization, then min/max and the scale-up limit max(2×current, 4). */
  normalize(current: number, desired: number, min: number, max: number, nowMs: number): Normalized {
    const stabilized = this.stabilizeDown(desired, nowMs);
    const ableToScale = stabilized !== desired ? DOWN_STABILIZED : READY;
    const scaleUpLimit = Math.max(2 * current, 4);
    const [maximum, limiting] = max > scaleUpLimit ? [scaleUpLimit, UP_LIMIT] : [max, TOO_MANY];
    let out = stabilized;
    let verdict = WITHIN_RANGE;
    if (stabilized < min) [out, verdict] = [min, TOO_FEW];
    else if (stabilized > maximum) [out, verdict] = [maximum, limiting];
    return { desiredReplicas: out, ableToScale, scalingLimited: { ...verdict, status: out === stabilized ? 'False' : 'True' } };
  }

  /** upstream stabilizeRecommendation: the highest recommendation within the window; the oldest expired one is replaced. */
  private stabilizeDown(desired: number, nowMs: number): number {
    const cutoff = nowMs - this.downscaleStabilizationMs;
    let max = desired;
    let old = -1;
    this.recommendations.forEach((r, i) => {
      if (r.atMs < cutoff) old = i;
      else max = Math.max(max, r.replicas);
    });
    if (old >= 0) this.recommendations[old] = { replicas: desired, atMs: nowMs };
    else this.recommendations.push({ replicas: desired, atMs: nowMs });
    return max;
  }

  /**
   * With `behavior` (upstream normalizeDesiredReplicasWithBehaviors):
   * stabilize between the lowest recommendation of the scale-up window and
   * the highest of the scale-down window, then hold the change within the
   * selected policy's rate over each policy's period, and within min/max.
   */
  normalizeWithBehavior(current: number, desired: number, min: number, max: number, behavior: HorizontalPodAutoscalerBehavior, nowMs: number): Normalized {
    const rules = defaultedBehavior(behavior, this.downscaleStabilizationMs / 1000);
    const upCutoff = nowMs - rules.scaleUp.stabilizationWindowSeconds * 1000;
    const downCutoff = nowMs - rules.scaleDown.stabilizationWindowSeconds * 1000;
    let up = desired;
    let down = desired;
    let old = -1;
    this.recommendations.forEach((r, i) => {
      if (r.atMs > upCutoff) up = Math.min(up, r.replicas);
      if (r.atMs > downCutoff) down = Math.max(down, r.replicas);
      if (r.atMs < upCutoff && r.atMs < downCutoff) old = i;
    });
    const stabilized = Math.min(Math.max(current, up), down);
    if (old >= 0) this.recommendations[old] = { replicas: desired, atMs: nowMs };
    else this.recommendations.push({ replicas: desired, atMs: nowMs });
    const ableToScale = stabilized !== desired ? (desired >= current ? UP_STABILIZED : DOWN_STABILIZED) : READY;

    let out = stabilized;
    let verdict = WITHIN_RANGE;
    if (stabilized > current) {
      const limit = Math.max(this.scaleUpLimit(current, rules.scaleUp, nowMs), current);
      const [maximum, limiting] = max > limit ? [limit, UP_LIMIT] : [max, TOO_MANY];
      if (stabilized > maximum) [out, verdict] = [maximum, limiting];
    } else if (stabilized < current) {
      const limit = Math.min(this.scaleDownLimit(current, rules.scaleDown, nowMs), current);
      const [minimum, limiting] = min < limit ? [limit, DOWN_LIMIT] : [min, TOO_FEW];
      if (stabilized < minimum) [out, verdict] = [minimum, limiting];
    }
    return { desiredReplicas: out, ableToScale, scalingLimited: { ...verdict, status: out === stabilized ? 'False' : 'True' } };
  }

  /** Remember a rescale for the rate policies (storeScaleEvent; only with behavior). */
  recordScale(from: number, to: number, behavior: HorizontalPodAutoscalerBehavior | undefined, nowMs: number): void {
    if (behavior === undefined || from === to) return;
    const rules = defaultedBehavior(behavior, this.downscaleStabilizationMs / 1000);
    const longest = (r: HPAScalingRules) => Math.max(0, ...(r.policies ?? []).map((p) => p.periodSeconds)) * 1000;
    const list = to > from ? this.upEvents : this.downEvents;
    const window = longest(to > from ? rules.scaleUp : rules.scaleDown);
    for (const e of list) if (e.atMs <= nowMs - window) e.outdated = true;
    const reuse = list.findIndex((e) => e.outdated);
    const event = { change: Math.abs(to - from), atMs: nowMs, outdated: false };
    if (reuse >= 0) list[reuse] = event;
    else list.push(event);
  }

  private changeInPeriod(events: ScaleEvent[], periodSeconds: number, nowMs: number): number {
    const cutoff = nowMs - periodSeconds * 1000;
    return events.reduce((n, e) => (e.atMs > cutoff && !e.outdated ? n + e.change : n), 0);
  }

  /** calculateScaleUpLimitWithScalingRules. */
  private scaleUpLimit(current: number, rules: Required<HPAScalingRules>, nowMs: number): number {
    if (rules.selectPolicy === 'Disabled') return current;
    const pick = rules.selectPolicy === 'Min' ? Math.min : Math.max;
    let result = rules.selectPolicy === 'Min' ? Infinity : -Infinity;
    for (const p of rules.policies) {
      const start = current - this.changeInPeriod(this.upEvents, p.periodSeconds, nowMs) + this.changeInPeriod(this.downEvents, p.periodSeconds, nowMs);
      result = pick(result, p.type === 'Pods' ? start + p.value : Math.ceil(start * (1 + p.value / 100)));
    }
    return result;
  }

  /** calculateScaleDownLimitWithBehaviors. */
  private scaleDownLimit(current: number, rules: Required<HPAScalingRules>, nowMs: number): number {
    if (rules.selectPolicy === 'Disabled') return current;
    const pick = rules.selectPolicy === 'Min' ? Math.max : Math.min;
    let result = rules.selectPolicy === 'Min' ? -Infinity : Infinity;
    for (const p of rules.policies) {
      const start = current - this.changeInPeriod(this.upEvents, p.periodSeconds, nowMs) + this.changeInPeriod(this.downEvents, p.periodSeconds, nowMs);
      result = pick(result, p.type === 'Pods' ? start - p.value : Math.trunc(start * (1 - p.value / 100)));
    }
    return result;
  }
}
