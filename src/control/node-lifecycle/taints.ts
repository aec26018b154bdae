import type { Node, Taint } from 'kubernetes-types/core/v1.js';

/** upstream k8s.io/api/core/v1 well_known_taints.go */
export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable';
export const TAINT_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';
export const TAINT_MEMORY_PRESSURE = 'node.kubernetes.io/memory-pressure';
export const TAINT_DISK_PRESSURE = 'node.kubernetes.io/disk-pressure';
export const TAINT_PID_PRESSURE = 'node.kubernetes.io/pid-pressure';
export const TAINT_NETWORK_UNAVAILABLE = 'node.kubernetes.io/network-unavailable';

/** upstream node_lifecycle_controller.go nodeConditionToTaintKeyStatusMap: which condition status puts which NoSchedule taint. */
const CONDITION_TAINTS: Record<string, Record<string, string>> = {
  Ready: { False: TAINT_NOT_READY, Unknown: TAINT_UNREACHABLE },
  MemoryPressure: { True: TAINT_MEMORY_PRESSURE },
  DiskPressure: { True: TAINT_DISK_PRESSURE },
  NetworkUnavailable: { True: TAINT_NETWORK_UNAVAILABLE },
  PIDPressure: { True: TAINT_PID_PRESSURE },
};
const CONDITION_TAINT_KEYS = new Set(Object.values(CONDITION_TAINTS).flatMap((m) => Object.values(m)));

const sameTaint = (a: Taint, b: Taint): boolean => a.key === b.key && a.effect === b.effect;

/** A node's taints with `add` put in (stamped with timeAdded) and `remove` taken out; undefined when nothing changes (upstream SwapNodeControllerTaint). */
export function swapTaints(node: Node, add: readonly Taint[], remove: readonly Taint[], timeAdded: string): Taint[] | undefined {
  const current = node.spec?.taints ?? [];
  const kept = current.filter((t) => !remove.some((r) => sameTaint(t, r)));
  const added = add.filter((a) => !kept.some((t) => sameTaint(t, a))).map((a) => ({ ...a, timeAdded }));
  if (added.length === 0 && kept.length === current.length) return undefined;
  return [...kept, ...added];
}

/**
 * The NoSchedule taints a node's conditions and cordon call for, and the
 * change to make (upstream doNoScheduleTaintingPass): Ready False or Unknown
 * → not-ready or unreachable, MemoryPressure/DiskPressure/PIDPressure/
 * NetworkUnavailable True → their taint, spec.unschedulable → unschedulable.
 * Only NoSchedule taints with those keys are the controller's to remove.
 */
export function noScheduleTaintChange(node: Node): { add: Taint[]; remove: Taint[] } {
  const want: Taint[] = [];
  for (const c of node.status?.conditions ?? []) {
    const key = CONDITION_TAINTS[c.type]?.[c.status];
    if (key !== undefined) want.push({ key, effect: 'NoSchedule' });
  }
  if (node.spec?.unschedulable === true) want.push({ key: TAINT_UNSCHEDULABLE, effect: 'NoSchedule' });
  const have = (node.spec?.taints ?? []).filter((t) => t.effect === 'NoSchedule' && (t.key === TAINT_UNSCHEDULABLE || CONDITION_TAINT_KEYS.has(t.key)));
  return {
    add: want.filter((w) => !have.some((h) => sameTaint(h, w))),
    remove: have.filter((h) => !want.some((w) => sameTaint(h, w))),
  };
}

export const NOT_READY_NO_EXECUTE: Taint = { key: TAINT_NOT_READY, effect: 'NoExecute' };
export const UNREACHABLE_NO_EXECUTE: Taint = { key: TAINT_UNREACHABLE, effect: 'NoExecute' };

export function hasTaint(node: Node, taint: Taint): boolean {
  return (node.spec?.taints ?? []).some((t) => sameTaint(t, taint));
}
