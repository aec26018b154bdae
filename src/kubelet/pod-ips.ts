/**
 * Pod IPs from the node's podCIDR, as the CNI's host-local IPAM hands them
 * out: the first address is the bridge's, the last the broadcast; the rest
 * go in order, round-robin, never two pods at once.
 */
export class PodIPs {
  private readonly base: number;
  private readonly size: number;
  private readonly used = new Set<number>();
  private next = 2;

  constructor(cidr: string) {
    const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr);
    if (m === null) throw new Error(`podCIDR ${JSON.stringify(cidr)}: expected an IPv4 CIDR such as 10.244.1.0/24`);
    const bits = Number(m[5]);
    if (bits > 30 || bits < 8) throw new Error(`podCIDR ${cidr}: expected a prefix from /8 to /30`);
    const addr = ((Number(m[1]) << 24) >>> 0) + (Number(m[2]) << 16) + (Number(m[3]) << 8) + Number(m[4]);
    this.size = 2 ** (32 - bits);
    this.base = addr - (addr % this.size);
  }

  allocate(): string {
    for (let tries = 0; tries < this.size; tries++) {
      const i = this.next;
      this.next = this.next + 1 >= this.size - 1 ? 2 : this.next + 1;
      if (!this.used.has(i)) {
        this.used.add(i);
        return format(this.base + i);
      }
    }
    throw new Error('no free pod IP in the podCIDR');
  }

  release(ip: string): void {
    const parts = ip.split('.').map(Number);
    const n = ((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]!;
    this.used.delete(n - this.base);
  }

  clear(): void {
    this.used.clear();
    this.next = 2;
  }
}

function format(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}
