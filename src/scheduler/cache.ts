import { jsonEqual } from '../api/json-clone.js';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { zoneKey } from '../api/kinds/zone.js';
import { NodeInfo, PodInfo } from './node-info.js';
import { PodIndex } from './pod-index.js';

const podKey = (p: Pod): string => `${p.metadata?.namespace ?? ''}/${p.metadata?.name ?? ''}`;
const terminal = (p: Pod): boolean => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';

/**
 * The scheduler's cache (upstream pkg/scheduler/backend/cache): a NodeInfo
 * per node with the pods assigned to it, plus pods the scheduler assumed
 * on a node while their binding is in flight. Nodes are listed zone by
 * zone in turn (upstream nodeTree), so a partial search spreads over zones.
 */
export class SchedulerCache {
  private readonly nodes = new Map<string, NodeInfo>();
  private readonly podNode = new Map<string, string>();
  private readonly assumed = new Set<string>();
  private list: NodeInfo[] | undefined;
  readonly index = new PodIndex();
  /** Bumped when a node comes, goes, or changes labels: what node-set caches key on. */
  nodesVersion = 0;

  nodeInfos(): NodeInfo[] {
    if (this.list === undefined) {
      const zones = new Map<string, NodeInfo[]>();
      for (const n of this.nodes.values()) {
        if (n.node === undefined) continue;
        const z = zoneKey(n.node);
        if (!zones.has(z)) zones.set(z, []);
        zones.get(z)!.push(n);
      }
      const ordered = [...zones.keys()].sort().map((z) => zones.get(z)!);
      const out: NodeInfo[] = [];
      for (let i = 0; ordered.some((z) => i < z.length); i++) for (const z of ordered) if (i < z.length) out.push(z[i]!);
      this.list = out;
    }
    return this.list;
  }

  node(name: string): NodeInfo | undefined {
    return this.nodes.get(name);
  }

  setNode(node: Node): void {
    const name = node.metadata?.name ?? '';
    const existing = this.nodes.get(name);
    if (existing === undefined) {
      this.nodes.set(name, new NodeInfo(name, node));
      this.list = undefined;
      this.nodesVersion++;
    } else {
      const hadNode = existing.node !== undefined;
      const zoneChanged = hadNode && zoneKey(existing.node!) !== zoneKey(node);
      const relabelled = !jsonEqual(existing.labels, node.metadata?.labels ?? {});
      // The index sums pods by their node's topology labels: move them to the new labels.
      if (relabelled) for (const p of existing.pods.values()) this.index.remove(p, existing);
      existing.setNode(node);
      if (relabelled) for (const p of existing.pods.values()) this.index.add(p, existing);
      if (relabelled || !hadNode) this.nodesVersion++;
      if (!hadNode || zoneChanged) this.list = undefined;
    }
  }

  removeNode(name: string): void {
    const n = this.nodes.get(name);
    if (n === undefined) return;
    // Pods still on it keep their place until they are deleted (upstream keeps a node's pods after the Node goes).
    if (n.pods.size === 0) this.nodes.delete(name);
    else n.node = undefined;
    this.list = undefined;
    this.nodesVersion++;
  }

  /** An assigned pod seen by the informer (added, updated or confirming an assumption). */
  setPod(pod: Pod): void {
    const key = podKey(pod);
    const nodeName = pod.spec?.nodeName ?? '';
    if (nodeName === '' || terminal(pod)) return this.removePod(key);
    const prev = this.podNode.get(key);
    if (prev !== undefined) this.unplace(key, prev);
    this.assumed.delete(key);
    this.podNode.set(key, nodeName);
    let n = this.nodes.get(nodeName);
    if (n === undefined) {
      n = new NodeInfo(nodeName, undefined);
      this.nodes.set(nodeName, n);
    }
    const info = new PodInfo(pod);
    n.addPod(info);
    this.index.add(info, n);
  }

  private unplace(key: string, nodeName: string): void {
    const n = this.nodes.get(nodeName);
    const p = n?.pods.get(key);
    if (n === undefined || p === undefined) return;
    this.index.remove(p, n);
    n.removePod(key);
  }

  removePod(key: string): void {
    const nodeName = this.podNode.get(key);
    if (nodeName === undefined) return;
    this.podNode.delete(key);
    this.assumed.delete(key);
    this.unplace(key, nodeName);
    const n = this.nodes.get(nodeName);
    if (n !== undefined && n.node === undefined && n.pods.size === 0) this.nodes.delete(nodeName);
  }

  /** upstream AssumePod: count the pod on the node before its binding is confirmed. */
  assume(pod: PodInfo, nodeName: string): void {
    this.podNode.set(pod.key, nodeName);
    this.assumed.add(pod.key);
    const n = this.nodes.get(nodeName);
    if (n === undefined) return;
    const info = pod.onNode(nodeName);
    n.addPod(info);
    this.index.add(info, n);
  }

  /** upstream ForgetPod: the binding failed. */
  forget(key: string): void {
    if (this.assumed.has(key)) this.removePod(key);
  }

  isAssumed(key: string): boolean {
    return this.assumed.has(key);
  }
}
