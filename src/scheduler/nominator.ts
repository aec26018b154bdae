import type { Pod } from 'kubernetes-types/core/v1.js';
import { NodeInfo, PodInfo } from './node-info.js';

const priority = (p: Pod) => p.spec?.priority ?? 0;

/**
 * The pods nominated to nodes by preemption and not yet bound (upstream
 * scheduling queue's nominator). Filters see a node as if its nominated
 * pods of equal or higher priority were already there, so the room a
 * preemption made is kept for the pod that made it
 * (RunFilterPluginsWithNominatedPods, addGENominatedPods).
 */
export class Nominator {
  private readonly byNode = new Map<string, Map<string, PodInfo>>();
  private readonly nodeOf = new Map<string, string>();

  /** Record a pod's nomination (or its absence): from the scheduler's own preemption or from the pod's status. */
  set(pod: Pod, nodeName: string | undefined): void {
    const info = new PodInfo(pod);
    this.delete(info.key);
    if (nodeName === undefined || nodeName === '' || (pod.spec?.nodeName ?? '') !== '') return;
    let pods = this.byNode.get(nodeName);
    if (pods === undefined) this.byNode.set(nodeName, (pods = new Map()));
    pods.set(info.key, info.onNode(nodeName));
    this.nodeOf.set(info.key, nodeName);
  }

  delete(key: string): void {
    const node = this.nodeOf.get(key);
    if (node === undefined) return;
    this.nodeOf.delete(key);
    const pods = this.byNode.get(node);
    pods?.delete(key);
    if (pods?.size === 0) this.byNode.delete(node);
  }

  /** The node as `pod`'s filters should see it: with the other nominated pods of at least its priority added; undefined when there are none. */
  withNominatedPods(pod: PodInfo, node: NodeInfo): NodeInfo | undefined {
    const nominated = this.byNode.get(node.name);
    if (nominated === undefined) return undefined;
    const extra = [...nominated.values()].filter((p) => p.key !== pod.key && priority(p.pod) >= priority(pod.pod));
    if (extra.length === 0) return undefined;
    const copy = new NodeInfo(node.name, node.node);
    for (const p of node.pods.values()) copy.addPod(p);
    for (const p of extra) copy.addPod(p);
    return copy;
  }

  get size(): number {
    return this.nodeOf.size;
  }
}
