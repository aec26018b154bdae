import type { Pod } from 'kubernetes-types/core/v1.js';
import { tryParseQuantity } from '../api/quantity.js';
import type { KubeObject } from '../api/registry/types.js';
import { DEFAULT_EPOCH_MS, rfc3339 } from '../api/server/time.js';
import type { ApiClient } from '../client/api-client.js';
import { EventRecorder } from '../client/events.js';
import { Informer } from '../client/informer.js';
import type { HostContext } from '../faults/index.js';
import type { ImageCatalog } from '../workloads/catalog.js';
import { CrashLoopBackOff } from './backoff.js';
import { ImageManager, type ImageManagerOptions } from './images/manager.js';
import { admitPod, type Rejection } from './admission.js';
import { pullCredentials } from './images/pull-secrets.js';
import { containerEnv } from './env.js';
import { initialNode } from './node-status.js';
import { setUpVolumes, type VolumeSources } from './volumes/setup.js';
import { PersistentStorage } from './volumes/persistent-storage.js';
import { hasLocalStorageLimits, localStorageViolation } from './eviction/local-storage.js';
import { EvictionManager, type EvictionCandidate } from './eviction/manager.js';
import { NodeSignals } from './eviction/node-signals.js';
import { podUsage } from './eviction/pod-stats.js';
import { parseEvictionConfig, type EvictionConfig } from './eviction/thresholds.js';
import { podQOSClass } from '../api/kinds/qos.js';
import { tolerationsTolerateTaint } from '../api/kinds/taints.js';
import { NodeAgent } from './node-agent.js';
import { ObjectCache } from './object-cache.js';
import type { NodeConfig } from './node-status.js';
import { PodIPs } from './pod-ips.js';
import { PodWorker } from './pod-worker.js';
import { ProbeManager } from './prober/manager.js';
import { CpuUsage } from './resources/cpu-usage.js';
import { listenKubeletApi } from './server/listener.js';
import { cpuSlowdown, shareCpu as shareCpuAmong } from './resources/cpu.js';
import type { RuntimeHost } from './runtime/container.js';
import { ownedConditions, StatusManager, type StatusEntry } from './status/status-manager.js';

/** How often the kubelet divides the node's CPU among containers (cAdvisor housekeeping). */
const CPU_ACCOUNTING_MS = 10_000;

export interface KubeletOptions {
  node: NodeConfig;
  catalog: ImageCatalog;
  images?: ImageManagerOptions;
  /** Virtual time 0 as a wall-clock instant (timestamps). */
  epochMs?: number;
  /** The storage behind PersistentVolumes, shared by the cluster's kubelets (one of its own when absent). */
  storage?: PersistentStorage;
  /** --eviction-hard, --eviction-soft and friends; the kubelet's defaults when absent. */
  eviction?: EvictionConfig;
}

/** The pod priority from which a pod is critical and admitted under pressure (upstream SystemCriticalPriority). */
const SYSTEM_CRITICAL_PRIORITY = 2_000_000_000;

interface PodEntry extends StatusEntry {
  /** How much slower each container runs for lack of CPU (by container name; from the last CPU pass). */
  cpuSlowdown: Map<string, number>;
  /** Whether any local-storage limit applies (computed once: most pods have none). */
  localStorageLimited: boolean;
}

/**
 * A node's kubelet: registers its Node and keeps its status and lease
 * fresh (NodeAgent), watches the pods bound to it, runs each through a pod
 * worker and a prober manager, reports their status and events through the
 * API server, deletes them once gracefully stopped, and serves their logs
 * on port 10250. Cut off from the API server it keeps its containers
 * running and catches up when the partition heals.
 */
