import type { Pod } from 'kubernetes-types/core/v1.js';
import { rfc3339 } from '../../api/server/time.js';
import type { ApiClient } from '../../client/api-client.js';
import type { HostContext } from '../../faults/index.js';
import type { PodWorker } from '../pod-worker.js';
import type { ProbeManager } from '../prober/manager.js';
import { podStatus } from './pod-status.js';

/** What the status manager keeps per pod. */
export interface StatusEntry {
  pod: Pod;
  worker: PodWorker;
  probes: ProbeManager;
  ip: string;
  startTime: string;
  pushing: boolean;
  dirty: boolean;
  lastPushed: string;
  /** The kubelet-owned conditions as last posted (compared with the API server's copy). */
  lastConditions?: string;
  deleteSent: boolean;
  /** Set when the eviction manager evicted the pod: its status message. */
  evicted?: string;
  /** The phase last computed (probe workers read it every period; computing status each time would cost too much). */
  phase: string;
}

/** The pod conditions the kubelet owns, as text (upstream status_manager compares these with the API server's). */
const KUBELET_CONDITIONS = new Set(['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady']);
export function ownedConditions(conditions: ReadonlyArray<{ type: string; status: string }> | undefined): string {
  return (conditions ?? []).filter((c) => KUBELET_CONDITIONS.has(c.type)).map((c) => `${c.type}=${c.status}`).join(',');
}

/**
 * The kubelet's status manager (pkg/kubelet/status/status_manager.go): a
 * pod's status is pushed when it changed, one write at a time, retried
 * after a second on failure; once every container of a deleted pod has
 * stopped, the pod is deleted for good.
 */
export class StatusManager {
  constructor(
    private readonly deps: {
      host: HostContext;
      client: ApiClient;
      /** The node's wall clock (the runtime's). */
      nowMs(): number;
      nodeIP: string;
      /** Whether the entry is still the kubelet's pod (not replaced or removed). */
      current(entry: StatusEntry): boolean;
    },
  ) {}

  changed(entry: StatusEntry): void {
    entry.dirty = true;
    if (!entry.pushing) this.deps.host.after(0, () => this.push(entry));
  }

  private push(entry: StatusEntry): void {
    const { host, client } = this.deps;
    if (!entry.dirty || entry.pushing || !this.deps.current(entry)) return;
    entry.dirty = false;
    const computed = podStatus(entry.worker, this.deps.nowMs(), entry.pod.status ?? {}, entry.probes?.view);
    if (entry.evicted !== undefined) {
      computed.phase = 'Failed';
      computed.conditions = [
        ...(computed.conditions ?? []),
        // k8s-rules.md: DisruptionTarget, reason TerminationByKubelet (observed)
        { type: 'DisruptionTarget', status: 'True', reason: 'TerminationByKubelet', message: entry.evicted, lastTransitionTime: rfc3339(this.deps.nowMs()) },
      ];
    }
    entry.phase = computed.phase ?? 'Pending';
    const status = {
      ...computed,
      ...(entry.evicted !== undefined && { reason: 'Evicted', message: entry.evicted }),
      hostIP: this.deps.nodeIP,
      hostIPs: [{ ip: this.deps.nodeIP }],
      podIP: entry.ip,
      podIPs: [{ ip: entry.ip }],
      startTime: entry.startTime,
    };
    const text = JSON.stringify(status);
    const meta = entry.pod.metadata ?? {};
    const finished = entry.worker.isTerminating && entry.worker.allStopped && entry.evicted === undefined;
    if (text === entry.lastPushed && !finished) return;
    entry.pushing = true;
    client.request({ verb: 'patch', patchType: 'merge', group: '', version: 'v1', resource: 'pods', namespace: meta.namespace, name: meta.name, subresource: 'status', body: { status } }, (error) => {
      entry.pushing = false;
      if (error === null) {
        entry.lastPushed = text;
        entry.lastConditions = ownedConditions(status.conditions);
      } else entry.dirty = true;
      if (error === null && finished && !entry.deleteSent) {
        // status_manager.go: once every container has stopped, delete the pod for good.
        entry.deleteSent = true;
        client.request({ verb: 'delete', group: '', version: 'v1', resource: 'pods', namespace: meta.namespace, name: meta.name, query: { gracePeriodSeconds: 0 }, ...(meta.uid !== undefined && { preconditions: { uid: meta.uid } }) }, (e) => {
          if (e !== null) entry.deleteSent = false;
        });
      }
      if (entry.dirty) host.after(error === null ? 0 : 1_000, () => this.push(entry));
    });
  }
}
