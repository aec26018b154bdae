import type { KubeObject } from '../api/registry/types.js';
import type { ClientRequest } from '../client/index.js';
import { controlPlaneWorld } from '../client/testing.js';
import { Scheduler, type SchedulerOptions } from './scheduler.js';

export interface FakeNode {
  name: string;
  cpu?: string;
  memory?: string;
  pods?: string;
  labels?: Record<string, string>;
  taints?: Array<{ key: string; value?: string; effect: string }>;
  unschedulable?: boolean;
}

/** A Node object as a kubelet would register it, without a kubelet (scheduler tests need none). */
export function fakeNode(n: FakeNode): KubeObject {
  const allocatable = { cpu: n.cpu ?? '4', memory: n.memory ?? '8Gi', pods: n.pods ?? '110', 'ephemeral-storage': '100Gi' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: n.name, labels: { 'kubernetes.io/hostname': n.name, ...n.labels } },
    spec: { ...(n.taints !== undefined && { taints: n.taints }), ...(n.unschedulable === true && { unschedulable: true }) },
    status: { capacity: allocatable, allocatable, conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }] },
  } as KubeObject;
}

/** An API server, nodes as objects, and a scheduler on cp-0; `call` answers admin requests in virtual time. */
export function schedulerWorld(seed: string, nodes: FakeNode[], options: SchedulerOptions = {}) {
  const cp = controlPlaneWorld(seed, []);
  const admin = cp.client('cp-0');
  const call = (req: ClientRequest): { error: unknown; body?: KubeObject } => {
    let out: { error: unknown; body?: KubeObject } | undefined;
    admin.request(req, (error, body) => (out = { error, ...(body !== undefined && { body }) }));
    cp.world.sim.runUntil(() => out !== undefined, { timeoutMs: 60_000 });
    return out!;
  };
  for (const n of nodes) call({ verb: 'create', group: '', version: 'v1', resource: 'nodes', body: fakeNode(n) });
  const scheduler = new Scheduler(cp.world.host('cp-0'), cp.client('cp-0'), options);
  scheduler.start();
  const pod = (name: string, spec: Record<string, unknown> = {}, meta: Record<string, unknown> = {}) =>
    call({ verb: 'create', group: '', version: 'v1', resource: 'pods', namespace: 'default', body: { metadata: { name, namespace: 'default', ...meta }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }], ...spec } } as KubeObject });
  const get = (name: string) => call({ verb: 'get', group: '', version: 'v1', resource: 'pods', namespace: 'default', name }).body as any;
  const events = (name: string) => ((call({ verb: 'list', group: '', version: 'v1', resource: 'events', namespace: 'default' }).body as any).items as any[]).filter((e) => e.involvedObject.name === name);
  return { ...cp, call, scheduler, pod, get, events, advance: (ms: number) => cp.world.sim.advance(ms) };
}
