import type { Plugin } from '../framework.js';
import { interPodAffinity } from './inter-pod-affinity.js';
import { nodeAffinity } from './node-affinity.js';
import { podTopologySpread } from './pod-topology-spread.js';
import { nodeResourcesBalancedAllocation, nodeResourcesFit } from './resources.js';
import { nodeName, nodePorts, nodeUnschedulable } from './simple.js';
import { taintToleration } from './taint-toleration.js';
import { volumeBinding } from './volume-binding.js';

/**
 * The default profile's plugins in upstream's filter order
 * (pkg/scheduler/apis/config/v1 default_plugins.go): the first filter that
 * fails names the node's reason, so the order shows in FailedScheduling.
 */
export const DEFAULT_PLUGINS: readonly Plugin[] = [
  nodeUnschedulable,
  nodeName,
  taintToleration,
  nodeAffinity,
  nodePorts,
  nodeResourcesFit,
  volumeBinding,
  podTopologySpread,
  interPodAffinity,
  nodeResourcesBalancedAllocation,
];