export class Kubelet {
  readonly pods = new Map<string, PodEntry>();
  private readonly rejected = new Set<string>();
  /** CPU accounts now charged at a non-zero rate. */
  private readonly usingCpu = new Set<CpuUsage>();
  /** The node's CPU time (node_cpu_usage_seconds_total). */
  private readonly nodeCpu = new CpuUsage(0);
  private readonly cpuCapacityMillicores: number;
  readonly images: ImageManager;
  readonly recorder: EventRecorder;
  readonly nodeAgent: NodeAgent;
  readonly eviction: EvictionManager;
  private readonly crashBackOff = new CrashLoopBackOff();
  private readonly informer: Informer;
  private readonly ips: PodIPs;
  private readonly runtimeHost: RuntimeHost;
  private readonly statuses: StatusManager;
  private readonly epochMs: number;
  private readonly configMaps: ObjectCache;
  private readonly secrets: ObjectCache;
  private readonly claims: ObjectCache;
  private readonly signals: NodeSignals;
  private readonly persistentVolumes: ObjectCache;
  private readonly sources: VolumeSources;
  private readonly evictionConfig: ReturnType<typeof parseEvictionConfig>;

  constructor(
    readonly host: HostContext,
    private readonly client: ApiClient,
    private readonly options: KubeletOptions,
  ) {
    this.epochMs = options.epochMs ?? DEFAULT_EPOCH_MS;
    this.evictionConfig = parseEvictionConfig(options.eviction);
    this.images = new ImageManager(options.catalog, options.images, (bytes) => this.signals.diskWriteError(bytes));
    this.signals = new NodeSignals(host, options.node, this.images, () => this.pods.values(), () => this.activeEntries());
    this.recorder = new EventRecorder(host, client, { component: 'kubelet', host: options.node.name }, { epochMs: this.epochMs });
    this.ips = new PodIPs(options.node.podCIDR);
    this.cpuCapacityMillicores = (tryParseQuantity(initialNode(options.node, 0, this.evictionConfig.thresholds).status?.allocatable?.['cpu'])?.value ?? 0) * 1000;
    this.configMaps = new ObjectCache(host, client, 'configmaps');
    this.secrets = new ObjectCache(host, client, 'secrets');
    this.claims = new ObjectCache(host, client, 'persistentvolumeclaims');
    this.persistentVolumes = new ObjectCache(host, client, 'persistentvolumes');
    const storage = options.storage ?? new PersistentStorage();
    this.sources = {
      configMap: (ns, name) => this.configMaps.get(ns, name),
      secret: (ns, name) => this.secrets.get(ns, name),
      claim: (ns, name) => this.claims.object(ns, name),
      persistentVolume: (name) => this.persistentVolumes.object('', name),
      storage: (pv) => storage.volume(pv),
      directoryError: () => this.signals.diskWriteError(0),
    };
    let ids = 0;
    const idRng = host.rng('kubelet/container-ids');
    this.runtimeHost = {
      now: () => this.epochMs + host.clock.now(),
      monotonic: () => host.clock.monotonic(),
      after: (ms, fn) => host.after(ms, fn),
      newId: () => `${(++ids).toString(16).padStart(8, '0')}${Array.from({ length: 7 }, () => Math.floor(idRng.next() * 2 ** 32).toString(16).padStart(8, '0')).join('')}`,
    };
    this.statuses = new StatusManager({ host, client, nowMs: () => this.runtimeHost.now(), nodeIP: options.node.internalIP, current: (e) => this.pods.get(e.pod.metadata?.uid ?? '') === e });
    this.nodeAgent = new NodeAgent(host, client, this.recorder, options.node, this.epochMs, this.evictionConfig.thresholds);
    this.eviction = new EvictionManager({
      after: (ms, fn) => host.after(ms, fn),
      monotonic: () => host.clock.monotonic(),
      config: this.evictionConfig,
      observe: (signal) => this.signals.observe(signal),
      pods: () => this.activeEntries().map((e) => this.candidate(e)),
      localStorage: () => this.localStorageViolations(),
      reclaimDisk: () => this.signals.reclaimImages(),
      conditionChanged: (condition, pressure) => this.nodeAgent.setPressure(condition, pressure),
      recordNode: (type, reason, message) => this.nodeAgent.recordNode(type, reason, message),
    });
    this.informer = new Informer(host, client, { group: '', version: 'v1', resource: 'pods', fieldSelector: `spec.nodeName=${options.node.name}` });
    this.informer.addEventHandler({
      onAdd: (o) => this.podChanged(o as Pod),
      onUpdate: (_, o) => this.podChanged(o as Pod),
      onDelete: (o) => this.podRemoved(o as Pod),
    });
    host.onCrash(() => this.crashed());
    host.onRestart(() => this.start());
  }

