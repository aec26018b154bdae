/** What running one scenario produced: the report's model for it. */
export type Status = 'passed' | 'failed' | 'skipped' | 'error';

export interface StepResult {
  name: string;
  /** The action (`wait`, `fault`, …) and a one-line summary of it. */
  action: string;
  summary: string;
  status: Status;
  /** Virtual time at the start and end of the step, ms. */
  startMs: number;
  endMs: number;
  error?: string;
  /** Steps inside a try/catch/finally group or a template. */
  children?: StepResult[];
}

export interface InvariantResult {
  name: string;
  status: 'held' | 'violated' | 'unchecked';
  /** How many times it was evaluated (each time the cluster state changed within its window). */
  checks: number;
  violation?: { atMs: number; message: string };
}

export interface View {
  /** The step that captured it (or `evidence`). */
  step: string;
  command: string;
  output: string;
  atMs: number;
}

/** Samples over virtual time for the report's charts. */
export interface Timeline {
  /** Virtual ms of each sample. */
  t: number[];
  /** Named series aligned with `t` (`pods ready`, `rs web-7cff5b6564 replicas`, `node-1 memory available MiB`). */
  series: Array<{ name: string; group: 'pods' | 'replicasets' | 'memory'; values: Array<number | null> }>;
  /** Fault windows to shade. */
  faults: Array<{ name: string; description: string; fromMs: number; toMs: number | null }>;
  /** Eviction thresholds drawn against node memory (MiB per node). */
  thresholds: Array<{ node: string; mib: number }>;
}

export interface ScenarioResult {
  name: string;
  file: string;
  area: string;
  tags: string[];
  description?: string;
  conformance?: { rule?: string; source?: string; test?: string };
  params: Record<string, unknown>;
  backend: string;
  seed: string;
  status: Status;
  /** Why it was skipped or could not run. */
  reason?: string;
  traceHash: string;
  virtualMs: number;
  wallMs: number;
  steps: StepResult[];
  invariants: InvariantResult[];
  views: View[];
  /** On failure: the objects involved, their events and logs. */
  evidence: Array<{ title: string; text: string }>;
  timeline: Timeline;
  replay: string;
}
