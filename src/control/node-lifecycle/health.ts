import { jsonEqual } from '../../api/json-clone.js';
import type { Node, NodeCondition } from 'kubernetes-types/core/v1.js';

/** kube-controller-manager defaults: --node-monitor-period 5s, --node-monitor-grace-period 50s (40s before v1.32), node startup grace 60s. */
export const NODE_MONITOR_PERIOD_MS = 5_000;
export const NODE_MONITOR_GRACE_MS = 50_000;
export const NODE_STARTUP_GRACE_MS = 60_000;

/** What the controller remembers of a node (upstream nodeHealthData), on its own clock. */
export interface NodeHealth {
  /** When it last saw the node's Ready heartbeat or its lease move. */
  probeMs: number;
  readyTransitionMs: number;
  ready: NodeCondition | undefined;
  leaseRenewTime: string | undefined;
}

export interface HealthObservation {
  health: NodeHealth;
  gracePeriodMs: number;
  /** The Ready condition as the node reported it, before this pass (a stand-in when it never did). */
  observedReady: NodeCondition;
  /** The Ready condition after this pass. */
  currentReady: NodeCondition | undefined;
  /** Conditions to write because the node went silent (status update), if any. */
  unknownConditions?: NodeCondition[];
}

/** The conditions the controller sets Unknown when the kubelet goes silent; NetworkUnavailable is the control plane's. */
const SILENT_CONDITIONS = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];

const ready = (node: Node): NodeCondition | undefined => node.status?.conditions?.find((c) => c.type === 'Ready');

/**
 * One node's health, as upstream node_lifecycle_controller.go
 * tryUpdateNodeHealth judges it: the probe time moves when the Ready
 * heartbeat changes or the Lease in kube-node-lease is renewed; past the
 * grace period (startup grace for a node that never reported) every
 * kubelet condition turns Unknown — "NodeStatusUnknown" / "Kubelet stopped
 * posting node status." — keeping its heartbeat, with a new transition time.
 */
export function observeNodeHealth(node: Node, saved: NodeHealth | undefined, leaseRenewTime: string | undefined, nowMs: number, nowText: string): HealthObservation {
  const current = ready(node);
  const created = node.metadata?.creationTimestamp;
  let gracePeriodMs = NODE_MONITOR_GRACE_MS;
  let observedReady: NodeCondition;
  let health = saved;
  if (current === undefined) {
    observedReady = { type: 'Ready', status: 'Unknown', ...(created !== undefined && { lastHeartbeatTime: created, lastTransitionTime: created }) };
    gracePeriodMs = NODE_STARTUP_GRACE_MS;
    // upstream uses the node's creation time as the first probe time; on one clock that is when the controller first saw it.
    health = health === undefined ? { probeMs: nowMs, readyTransitionMs: nowMs, ready: undefined, leaseRenewTime: undefined } : { ...health, ready: undefined };
  } else observedReady = { ...current };
  if (health === undefined || (health.ready === undefined && current !== undefined) || (health.ready !== undefined && current === undefined)) {
    health = { probeMs: nowMs, readyTransitionMs: nowMs, ready: current, leaseRenewTime: health?.leaseRenewTime };
  } else if (health.ready !== undefined && current !== undefined && health.ready.lastHeartbeatTime !== current.lastHeartbeatTime) {
    const transitioned = health.ready.lastTransitionTime !== current.lastTransitionTime;
    health = { probeMs: nowMs, readyTransitionMs: transitioned ? nowMs : health.readyTransitionMs, ready: current, leaseRenewTime: health.leaseRenewTime };
  }
  // Always update the probe time when the lease is renewed.
  if (leaseRenewTime !== undefined && (health.leaseRenewTime === undefined || health.leaseRenewTime < leaseRenewTime)) {
    health = { ...health, probeMs: nowMs, leaseRenewTime };
  }
  if (nowMs <= health.probeMs + gracePeriodMs) return { health, gracePeriodMs, observedReady, currentReady: current };
  const conditions = (node.status?.conditions ?? []).map((c) => ({ ...c }));
  for (const type of SILENT_CONDITIONS) {
    const c = conditions.find((x) => x.type === type);
    if (c === undefined) {
      conditions.push({ type, status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.', ...(created !== undefined && { lastHeartbeatTime: created }), lastTransitionTime: nowText });
    } else if (c.status !== 'Unknown') {
      Object.assign(c, { status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: nowText });
    }
  }
  const after = conditions.find((c) => c.type === 'Ready')!;
  if (jsonEqual(after, observedReady)) return { health, gracePeriodMs, observedReady, currentReady: current };
  return { health: { ...health, readyTransitionMs: nowMs }, gracePeriodMs, observedReady, currentReady: after, unknownConditions: conditions };
}