  start(): void {
    this.nodeAgent.start();
    this.informer.start();
    this.eviction.start();
    this.host.after(CPU_ACCOUNTING_MS, () => this.shareCpu());
    listenKubeletApi({
      host: this.host,
      pods: () => this.pods.values(),
      podCount: () => this.pods.size,
      byUid: (uid) => this.pods.get(uid),
      nowMs: () => this.runtimeHost.now(),
      nodeCpuCoreNanoSeconds: () => this.nodeCpu.usageCoreNanoSeconds(this.host.clock.monotonic()),
      eviction: this.evictionConfig,
    });
  }

  /**
   * The node's memory as the eviction manager sees it: capacity, what is
   * available, and the hard memory.available threshold (for timelines).
   */
  memoryView(): { capacityBytes: number; availableBytes: number; thresholdBytes: number | undefined } {
    const o = this.signals.observe('memory.available');
    const t = this.evictionConfig.thresholds.find((x) => x.signal === 'memory.available' && x.hard);
    const capacity = o?.capacity ?? 0;
    const threshold = t === undefined ? undefined : (t.quantity ?? (t.fraction ?? 0) * capacity);
    return { capacityBytes: capacity, availableBytes: o?.available ?? 0, thresholdBytes: threshold };
  }

  /**
   * Kill a running container with SIGKILL, as `crictl stop -t 0` or the
   * kernel would (exit 137); the pod worker then restarts it by the pod's
   * restartPolicy. Returns false when no such running container is here.
   */
  killContainer(namespace: string, pod: string, container?: string): boolean {
    const entry = [...this.pods.values()].find((e) => e.pod.metadata?.namespace === namespace && e.pod.metadata?.name === pod);
    const slot = entry?.worker.slots.find((s) => container === undefined || s.spec.name === container);
    if (slot?.current?.running !== true) return false;
    slot.current.stop(0);
    return true;
  }

  /** A node crash kills every container; the pods are found again from the API server on restart. */
  private crashed(): void {
    for (const e of this.pods.values()) e.probes.stop();
    this.pods.clear();
    this.configMaps.clear();
    this.secrets.clear();
    this.claims.clear();
    this.persistentVolumes.clear();
    this.ips.clear();
  }

  /** Pods the eviction manager may pick: not already stopping or finished. */
  private activeEntries(): PodEntry[] {
    return [...this.pods.values()].filter((e) => e.evicted === undefined && !e.worker.isTerminating && e.phase !== 'Succeeded' && e.phase !== 'Failed');
  }

  /** A pod as the eviction manager sees it: priority, requests and use now. */
  private candidate(entry: PodEntry): EvictionCandidate {
    const m = entry.pod.metadata ?? {};
    return {
      name: m.name ?? '',
      namespace: m.namespace ?? '',
      priority: entry.pod.spec?.priority ?? 0,
      ...(entry.pod.spec?.terminationGracePeriodSeconds !== undefined && { terminationGracePeriodSeconds: entry.pod.spec.terminationGracePeriodSeconds }),
      usage: (resource) => podUsage(entry.pod, entry.worker, resource),
      evict: (message, grace) => this.evict(entry, message, grace),
    };
  }

  private localStorageViolations(): Array<{ pod: EvictionCandidate; message: string }> {
    return this.activeEntries().flatMap((e) => {
      if (!e.localStorageLimited) return [];
      const message = localStorageViolation(e.pod, e.worker);
      return message === undefined ? [] : [{ pod: this.candidate(e), message }];
    });
  }

