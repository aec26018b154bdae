/**
 * A cut in the network. `split` separates groups of hosts from each other in
 * both directions (hosts in no group are unaffected); `one-way` drops what
 * `from` sends to `to` but lets replies through, the asymmetric partition
 * Jepsen's nemeses use to confuse failure detectors.
 */
export type PartitionShape = { kind: 'split'; groups: number[][] } | { kind: 'one-way'; from: number[]; to: number[] };

export class Partition {
  /** Group of each host index for `split`; side (0 = from, 1 = to) for `one-way`; -1 for unaffected. */
  private readonly side: Int32Array;

  constructor(
    readonly shape: PartitionShape,
    hostCount: number,
  ) {
    this.side = new Int32Array(hostCount).fill(-1);
    if (shape.kind === 'split') shape.groups.forEach((g, i) => g.forEach((h) => (this.side[h] = i)));
    else {
      shape.from.forEach((h) => (this.side[h] = 0));
      shape.to.forEach((h) => (this.side[h] = 1));
    }
  }

  /** True when this partition drops messages from host `a` to host `b`. */
  cuts(a: number, b: number): boolean {
    const sa = this.side[a] ?? -1;
    const sb = this.side[b] ?? -1;
    if (sa < 0 || sb < 0 || sa === sb) return false;
    return this.shape.kind === 'split' || (sa === 0 && sb === 1);
  }
}
