import { tolerationsTolerateTaint } from '../../api/kinds/taints.js';
import type { NodeInfo } from '../node-info.js';
import { unresolvable, unschedulable, type CycleState, type Plugin } from '../framework.js';

/** upstream plugins/nodeunschedulable: a cordoned node takes only pods tolerating node.kubernetes.io/unschedulable. */
export const nodeUnschedulable: Plugin = {
  name: 'NodeUnschedulable',
  filter(state: CycleState, node: NodeInfo) {
    if (!node.unschedulable) return undefined;
    if (tolerationsTolerateTaint(state.pod.pod.spec?.tolerations, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' })) return undefined;
    return unresolvable('node(s) were unschedulable');
  },
};

/** upstream plugins/nodename */
export const nodeName: Plugin = {
  name: 'NodeName',
  filter(state: CycleState, node: NodeInfo) {
    const wanted = state.pod.pod.spec?.nodeName;
    return wanted === undefined || wanted === '' || wanted === node.name ? undefined : unresolvable("node(s) didn't match the requested node name");
  },
};

/** upstream plugins/nodeports: a host port (protocol, IP) may be used once per node; 0.0.0.0 conflicts with every IP. */
export const nodePorts: Plugin = {
  name: 'NodePorts',
  filter(state: CycleState, node: NodeInfo) {
    for (const p of state.pod.hostPorts) {
      if (node.usedPorts.size === 0) return undefined;
      const wild = `0.0.0.0/${p.protocol}/${p.port}`;
      const conflict =
        node.usedPorts.has(`${p.hostIP}/${p.protocol}/${p.port}`) || node.usedPorts.has(wild) || (p.hostIP === '0.0.0.0' && [...node.usedPorts.keys()].some((k) => k.endsWith(`/${p.protocol}/${p.port}`)));
      if (conflict) return unschedulable("node(s) didn't have free ports for the requested pod ports");
    }
    return undefined;
  },
};