  /** eviction_manager.go evictPod: stopped with the given grace (none for a hard threshold); the pod ends Failed, reason Evicted. */
  private evict(entry: PodEntry, message: string, gracePeriodSeconds: number): void {
    entry.evicted = message;
    this.recorder.event(entry.pod as KubeObject, 'Warning', 'Evicted', message);
    entry.probes.stop();
    entry.worker.terminate(gracePeriodSeconds * 1000);
    this.statuses.changed(entry);
  }

  private podChanged(pod: Pod): void {
    const uid = pod.metadata?.uid ?? '';
    let entry = this.pods.get(uid);
    if (entry === undefined) {
      const phase = pod.status?.phase;
      if (phase === 'Succeeded' || phase === 'Failed' || this.rejected.has(uid)) return;
      const admitted = [...this.pods.values()].filter((e) => e.phase !== 'Succeeded' && e.phase !== 'Failed').map((e) => e.pod);
      const node = initialNode(this.options.node, 0, this.evictionConfig.thresholds);
      const pressure = this.underPressure(pod);
      if (pressure !== undefined) return this.reject(pod, { reason: 'Evicted', message: pressure });
      const rejection = admitPod(pod, admitted, { allocatable: node.status?.allocatable ?? {}, labels: node.metadata?.labels ?? {} });
      if (rejection !== undefined) return this.reject(pod, rejection);
      entry = this.addPod(pod);
    }
    entry.pod = pod;
    entry.worker.update(pod);
    // status_manager needsUpdate: someone else changed what the kubelet owns (the node lifecycle
    // controller marking Ready=False while the node was unreachable): post ours again.
    if (entry.lastPushed !== '' && !entry.pushing && ownedConditions(pod.status?.conditions) !== entry.lastConditions) {
      entry.lastPushed = '';
      this.statuses.changed(entry);
    }
    if (pod.metadata?.deletionTimestamp !== undefined && !entry.worker.isTerminating) {
      const grace = pod.metadata.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
      entry.probes.stop();
      entry.worker.terminate(grace * 1000);
      this.statuses.changed(entry);
    }
  }

  /**
   * Every 10 s, divide the node's CPU among the running containers as the
   * CFS scheduler would (requests as shares, limits as quotas); a container
   * granted less than it wants runs, and answers, that much slower.
   */
  private shareCpu(): void {
    const now = this.host.clock.monotonic();
    for (const e of this.pods.values()) e.cpuSlowdown.clear();
    for (const usage of this.usingCpu) usage.setRate(0, now);
    this.nodeCpu.setRate(0, now);
    this.usingCpu.clear();
    // Containers that want no CPU neither slow down nor take a share (water-filling leaves them out).
    const running: Array<{ e: PodEntry; s: PodWorker['slots'][number] }> = [];
    for (const e of this.pods.values()) for (const s of e.worker.slots) if ((s.current?.main?.cpuMillicores() ?? 0) > 0) running.push({ e, s });
    if (running.length === 0) return void this.host.after(CPU_ACCOUNTING_MS, () => this.shareCpu());
    const claims = running.map(({ s }) => ({
      demand: s.current!.main!.cpuMillicores(),
      request: (tryParseQuantity(s.spec.resources?.requests?.['cpu'] ?? s.spec.resources?.limits?.['cpu'])?.value ?? 0) * 1000,
      ...(s.spec.resources?.limits?.['cpu'] !== undefined && { limit: (tryParseQuantity(s.spec.resources.limits['cpu'])?.value ?? 0) * 1000 }),
    }));
    const granted = shareCpuAmong(claims, this.cpuCapacityMillicores);
    this.nodeCpu.setRate(running.reduce((n, _, i) => n + Math.min(claims[i]!.demand, granted[i]!), 0), now);
    running.forEach(({ e, s }, i) => {
      const demand = claims[i]!.demand;
      const usage = s.current!.cpu;
      usage.setRate(Math.min(demand, granted[i]!), now);
      this.usingCpu.add(usage);
      if (demand > 0 && granted[i]! > 0) e.cpuSlowdown.set(s.spec.name, Math.max(1, demand / granted[i]!));
    });
    this.host.after(CPU_ACCOUNTING_MS, () => this.shareCpu());
  }

