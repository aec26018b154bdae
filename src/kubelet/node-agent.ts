import type { Node, NodeCondition } from 'kubernetes-types/core/v1.js';
import { Informer } from '../client/informer.js';
import type { KubeObject } from '../api/registry/types.js';
import { rfc3339, rfc3339Micro } from '../api/server/time.js';
import type { ApiClient } from '../client/api-client.js';
import type { EventRecorder } from '../client/events.js';
import type { HostContext } from '../faults/index.js';
import type { PressureCondition, Threshold } from './eviction/thresholds.js';
import { HEALTHY_CONDITIONS, initialNode, startupEvents, type NodeConfig } from './node-status.js';

/** kubelet defaults: nodeStatusUpdateFrequency 10 s, nodeStatusReportFrequency 5 min, nodeLeaseDurationSeconds 40 renewed every 10 s (1/4). */
export const NODE_STATUS_UPDATE_MS = 10_000;
export const NODE_STATUS_REPORT_MS = 300_000;
export const LEASE_DURATION_SECONDS = 40;
export const LEASE_RENEW_MS = 10_000;

/** A pressure condition's texts while true, and the events of its transitions (upstream nodestatus/setters.go). */
const PRESSURE_TEXTS: Record<PressureCondition, { reason: string; message: string; event: string; clearEvent: string }> = {
  MemoryPressure: { reason: 'KubeletHasInsufficientMemory', message: 'kubelet has insufficient memory available', event: 'NodeHasInsufficientMemory', clearEvent: 'NodeHasSufficientMemory' },
  DiskPressure: { reason: 'KubeletHasDiskPressure', message: 'kubelet has disk pressure', event: 'NodeHasDiskPressure', clearEvent: 'NodeHasNoDiskPressure' },
  PIDPressure: { reason: 'KubeletHasInsufficientPID', message: 'kubelet has insufficient PID available', event: 'NodeHasInsufficientPID', clearEvent: 'NodeHasSufficientPID' },
};

/**
 * The node side of the kubelet (kubelet_node_status.go and
 * nodelease): register the Node (or adopt the one already there), record
 * the start-up events, renew the Lease in kube-node-lease every 10 s, and
 * post the node status when it changes or every 5 minutes.
 */
export class NodeAgent {
  registered = false;
  private lastReportMs = -Infinity;
  private lease: KubeObject | undefined;
  private node: KubeObject | undefined;
  private readonly pressure = new Set<PressureCondition>();
  /** This node as the API server has it (upstream kubelet's node informer, field selector metadata.name). */
  private readonly self: Informer;
  /** When each pressure condition last changed. */
  private readonly transitions = new Map<PressureCondition, number>();

  constructor(
    private readonly host: HostContext,
    private readonly client: ApiClient,
    private readonly recorder: EventRecorder,
    private readonly config: NodeConfig,
    private readonly epochMs: number,
    private readonly thresholds?: readonly Threshold[],
  ) {
    this.self = new Informer(host, client, { group: '', version: 'v1', resource: 'nodes', fieldSelector: `metadata.name=${config.name}` });
  }

  private now(): number {
    return this.epochMs + this.host.clock.now();
  }

  start(): void {
    this.register();
    this.self.start();
  }

  private register(): void {
    const node = initialNode(this.config, this.now(), this.thresholds);
    this.client.request({ verb: 'create', group: '', version: 'v1', resource: 'nodes', body: node }, (error, body) => {
      if (error !== null && !('code' in error && error.code === 409)) {
        this.host.after(7_000, () => this.register());
        return;
      }
      this.registered = true;
      this.node = (body ?? node) as KubeObject;
      for (const e of startupEvents(this.config.name)) this.recorder.event((body ?? node) as KubeObject, e.type, e.reason, e.message);
      this.recorder.event((body ?? node) as KubeObject, 'Normal', 'NodeReady', `Node ${this.config.name} status is now: NodeReady`);
      this.lastReportMs = this.host.clock.monotonic();
      this.renewLease();
      this.host.after(NODE_STATUS_UPDATE_MS, () => this.statusLoop());
    });
  }

  /**
   * Conditions are recomputed every 10 s and posted when they differ from
   * the Node the API server holds (the node controller may have marked them
   * Unknown) or the report interval passed (kubelet_node_status.go
   * tryUpdateNodeStatus, nodeStatusHasChanged).
   */
  private statusLoop(): void {
    const since = this.host.clock.monotonic() - this.lastReportMs;
    if (since >= NODE_STATUS_REPORT_MS || this.differsFromServer()) this.postStatus();
    this.host.after(NODE_STATUS_UPDATE_MS, () => this.statusLoop());
  }

