import type { Node, Pod, Taint } from 'kubernetes-types/core/v1.js';
import { podResourceTotal } from '../api/kinds/pod-resources.js';
import { tryParseQuantity } from '../api/quantity.js';

/** upstream pkg/scheduler/util DefaultMilliCPURequest and DefaultMemoryRequest: what scoring counts for a container without requests. */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

/** Requests in the units the scheduler adds up: millicores, bytes, counts. */
export interface Resources {
  milliCPU: number;
  memory: number;
  ephemeralStorage: number;
  /** Extended and other scalar resources by name. */
  scalar: Map<string, number>;
}

export const emptyResources = (): Resources => ({ milliCPU: 0, memory: 0, ephemeralStorage: 0, scalar: new Map() });

const value = (q: string | undefined): number => tryParseQuantity(q)?.value ?? 0;

/** What the scheduler needs of a pod, computed once (upstream framework.PodInfo plus the fit plugin's preFilter state). */
export class PodInfo {
  readonly key: string;
  readonly requests: Resources;
  /** Requests with upstream's non-zero defaults, for scoring. */
  readonly nonZeroMilliCPU: number;
  readonly nonZeroMemory: number;
  readonly hostPorts: Array<{ port: number; protocol: string; hostIP: string }>;
  readonly labels: Record<string, string>;
  readonly namespace: string;
  /** The pod has pod affinity or anti-affinity terms. */
  readonly hasAffinity: boolean;

  /** The same pod bound to a node (the cache's assumed copy), without parsing it again. */
  onNode(nodeName: string): PodInfo {
    const copy = Object.create(PodInfo.prototype) as PodInfo;
    Object.assign(copy, this);
    (copy as { pod: Pod }).pod = { ...this.pod, spec: { ...this.pod.spec!, nodeName } };
    return copy;
  }

  constructor(readonly pod: Pod) {
    const m = pod.metadata ?? {};
    this.key = `${m.namespace ?? ''}/${m.name ?? ''}`;
    this.labels = m.labels ?? {};
    this.namespace = m.namespace ?? 'default';
    this.hasAffinity = pod.spec?.affinity?.podAffinity !== undefined || pod.spec?.affinity?.podAntiAffinity !== undefined;
    // upstream PodRequests: max(sum of containers (+ sidecars), any init container) plus overhead.
    const names = new Set<string>();
    for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]) for (const k of Object.keys(c.resources?.requests ?? {})) names.add(k);
    for (const k of Object.keys(pod.spec?.overhead ?? {})) names.add(k);
    const requests = emptyResources();
    for (const name of names) {
      const v = podResourceTotal(pod, 'requests', name);
      if (name === 'cpu') requests.milliCPU = Math.round(v * 1000);
      else if (name === 'memory') requests.memory = v;
      else if (name === 'ephemeral-storage') requests.ephemeralStorage = v;
      else if (name !== 'pods') requests.scalar.set(name, v);
    }
    this.requests = requests;
    let cpu = 0;
    let mem = 0;
    for (const c of pod.spec?.containers ?? []) {
      const r = c.resources?.requests ?? {};
      cpu += r['cpu'] === undefined ? DEFAULT_MILLI_CPU_REQUEST : Math.round(value(r['cpu']) * 1000);
      mem += r['memory'] === undefined ? DEFAULT_MEMORY_REQUEST : value(r['memory']);
    }
    this.nonZeroMilliCPU = cpu;
    this.nonZeroMemory = mem;
    this.hostPorts = (pod.spec?.containers ?? []).flatMap((c) => (c.ports ?? []).filter((p) => (p.hostPort ?? 0) > 0).map((p) => ({ port: p.hostPort!, protocol: p.protocol ?? 'TCP', hostIP: p.hostIP ?? '0.0.0.0' })));
  }
}

/**
 * A node with what is on it (upstream framework.NodeInfo): allocatable,
 * the pods assigned (or assumed), their summed requests and non-zero
 * requests, and the host ports in use. Kept incrementally.
 */
export class NodeInfo {
  readonly pods = new Map<string, PodInfo>();
  /** The pods here with pod affinity or anti-affinity terms (upstream PodsWithAffinity). */
  readonly affinityPods = new Set<PodInfo>();
  readonly requested = emptyResources();
  nonZeroMilliCPU = 0;
  nonZeroMemory = 0;
  readonly usedPorts = new Map<string, number>();
  allocatable = emptyResources();
  allowedPodNumber = 0;
  labels: Record<string, string> = {};
  taints: Taint[] = [];
  unschedulable = false;
  /** Bumped on every change (for caches keyed on the node's state). */
  generation = 0;

  constructor(
    readonly name: string,
    public node: Node | undefined,
  ) {
    if (node !== undefined) this.setNode(node);
  }

  setNode(node: Node): void {
    this.node = node;
    const a = node.status?.allocatable ?? {};
    const alloc = emptyResources();
    for (const [k, v] of Object.entries(a)) {
      if (k === 'cpu') alloc.milliCPU = Math.round(value(v) * 1000);
      else if (k === 'memory') alloc.memory = value(v);
      else if (k === 'ephemeral-storage') alloc.ephemeralStorage = value(v);
      else if (k !== 'pods') alloc.scalar.set(k, value(v));
    }
    this.allocatable = alloc;
    this.allowedPodNumber = value(a['pods'] ?? '0');
    this.labels = node.metadata?.labels ?? {};
    this.taints = node.spec?.taints ?? [];
    this.unschedulable = node.spec?.unschedulable === true;
    this.generation++;
  }

  addPod(p: PodInfo): void {
    if (this.pods.has(p.key)) this.removePod(p.key);
    this.pods.set(p.key, p);
    if (p.hasAffinity) this.affinityPods.add(p);
    this.apply(p, 1);
  }

  removePod(key: string): void {
    const p = this.pods.get(key);
    if (p === undefined) return;
    this.pods.delete(key);
    this.affinityPods.delete(p);
    this.apply(p, -1);
  }

  private apply(p: PodInfo, sign: 1 | -1): void {
    this.requested.milliCPU += sign * p.requests.milliCPU;
    this.requested.memory += sign * p.requests.memory;
    this.requested.ephemeralStorage += sign * p.requests.ephemeralStorage;
    for (const [k, v] of p.requests.scalar) this.requested.scalar.set(k, (this.requested.scalar.get(k) ?? 0) + sign * v);
    this.nonZeroMilliCPU += sign * p.nonZeroMilliCPU;
    this.nonZeroMemory += sign * p.nonZeroMemory;
    for (const hp of p.hostPorts) {
      const k = `${hp.hostIP}/${hp.protocol}/${hp.port}`;
      const n = (this.usedPorts.get(k) ?? 0) + sign;
      if (n <= 0) this.usedPorts.delete(k);
      else this.usedPorts.set(k, n);
    }
    this.generation++;
  }
}
