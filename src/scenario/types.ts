import type { KubeObject } from '../api/registry/types.js';
import type { Topology } from '../cluster/topology.js';
import type { ImageBehaviour } from '../workloads/behaviour.js';

/** A reference to one object. */
export interface ObjectRef {
  kind: string;
  name: string;
  namespace?: string;
}

/** A set of objects: a kind, optionally one namespace and a label selector. */
export interface ListRef {
  kind: string;
  namespace?: string;
  selector?: string;
}

/** What a wait or an expect checks: one object or a list, against a condition, a partial object, or a JMESPath expression. */
export interface Check {
  resource?: ObjectRef;
  list?: ListRef;
  /** A status condition that must have this status (default True). */
  condition?: { type: string; status?: string };
  /** A partial object (lists matched without regard to order); with `list`, at least one item must match. */
  match?: unknown;
  /** A JMESPath expression over the object (or the list), true when it holds. */
  expression?: string;
  /** With `list`: how many items there must be. */
  count?: number;
  /** The object must not exist. */
  absent?: boolean;
}

export interface Wait extends Check {
  /** Virtual time to wait at most (`30s`, `2m`). */
  timeout: string;
}

export interface FaultStep {
  /** A name for `heal`. */
  name?: string;
  kind: string;
  /** Heal by itself after this long. */
  for?: string;
  [field: string]: unknown;
}

export type Step = { name?: string } & (
  | { apply: { file?: string; manifest?: KubeObject; manifests?: KubeObject[] } }
  | { delete: ObjectRef & { gracePeriodSeconds?: number; cascade?: 'background' | 'foreground' | 'orphan' } }
  | { patch: ObjectRef & { type?: 'strategic' | 'merge' | 'json'; patch: unknown } }
  | { scale: ObjectRef & { replicas: number } }
  | { setImage: ObjectRef & { container: string; image: string } }
  | { rolloutUndo: { name: string; namespace?: string; toRevision?: number } }
  | { cordon: string }
  | { uncordon: string }
  | { drain: { node: string; ignoreDaemonSets?: boolean; deleteEmptyDirData?: boolean; force?: boolean; timeout?: string } }
  | { wait: Wait }
  | { expect: Check }
  | { advance: string }
  | { fault: FaultStep }
  | { heal: string }
  | { kubectl: string }
  | { try: Step[]; catch?: Step[]; finally?: Step[] }
  | { use: string; with?: Record<string, unknown> }
);

export interface Invariant {
  name: string;
  resource?: ObjectRef;
  list?: ListRef;
  expression?: string;
  match?: unknown;
  count?: number;
  /** Only between these steps (by name): from the start of `from` to the end of `to`. */
  during?: { from?: string; to?: string };
}

export interface ScenarioDocument {
  apiVersion: 'crucible.dev/v1alpha1';
  kind: 'Scenario';
  metadata: {
    name: string;
    /** The first tag is the scenario's area in the conformance matrix. */
    tags?: string[];
    description?: string;
    conformance?: { rule?: string; source?: string; test?: string };
  };
  spec: {
    seed?: string | number;
    cluster?: Omit<Topology, 'seed' | 'images' | 'permissiveImages'>;
    images?: Record<string, ImageBehaviour>;
    permissiveImages?: boolean;
    manifests?: Array<{ file: string } | KubeObject>;
    matrix?: Record<string, unknown[]>;
    templates?: Record<string, { params?: string[]; steps: Step[] }>;
    invariants?: Invariant[];
    steps: Step[];
  };
}

/** Step actions, as the keys that name them. */
export const STEP_ACTIONS = ['apply', 'delete', 'patch', 'scale', 'setImage', 'rolloutUndo', 'cordon', 'uncordon', 'drain', 'wait', 'expect', 'advance', 'fault', 'heal', 'kubectl', 'try', 'use'] as const;
export type StepAction = (typeof STEP_ACTIONS)[number];