  private serverConditions(): NodeCondition[] {
    return ((this.self.get(this.config.name) as Node | undefined)?.status?.conditions ?? []) as NodeCondition[];
  }

  private differsFromServer(): boolean {
    if (!this.self.hasSynced) return false;
    const server = this.serverConditions();
    return this.conditions('').some((c) => {
      const s = server.find((x) => x.type === c.type);
      return s === undefined || s.status !== c.status || s.reason !== c.reason || s.message !== c.message;
    });
  }

  /** The conditions as this kubelet sees them, with their heartbeat. */
  private conditions(now: string): NodeCondition[] {
    const server = this.self.hasSynced ? this.serverConditions() : [];
    return HEALTHY_CONDITIONS.map((c) => {
      const since = this.transitions.get(c.type as PressureCondition);
      const texts = PRESSURE_TEXTS[c.type as PressureCondition];
      const base = texts !== undefined && this.pressure.has(c.type as PressureCondition) ? { type: c.type, status: 'True', reason: texts.reason, message: texts.message } : c;
      const onServer = server.find((x) => x.type === c.type);
      // A status other than the server's is a transition now (setters.go: LastTransitionTime when the status changes).
      const transition = onServer !== undefined && onServer.status !== base.status ? now : since !== undefined ? rfc3339(since) : undefined;
      return { ...base, lastHeartbeatTime: now, ...(transition !== undefined && { lastTransitionTime: transition }) };
    });
  }

  /** An event on this node (the eviction manager's). */
  recordNode(type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.recorder.event(this.node ?? (initialNode(this.config, this.now()) as KubeObject), type, reason, message);
  }

  /**
   * A pressure condition from the eviction manager: the condition flips, the
   * event is recorded and the status is posted at once (setters.go
   * MemoryPressureCondition, DiskPressureCondition, PIDPressureCondition).
   */
  setPressure(condition: PressureCondition, pressure: boolean): void {
    if (pressure === this.pressure.has(condition)) return;
    if (pressure) this.pressure.add(condition);
    else this.pressure.delete(condition);
    this.transitions.set(condition, this.now());
    const reason = PRESSURE_TEXTS[condition][pressure ? 'event' : 'clearEvent'];
    this.recordNode('Normal', reason, `Node ${this.config.name} status is now: ${reason}`);
    this.postStatus();
  }

  private postStatus(): void {
    const conditions = this.conditions(rfc3339(this.now()));
    const body: Pick<Node, 'status'> = { status: { conditions } };
    this.client.request({ verb: 'patch', patchType: 'strategic', group: '', version: 'v1', resource: 'nodes', name: this.config.name, subresource: 'status', body }, (error) => {
      if (error === null) this.lastReportMs = this.host.clock.monotonic();
    });
  }

  /**
   * nodelease controller: create the Lease once, then Update the copy it
   * holds with a new renewTime (a conflict or a missing lease makes it read
   * or create it again).
   */
  private renewLease(): void {
    const next = () => this.host.after(LEASE_RENEW_MS, () => this.renewLease());
    const renewTime = rfc3339Micro(this.now());
    const held = this.lease;
    if (held === undefined) {
      const lease = {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name: this.config.name, namespace: 'kube-node-lease' },
        spec: { holderIdentity: this.config.name, leaseDurationSeconds: LEASE_DURATION_SECONDS, renewTime },
      };
      this.client.request({ verb: 'create', group: 'coordination.k8s.io', version: 'v1', resource: 'leases', namespace: 'kube-node-lease', body: lease }, (error, body) => {
        if (error === null) this.lease = body;
        else if ('code' in error && error.code === 409) this.readLease();
        next();
      });
      return;
    }
    const body = { ...held, spec: { ...(held['spec'] as object), renewTime } };
    this.client.request({ verb: 'update', group: 'coordination.k8s.io', version: 'v1', resource: 'leases', namespace: 'kube-node-lease', name: this.config.name, body }, (error, updated) => {
      if (error === null) this.lease = updated;
      else if ('code' in error && error.code === 409) this.readLease();
      else if ('code' in error && error.code === 404) this.lease = undefined;
      next();
    });
  }

  private readLease(): void {
    this.client.request({ verb: 'get', group: 'coordination.k8s.io', version: 'v1', resource: 'leases', namespace: 'kube-node-lease', name: this.config.name }, (error, body) => {
      if (error === null) this.lease = body;
    });
  }
}
