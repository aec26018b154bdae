import type { Node, NodeCondition } from 'kubernetes-types/core/v1.js';
import { formatQuantity, tryParseQuantity } from '../api/quantity.js';
import { rfc3339 } from '../api/server/time.js';

export interface NodeConfig {
  name: string;
  /** The node's IP on the cluster network. */
  internalIP: string;
  /** The range pod IPs come from, e.g. 10.244.1.0/24. */
  podCIDR: string;
  capacity: { cpu: string; memory: string; pods?: string; 'ephemeral-storage'?: string };
  /** --system-reserved plus --kube-reserved. */
  reserved?: { cpu?: string; memory?: string; 'ephemeral-storage'?: string };
  labels?: Record<string, string>;
}

/** kubelet's default hard eviction thresholds that allocatable subtracts (memory.available<100Mi, nodefs.available<10%). */
const HARD_EVICTION_MEMORY_BYTES = 100 * 1024 * 1024;
const HARD_EVICTION_NODEFS_FRACTION = 0.1;

/**
 * Allocatable = capacity − reserved − hard eviction threshold (upstream
 * pkg/kubelet/cm node_container_manager GetNodeAllocatableAbsolute and
 * nodestatus MachineInfo).
 */
export function allocatable(config: NodeConfig): Record<string, string> {
  const cap = { pods: '110', 'ephemeral-storage': '100Gi', ...config.capacity };
  const value = (q: string | undefined) => tryParseQuantity(q)?.value ?? 0;
  const out: Record<string, string> = { ...cap };
  out['cpu'] = formatQuantity({ value: Math.max(0, value(cap.cpu) - value(config.reserved?.cpu)), format: 'DecimalSI' });
  out['memory'] = formatQuantity({ value: Math.max(0, value(cap.memory) - value(config.reserved?.memory) - HARD_EVICTION_MEMORY_BYTES), format: 'BinarySI' });
  const storage = value(cap['ephemeral-storage']);
  out['ephemeral-storage'] = formatQuantity({ value: Math.max(0, Math.floor(storage - value(config.reserved?.['ephemeral-storage']) - storage * HARD_EVICTION_NODEFS_FRACTION)), format: 'DecimalSI' });
  return out;
}

/** The four node conditions while all is well (upstream pkg/kubelet/nodestatus/setters.go). */
export const HEALTHY_CONDITIONS: ReadonlyArray<Pick<NodeCondition, 'type' | 'status' | 'reason' | 'message'>> = [
  { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available' },
  { type: 'DiskPressure', status: 'False', reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure' },
  { type: 'PIDPressure', status: 'False', reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available' },
  { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' },
];

/** The events a kubelet records on its node at start (`Node X status is now: …`). */
export function startupEvents(name: string): Array<{ type: 'Normal'; reason: string; message: string }> {
  return [
    { type: 'Normal', reason: 'Starting', message: 'Starting kubelet.' },
    { type: 'Normal', reason: 'NodeHasSufficientMemory', message: `Node ${name} status is now: NodeHasSufficientMemory` },
    { type: 'Normal', reason: 'NodeHasNoDiskPressure', message: `Node ${name} status is now: NodeHasNoDiskPressure` },
    { type: 'Normal', reason: 'NodeHasSufficientPID', message: `Node ${name} status is now: NodeHasSufficientPID` },
    { type: 'Normal', reason: 'NodeAllocatableEnforced', message: 'Updated Node Allocatable limit across pods' },
  ];
}

/** The Node a kubelet registers (kubelet_node_status.go initialNode). */
export function initialNode(config: NodeConfig, nowMs: number): Node {
  const cap = { pods: '110', 'ephemeral-storage': '100Gi', ...config.capacity };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: config.name,
      labels: { 'kubernetes.io/hostname': config.name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', 'beta.kubernetes.io/os': 'linux', 'beta.kubernetes.io/arch': 'amd64', ...config.labels },
      annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
    },
    spec: { podCIDR: config.podCIDR, podCIDRs: [config.podCIDR] },
    status: {
      capacity: cap,
      allocatable: allocatable(config),
      conditions: HEALTHY_CONDITIONS.map((c) => ({ ...c, lastHeartbeatTime: rfc3339(nowMs), lastTransitionTime: rfc3339(nowMs) })),
      addresses: [
        { type: 'InternalIP', address: config.internalIP },
        { type: 'Hostname', address: config.name },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: '',
        systemUUID: '',
        bootID: '',
        kernelVersion: '6.1.0-crucible',
        osImage: 'Crucible simulated node',
        containerRuntimeVersion: 'containerd://1.7.24',
        kubeletVersion: 'v1.32.0',
        kubeProxyVersion: 'v1.32.0',
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
    },
  };
}
