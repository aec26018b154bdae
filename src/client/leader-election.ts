import type { KubeObject } from '../api/registry/types.js';
import { DEFAULT_EPOCH_MS, parseRfc3339, rfc3339Micro } from '../api/server/time.js';
import type { HostContext } from '../faults/index.js';
import type { ApiClient } from './api-client.js';

/** kube-controller-manager and kube-scheduler defaults (--leader-elect-lease-duration 15s, renew-deadline 10s, retry-period 2s). */
export const LEASE_DURATION_MS = 15_000;
export const RENEW_DEADLINE_MS = 10_000;
export const RETRY_PERIOD_MS = 2_000;

export interface LeaderElectionOptions {
  /** The Lease in kube-system: kube-controller-manager, kube-scheduler. */
  name: string;
  /** This candidate: upstream uses `<hostname>_<uuid>`. */
  identity: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  epochMs?: number;
  onStartedLeading?(): void;
  onStoppedLeading?(): void;
  onNewLeader?(identity: string): void;
}

interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

/**
 * client-go tools/leaderelection with a LeaseLock: every retry period a
 * candidate reads the Lease; it may take it when nobody holds it or when
 * the holder's record has not changed for a lease duration *as measured
 * on this candidate's own clock* (it never trusts the other's timestamps);
 * the leader renews every retry period and stops leading as soon as it has
 * failed to renew for the renew deadline — before anyone else may take
 * over, so a partitioned leader steps down first.
 */
export class LeaderElector {
  private leading = false;
  private observed: { record: string; atMs: number; holder: string | undefined } | undefined;
  private lastRenewMs = -Infinity;
  private lease: KubeObject | undefined;
  private stopped = false;
  private readonly durationMs: number;
  private readonly deadlineMs: number;
  private readonly retryMs: number;
  private readonly epochMs: number;

  constructor(
    private readonly host: HostContext,
    private readonly client: ApiClient,
    private readonly options: LeaderElectionOptions,
  ) {
    this.durationMs = options.leaseDurationMs ?? LEASE_DURATION_MS;
    this.deadlineMs = options.renewDeadlineMs ?? RENEW_DEADLINE_MS;
    this.retryMs = options.retryPeriodMs ?? RETRY_PERIOD_MS;
    this.epochMs = options.epochMs ?? DEFAULT_EPOCH_MS;
    host.onCrash(() => {
      this.leading = false;
      this.observed = undefined;
      this.lease = undefined;
    });
    host.onRestart(() => this.start());
  }

  /** Whether this candidate may act now (it also checks the renew deadline, so a stale leader stops at once). */
  isLeader(): boolean {
    if (this.leading && this.host.clock.monotonic() - this.lastRenewMs > this.deadlineMs) this.stepDown();
    return this.leading;
  }

  start(): void {
    this.stopped = false;
    this.tick();
  }

  stop(): void {
    this.stopped = true;
    if (this.leading) this.stepDown();
  }

  private stepDown(): void {
    this.leading = false;
    this.host.log('leaderelection.lost', { lease: this.options.name, identity: this.options.identity });
    this.options.onStoppedLeading?.();
  }

  private tick(): void {
    if (this.stopped) return;
    this.tryAcquireOrRenew(() => this.host.after(this.retryMs, () => this.tick()));
  }

  private tryAcquireOrRenew(next: () => void): void {
    const me = this.options.identity;
    this.client.request({ verb: 'get', group: 'coordination.k8s.io', version: 'v1', resource: 'leases', namespace: 'kube-system', name: this.options.name }, (error, body) => {
      this.isLeader();
      const nowMs = this.host.clock.monotonic();
      const now = rfc3339Micro(this.epochMs + this.host.clock.now());
      if (error !== null && !('code' in error && error.code === 404)) return next();
      if (error !== null) {
        const spec: LeaseSpec = { holderIdentity: me, leaseDurationSeconds: this.durationMs / 1000, acquireTime: now, renewTime: now, leaseTransitions: 0 };
        const lease = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: this.options.name, namespace: 'kube-system' }, spec };
        return this.write('create', lease as KubeObject, spec, next);
      }
      this.lease = body;
      const spec = (body?.['spec'] ?? {}) as LeaseSpec;
      const record = JSON.stringify(spec);
      if (this.observed === undefined || this.observed.record !== record) {
        this.observed = { record, atMs: nowMs, holder: spec.holderIdentity };
        if (spec.holderIdentity !== undefined) this.options.onNewLeader?.(spec.holderIdentity);
      }
      const held = spec.holderIdentity !== undefined && spec.holderIdentity !== '' && spec.holderIdentity !== me;
      const durationMs = (spec.leaseDurationSeconds ?? this.durationMs / 1000) * 1000;
      // Another holder's lease is valid until a full duration after *we* saw it change.
      if (held && this.observed.atMs + durationMs > nowMs) return next();
      const mine = spec.holderIdentity === me;
      const renewed: LeaseSpec = {
        holderIdentity: me,
        leaseDurationSeconds: this.durationMs / 1000,
        acquireTime: mine && spec.acquireTime !== undefined ? spec.acquireTime : now,
        renewTime: now,
        leaseTransitions: (spec.leaseTransitions ?? 0) + (mine ? 0 : 1),
      };
      this.write('update', { ...body!, spec: renewed } as KubeObject, renewed, next);
    });
  }

  private write(verb: 'create' | 'update', lease: KubeObject, spec: LeaseSpec, next: () => void): void {
    const startedMs = this.host.clock.monotonic();
    this.client.request({ verb, group: 'coordination.k8s.io', version: 'v1', resource: 'leases', namespace: 'kube-system', ...(verb === 'update' && { name: this.options.name }), body: lease }, (error, body) => {
      if (error === null) {
        this.lease = body;
        this.observed = { record: JSON.stringify(spec), atMs: this.host.clock.monotonic(), holder: spec.holderIdentity };
        // The renewal counts from when it was sent: the deadline is measured conservatively.
        this.lastRenewMs = startedMs;
        if (!this.leading) {
          this.leading = true;
          this.host.log('leaderelection.acquired', { lease: this.options.name, identity: this.options.identity });
          this.options.onStartedLeading?.();
        }
      }
      this.isLeader();
      next();
    });
  }
}

/** When a Lease was last renewed, on the virtual wall clock (for tests and reports). */
export function leaseRenewMs(lease: KubeObject): number | undefined {
  const t = (lease['spec'] as LeaseSpec | undefined)?.renewTime;
  return t === undefined ? undefined : parseRfc3339(t);
}
