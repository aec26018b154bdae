import type { Taint } from 'kubernetes-types/core/v1.js';
import { tryParseQuantity } from '../api/quantity.js';
import type { EvictionConfig } from '../kubelet/eviction/thresholds.js';
import { validateImageBehaviour, type ImageBehaviour } from '../workloads/behaviour.js';

/** One worker node of a topology. */
export interface NodeSpec {
  name?: string;
  cpu?: string;
  memory?: string;
  /** Max pods (the kubelet's --max-pods; default 110). */
  pods?: number;
  /** The node's disk (ephemeral-storage capacity; default 100Gi). */
  disk?: string;
  labels?: Record<string, string>;
  taints?: Taint[];
  /** topology.kubernetes.io/zone. */
  zone?: string;
}

/**
 * A cluster to build: worker nodes, control-plane hosts (one API server,
 * controller manager and scheduler each; etcd members on them when there
 * are several), the seed, and the behaviour of images Crucible does not
 * know.
 */
export interface Topology {
  seed?: string | number;
  /** A count of identical nodes (node-1 … node-N), or each node (default 3). */
  nodes?: number | NodeSpec[];
  /** Control-plane hosts (default 1; 3 or 5 run an etcd quorum and leader-elected components). */
  controlPlane?: number;
  /** Behaviour of images by reference. */
  images?: Record<string, ImageBehaviour>;
  /** Images nobody declared run as a generic long-running process instead of failing to pull. */
  permissiveImages?: boolean;
  eviction?: EvictionConfig;
  /** Run metrics-server (default true). */
  metricsServer?: boolean;
}

/** A topology that cannot be built: every problem, each with its path. */
export class TopologyError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'TopologyError';
  }
}

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Every problem with a topology, each naming its path (`nodes[1].cpu: …`); empty when it can be built. */
export function validateTopology(t: Topology, path = 'cluster'): string[] {
  const errors: string[] = [];
  if (typeof t.nodes === 'number' && (!Number.isInteger(t.nodes) || t.nodes < 0 || t.nodes > 5000)) errors.push(`${path}.nodes: expected a whole number from 0 to 5000, got ${t.nodes}`);
  if (Array.isArray(t.nodes)) {
    const seen = new Set<string>();
    t.nodes.forEach((n, i) => {
      const p = `${path}.nodes[${i}]`;
      if (n.name !== undefined && !NAME.test(n.name)) errors.push(`${p}.name: "${n.name}" must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character`);
      const name = n.name ?? `node-${i + 1}`;
      if (seen.has(name)) errors.push(`${p}.name: duplicate node name "${name}"`);
      seen.add(name);
      for (const field of ['cpu', 'memory', 'disk'] as const) {
        const v = n[field];
        if (v !== undefined && (tryParseQuantity(v) === undefined || tryParseQuantity(v)!.value <= 0)) errors.push(`${p}.${field}: expected a positive quantity such as ${field === 'cpu' ? '"4" or "500m"' : '"8Gi"'}, got ${JSON.stringify(v)}`);
      }
      if (n.pods !== undefined && (!Number.isInteger(n.pods) || n.pods < 1)) errors.push(`${p}.pods: expected a whole number of at least 1, got ${JSON.stringify(n.pods)}`);
      (n.taints ?? []).forEach((taint, j) => {
        if (!['NoSchedule', 'PreferNoSchedule', 'NoExecute'].includes(taint.effect)) errors.push(`${p}.taints[${j}].effect: expected NoSchedule, PreferNoSchedule or NoExecute, got ${JSON.stringify(taint.effect)}`);
        if (typeof taint.key !== 'string' || taint.key === '') errors.push(`${p}.taints[${j}].key: required`);
      });
    });
  }
  if (t.controlPlane !== undefined && ![1, 3, 5].includes(t.controlPlane)) errors.push(`${path}.controlPlane: expected 1, 3 or 5 hosts, got ${JSON.stringify(t.controlPlane)}`);
  for (const [ref, behaviour] of Object.entries(t.images ?? {})) errors.push(...validateImageBehaviour(behaviour, `${path}.images[${JSON.stringify(ref)}]`));
  return errors;
}

/** The nodes of a topology, each with its name and defaults filled in. */
export function topologyNodes(t: Topology): Array<Required<Pick<NodeSpec, 'name' | 'cpu' | 'memory'>> & NodeSpec> {
  const list = typeof t.nodes === 'number' ? Array.from({ length: t.nodes }, () => ({})) : (t.nodes ?? [{}, {}, {}]);
  return list.map((n: NodeSpec, i) => ({ ...n, name: n.name ?? `node-${i + 1}`, cpu: n.cpu ?? '4', memory: n.memory ?? '8Gi' }));
}
