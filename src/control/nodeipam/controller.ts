import ipaddr from 'ipaddr.js';
import type { Node } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/registry/types.js';
import { DEFAULT_EPOCH_MS } from '../../api/server/time.js';
import { EventRecorder, Informer, WorkQueue, type ApiClient } from '../../client/index.js';
import type { HostContext } from '../../faults/index.js';

export interface NodeIpamOptions {
  /** --cluster-cidr (default 10.244.0.0/16) */
  clusterCIDR?: string;
  /** --node-cidr-mask-size (default 24) */
  nodeMaskSize?: number;
  epochMs?: number;
}

/**
 * The node IPAM controller's range allocator (upstream
 * pkg/controller/nodeipam/ipam/range_allocator.go): each node without a
 * podCIDR gets the next free /24 (by default) of the cluster CIDR; CIDRs
 * already on nodes are marked used; when none is left the node gets
 * `CIDRNotAvailable` "Node X status is now: CIDRNotAvailable".
 */
export class NodeIpamController {
  private readonly nodes: Informer;
  readonly queue: WorkQueue;
  private readonly recorder: EventRecorder;
  private readonly base: number;
  private readonly count: number;
  private readonly mask: number;
  private readonly used = new Set<number>();

  constructor(
    host: HostContext,
    private readonly client: ApiClient,
    options: NodeIpamOptions = {},
  ) {
    const [addr, prefix] = ipaddr.parseCIDR(options.clusterCIDR ?? '10.244.0.0/16');
    this.mask = options.nodeMaskSize ?? 24;
    this.base = ipv4ToInt(addr.toString());
    this.count = 2 ** (this.mask - prefix);
    this.nodes = new Informer(host, client, { group: '', version: 'v1', resource: 'nodes' });
    this.queue = new WorkQueue(host);
    this.recorder = new EventRecorder(host, client, { component: 'cidrAllocator' }, { epochMs: options.epochMs ?? DEFAULT_EPOCH_MS });
    this.nodes.addEventHandler({
      onAdd: (o) => this.observe(o as Node),
      onUpdate: (_o, n) => this.observe(n as Node),
      onDelete: (o) => {
        const i = this.indexOf((o as Node).spec?.podCIDR);
        if (i !== undefined) this.used.delete(i);
      },
    });
  }

  gate(active: () => boolean): void {
    this.queue.gate(active);
  }

  start(): void {
    this.nodes.start();
    this.queue.run(1, (name, done) => this.allocate(name, done));
  }

  private indexOf(cidr: string | undefined): number | undefined {
    if (cidr === undefined || cidr === '') return undefined;
    const [a] = cidr.split('/');
    const i = (ipv4ToInt(a!) - this.base) / 2 ** (32 - this.mask);
    return Number.isInteger(i) && i >= 0 && i < this.count ? i : undefined;
  }

  private observe(node: Node): void {
    const i = this.indexOf(node.spec?.podCIDR);
    if (i !== undefined) this.used.add(i);
    else if ((node.spec?.podCIDR ?? '') === '') this.queue.add(node.metadata?.name ?? '');
  }

  private allocate(name: string, done: () => void): void {
    const node = this.nodes.get(name) as Node | undefined;
    if (node === undefined || (node.spec?.podCIDR ?? '') !== '') return done();
    let free = -1;
    for (let i = 0; i < this.count; i++) if (!this.used.has(i)) {
      free = i;
      break;
    }
    if (free < 0) {
      this.recorder.event(node as KubeObject, 'Normal', 'CIDRNotAvailable', `Node ${name} status is now: CIDRNotAvailable`);
      return done();
    }
    this.used.add(free);
    const cidr = `${intToIpv4(this.base + free * 2 ** (32 - this.mask))}/${this.mask}`;
    this.client.request({ verb: 'patch', patchType: 'merge', group: '', version: 'v1', resource: 'nodes', name, body: { spec: { podCIDR: cidr, podCIDRs: [cidr] } } }, (error) => {
      if (error !== null) {
        this.used.delete(free);
        this.queue.addRateLimited(name);
      }
      done();
    });
  }
}

function ipv4ToInt(a: string): number {
  return a.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}

function intToIpv4(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}
