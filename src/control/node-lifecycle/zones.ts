import type { NodeCondition } from 'kubernetes-types/core/v1.js';

/** kube-controller-manager defaults (--node-eviction-rate, --secondary-node-eviction-rate, --unhealthy-zone-threshold, --large-cluster-size-threshold). */
export const EVICTION_LIMITER_QPS = 0.1;
export const SECONDARY_EVICTION_LIMITER_QPS = 0.01;
export const UNHEALTHY_ZONE_THRESHOLD = 0.55;
export const LARGE_CLUSTER_THRESHOLD = 50;

export type ZoneState = 'Initial' | 'Normal' | 'PartialDisruption' | 'FullDisruption';

export { zoneKey } from '../../api/kinds/zone.js';

/**
 * A zone's state from its nodes' Ready conditions (upstream
 * ComputeZoneState): no Ready node → FullDisruption; more than two not
 * ready making up at least 55 % → PartialDisruption; else Normal.
 */
export function computeZoneState(readyConditions: ReadonlyArray<NodeCondition | undefined>): ZoneState {
  let ready = 0;
  let notReady = 0;
  for (const c of readyConditions) if (c?.status === 'True') ready++;
  else notReady++;
  if (ready === 0 && notReady > 0) return 'FullDisruption';
  if (notReady > 2 && Math.fround(notReady) / Math.fround(notReady + ready) >= Math.fround(UNHEALTHY_ZONE_THRESHOLD)) return 'PartialDisruption';
  return 'Normal';
}

/** The tainting rate for a zone in a state (upstream setLimiterInZone with ReducedQPSFunc / HealthyQPSFunc). */
export function zoneEvictionQps(state: ZoneState, zoneSize: number): number {
  if (state === 'PartialDisruption') return zoneSize <= LARGE_CLUSTER_THRESHOLD ? 0 : SECONDARY_EVICTION_LIMITER_QPS;
  return EVICTION_LIMITER_QPS;
}

/**
 * A token bucket (client-go flowcontrol NewTokenBucketRateLimiter with burst
 * 1, as the node lifecycle controller builds it) on the controller's clock.
 */
export class TokenBucket {
  private tokens: number;
  private lastMs: number;

  constructor(
    private qps: number,
    nowMs: number,
    private readonly burst = 1,
  ) {
    this.tokens = burst;
    this.lastMs = nowMs;
  }

  private refill(nowMs: number): void {
    this.tokens = Math.min(this.burst, this.tokens + ((nowMs - this.lastMs) / 1000) * this.qps);
    this.lastMs = nowMs;
  }

  tryAccept(nowMs: number): boolean {
    if (this.qps <= 0) return false;
    this.refill(nowMs);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** ms until a token is there (Infinity when the rate is 0). */
  waitMs(nowMs: number): number {
    if (this.qps <= 0) return Infinity;
    this.refill(nowMs);
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) / this.qps) * 1000);
  }

  /**
   * upstream RateLimitedTimedQueue.SwapLimiter: a new bucket at the new rate,
   * full — or drained when the old one had no token; a zero rate never accepts.
   */
  swap(qps: number, nowMs: number): void {
    if (qps === this.qps) return;
    if (this.qps > 0) this.refill(nowMs);
    const hadToken = this.qps > 0 && this.tokens >= 1;
    this.qps = qps;
    this.lastMs = nowMs;
    this.tokens = qps <= 0 || !hadToken ? 0 : this.burst;
  }
}

/**
 * upstream scheduler.RateLimitedTimedQueue: node names in the order they
 * were added, each taken (and dropped when the action succeeds) only while
 * the zone's bucket gives tokens.
 */
export class RateLimitedQueue {
  private readonly items: string[] = [];

  constructor(readonly limiter: TokenBucket) {}

  add(name: string): boolean {
    if (this.items.includes(name)) return false;
    this.items.push(name);
    return true;
  }

  remove(name: string): void {
    const i = this.items.indexOf(name);
    if (i >= 0) this.items.splice(i, 1);
  }

  get size(): number {
    return this.items.length;
  }

  /** Process the head while tokens last; `fn` says whether the item is done (else it waits for the next try). */
  try(nowMs: number, fn: (name: string) => boolean): void {
    while (this.items.length > 0) {
      if (!this.limiter.tryAccept(nowMs)) return;
      const name = this.items[0]!;
      if (fn(name)) this.items.shift();
      else return;
    }
  }
}
