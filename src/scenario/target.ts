import type { KubeObject } from '../api/registry/types.js';
import type { FaultSpec } from '../faults/index.js';
import type { DrainOptions } from '../kubectl/drain.js';

/** What a backend can do; a scenario needing more is skipped with the reason. */
export interface Capabilities {
  /** Time is virtual: `advance` and long waits cost nothing, and a seed replays the run. */
  virtualTime: boolean;
  /** Network, host, disk and clock faults, and container kills. */
  faults: boolean;
  /** Images are behaviour models declared by the scenario. */
  imageTables: boolean;
  /** The cluster is built from the scenario's topology. */
  topology: boolean;
}

/**
 * The cluster a scenario runs against: the simulated one (virtual time,
 * faults, a trace hash) or a real one reached through kubectl.
 */
export interface ScenarioTarget {
  readonly backend: string;
  readonly capabilities: Capabilities;
  /** Milliseconds since the run began (virtual or wall). */
  readonly now: number;
  /** The trace hash (sim); empty where runs are not reproducible. */
  readonly traceHash: string;
  /** Called whenever the cluster may have changed; a message stops the run as an invariant violation. */
  monitor: (() => string | undefined) | undefined;
  /** Changes whenever the cluster's state may have (the store revision; each poll on a real cluster). */
  revision(): number;
  run(done: () => boolean, timeoutMs: number): boolean;
  advance(ms: number): void;
  after(ms: number, fn: () => void): void;
  apply(manifests: string | KubeObject | KubeObject[], source: string): unknown;
  delete(kind: string, name: string, namespace?: string, options?: { gracePeriodSeconds?: number; propagationPolicy?: 'Foreground' | 'Background' | 'Orphan' }): void;
  patch(kind: string, name: string, patch: unknown, options?: { namespace?: string; type?: 'strategic' | 'merge' | 'json' }): unknown;
  scale(kind: string, name: string, replicas: number, namespace?: string): void;
  setImage(kind: string, name: string, container: string, image: string, namespace?: string): void;
  rolloutUndo(name: string, options?: { toRevision?: number; namespace?: string }): string;
  cordon(node: string): void;
  uncordon(node: string): void;
  drain(node: string, options: DrainOptions): { error?: string };
  fault(spec: FaultSpec, name?: string): { heal(): void; readonly healed: boolean };
  killContainer(pod: string, options?: { container?: string; namespace?: string }): void;
  /** The object as it is now, without costing virtual time. */
  peek(kind: string, name: string, namespace?: string): KubeObject | undefined;
  /** Objects of a kind in a namespace (all namespaces when undefined). */
  peekList(kind: string, namespace?: string): KubeObject[];
  /** The plural resource a kind means (`Pod` → `pods`). */
  resourceName(kind: string): string;
  logs(pod: string, options: { container?: string; tail?: number; namespace?: string }): string;
  kubectl(line: string): { output: string; exitCode: number };
  /** Each node's memory as the eviction manager sees it (empty where unknown). */
  memory(): Array<{ node: string; availableBytes: number; thresholdBytes?: number }>;
  /** Release what the run created (a real cluster's namespace). */
  dispose?(): void;
}
