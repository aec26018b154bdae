import type { Pod } from 'kubernetes-types/core/v1.js';
import { DEFAULT_EPOCH_MS } from '../api/server/time.js';
import { Simulation } from '../sim/kernel.js';
import { ImageCatalog } from '../workloads/catalog.js';
import { CrashLoopBackOff } from './backoff.js';
import { ImageManager } from './images/manager.js';
import { PodWorker } from './pod-worker.js';
import { containerEnv, type EnvSources } from './env.js';
import { ProbeManager } from './prober/manager.js';
import { setUpVolumes } from './volumes/setup.js';
import { cpuSlowdown } from './resources/cpu.js';
import { podStatus } from './status/pod-status.js';

export interface RecordedEvent {
  atMs: number;
  type: string;
  reason: string;
  message: string;
  fieldPath?: string;
}

/** A pod worker on a bare simulation, with its events and status at hand (for kubelet tests). */
export function podOnNode(pod: Pod, options: { catalog?: ImageCatalog; seed?: string; configMaps?: Record<string, Record<string, string>>; secrets?: Record<string, Record<string, string>> } = {}) {
  const sources: EnvSources = {
    configMap: (_ns, name) => options.configMaps?.[name] ?? 'missing',
    secret: (_ns, name) => options.secrets?.[name] ?? 'missing',
  };
  const sim = new Simulation({ seed: options.seed ?? 'kubelet' });
  const rng = sim.random.stream('kubelet');
  const events: RecordedEvent[] = [];
  let ids = 0;
  const images = new ImageManager(options.catalog ?? new ImageCatalog());
  const worker = new PodWorker(pod, {
    host: {
      now: () => DEFAULT_EPOCH_MS + sim.now,
      monotonic: () => sim.now,
      after: (ms, fn) => sim.schedule(ms, fn),
      newId: () => (++ids).toString(16).padStart(64, '0'),
    },
    images,
    crashBackOff: new CrashLoopBackOff(),
    random: () => rng.next(),
    record: (type, reason, message, fieldPath) => events.push({ atMs: sim.now, type, reason, message, ...(fieldPath !== undefined && { fieldPath }) }),
    changed: () => {},
    env: (container) => containerEnv(pod, container, sources, '10.244.1.5', '172.18.0.2'),
    volumes: (existing) => setUpVolumes(pod, sources, existing, '10.244.1.5', '172.18.0.2'),
  });
  const host = { after: (ms: number, fn: () => void) => sim.schedule(ms, fn), monotonic: () => sim.now };
  // Declared before the probe manager, whose first ticks read the status.
  let probes: ProbeManager | undefined;
  const status = (): ReturnType<typeof podStatus> => podStatus(worker, DEFAULT_EPOCH_MS + sim.now, pod.status ?? {}, probes?.view);
  probes = new ProbeManager(pod, worker, {
    host,
    podIP: () => '10.244.1.5',
    podPhase: (): string => status().phase ?? 'Pending',
    podDeleting: () => worker.isTerminating,
    record: (type, reason, message, fieldPath) => events.push({ atMs: sim.now, type, reason, message, ...(fieldPath !== undefined && { fieldPath }) }),
    changed: () => {},
    slowdown: (slot) => cpuSlowdown(slot.spec, slot.current?.main?.cpuMillicores() ?? 0),
  });
  worker.sync();
  return { sim, worker, events, images, status, probes, withStatus: (): Pod => ({ ...pod, status: { ...pod.status, ...status() } }) };
}

/** A pod as the API server would hand it to the kubelet (defaults applied). */
export function testPod(spec: Partial<Pod['spec']> & { containers: NonNullable<Pod['spec']>['containers'] }, name = 'web'): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `uid-${name}` },
    spec: { restartPolicy: 'Always', terminationGracePeriodSeconds: 30, ...spec },
    status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'True' }] },
  };
}

/** A busybox container running a script (the shape most kubelet tests use). */
export function busyboxContainer(name: string, script: string) {
  return { name, image: 'busybox:1.36', imagePullPolicy: 'IfNotPresent' as const, command: ['sh', '-c', script] };
}