  /**
   * The eviction manager's admission (upstream eviction_manager.go Admit):
   * critical pods always; with MemoryPressure alone, all but BestEffort pods
   * that do not tolerate the memory-pressure taint; nothing under other pressure.
   */
  private underPressure(pod: Pod): string | undefined {
    if ((pod.spec?.priority ?? 0) >= SYSTEM_CRITICAL_PRIORITY) return undefined;
    const tolerates = tolerationsTolerateTaint(pod.spec?.tolerations, { key: 'node.kubernetes.io/memory-pressure', effect: 'NoSchedule' });
    return this.eviction.admit(podQOSClass(pod.spec ?? { containers: [] }), tolerates);
  }

  /** A pod the node cannot run ends Failed at once (kubelet.go rejectPod). */
  private reject(pod: Pod, r: Rejection): void {
    const meta = pod.metadata ?? {};
    this.rejected.add(meta.uid ?? '');
    this.recorder.event(pod as KubeObject, 'Warning', r.reason, r.message);
    const status = { phase: 'Failed', reason: r.reason, message: `Pod was rejected: ${r.message}` };
    this.client.request({ verb: 'patch', patchType: 'merge', group: '', version: 'v1', resource: 'pods', namespace: meta.namespace, name: meta.name, subresource: 'status', body: { status } }, () => {});
  }

  private podRemoved(pod: Pod): void {
    const entry = this.pods.get(pod.metadata?.uid ?? '');
    if (entry === undefined) return;
    entry.probes.stop();
    if (!entry.worker.isTerminating) entry.worker.terminate((pod.spec?.terminationGracePeriodSeconds ?? 30) * 1000);
    this.pods.delete(pod.metadata?.uid ?? '');
    this.ips.release(entry.ip);
  }

  private addPod(pod: Pod): PodEntry {
    const ip = pod.spec?.hostNetwork === true ? this.options.node.internalIP : this.ips.allocate();
    const record = (type: 'Normal' | 'Warning', reason: string, message: string, fieldPath?: string) => this.recorder.event((this.pods.get(pod.metadata?.uid ?? '')?.pod ?? pod) as KubeObject, type, reason, message, fieldPath);
    const entry = { pod, ip, startTime: rfc3339(this.runtimeHost.now()), pushing: false, dirty: false, lastPushed: '', deleteSent: false, phase: 'Pending', cpuSlowdown: new Map(), localStorageLimited: hasLocalStorageLimits(pod) } as PodEntry;
    entry.worker = new PodWorker(pod, { host: this.runtimeHost, images: this.images, crashBackOff: this.crashBackOff, random: () => this.host.rng('kubelet/sync').next(), record,
      changed: () => this.statuses.changed(entry),
      env: (container) => containerEnv(entry.pod, container, this.sources, ip, this.options.node.internalIP),
      pullCredentials: () => pullCredentials(entry.pod, this.sources),
      volumes: (existing) => setUpVolumes(entry.pod, this.sources, existing, ip, this.options.node.internalIP),
    });
    this.pods.set(pod.metadata?.uid ?? '', entry);
    entry.probes = new ProbeManager(pod, entry.worker, {
      host: this.runtimeHost,
      podIP: () => ip,
      podPhase: () => entry.phase,
      podDeleting: () => entry.worker.isTerminating,
      record,
      changed: () => this.statuses.changed(entry),
      slowdown: (slot) => entry.cpuSlowdown.get(slot.spec.name) ?? cpuSlowdown(slot.spec, slot.current?.main?.cpuMillicores() ?? 0),
    });
    // Read the pull secrets now, so they are at hand when the first pull ends.
    pullCredentials(pod, this.sources);
    entry.worker.sync();
    this.statuses.changed(entry);
    return entry;
  }
}
