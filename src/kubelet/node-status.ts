import type { Node, NodeCondition } from 'kubernetes-types/core/v1.js';
import { formatQuantity, tryParseQuantity } from '../api/quantity.js';
import { rfc3339 } from '../api/server/time.js';
import { hardEvictionReservation, parseEvictionConfig, type Threshold } from './eviction/thresholds.js';

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
  /** --register-with-taints: taints the Node is registered with. */
  taints?: Array<{ key: string; value?: string; effect: string }>;
  /** Inodes on the node's filesystem (default: one per 16 KiB of ephemeral-storage, ext4's default ratio). */
  inodes?: number;
  /** kernel.pid_max (default 4194304, what systemd sets). */
  pidMax?: number;
}

/** ext4's default bytes-per-inode (mke2fs.conf inode_ratio). */
const BYTES_PER_INODE = 16_384;
export const DEFAULT_PID_MAX = 4_194_304;

/** The node's inode count. */
export function nodeInodes(config: NodeConfig): number {
  return config.inodes ?? Math.floor((tryParseQuantity(config.capacity['ephemeral-storage'] ?? '100Gi')?.value ?? 0) / BYTES_PER_INODE);
}

/**
 * Allocatable = capacity − reserved − hard eviction thresholds for
 * memory.available and nodefs.available (upstream pkg/kubelet/cm
 * node_container_manager GetNodeAllocatableReservation with
 * hardEvictionReservation; nodestatus MachineInfo).
 */
export function allocatable(config: NodeConfig, thresholds: readonly Threshold[] = parseEvictionConfig().thresholds): Record<string, string> {
  const cap = { pods: '110', 'ephemeral-storage': '100Gi', ...config.capacity };
  const value = (q: string | undefined) => tryParseQuantity(q)?.value ?? 0;
  const out: Record<string, string> = { ...cap };
  // Quantity.Sub keeps the capacity's format: 100Gi less a reservation prints as plain bytes, as on real nodes.
  const format = (q: string) => tryParseQuantity(q)?.format ?? 'DecimalSI';
  out['cpu'] = formatQuantity({ value: Math.max(0, value(cap.cpu) - value(config.reserved?.cpu)), format: format(cap.cpu) });
  const storage = value(cap['ephemeral-storage']);
  const eviction = hardEvictionReservation(thresholds, { memory: value(cap.memory), ephemeralStorage: storage });
  out['memory'] = formatQuantity({ value: Math.max(0, value(cap.memory) - value(config.reserved?.memory) - eviction.memory), format: format(cap.memory) });
  out['ephemeral-storage'] = formatQuantity({ value: Math.max(0, storage - value(config.reserved?.['ephemeral-storage']) - eviction.ephemeralStorage), format: format(cap['ephemeral-storage']) });
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
export function initialNode(config: NodeConfig, nowMs: number, thresholds?: readonly Threshold[]): Node {
  const cap = { pods: '110', 'ephemeral-storage': '100Gi', ...config.capacity };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: config.name,
      labels: { 'kubernetes.io/hostname': config.name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', 'beta.kubernetes.io/os': 'linux', 'beta.kubernetes.io/arch': 'amd64', ...config.labels },
      annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
    },
    spec: { podCIDR: config.podCIDR, podCIDRs: [config.podCIDR], ...(config.taints !== undefined && config.taints.length > 0 && { taints: config.taints }) },
    status: {
      capacity: cap,
      allocatable: allocatable(config, thresholds),
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
