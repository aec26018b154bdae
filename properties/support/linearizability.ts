/**
 * A linearizability checker for a single register (Wing & Gong's search,
 * with memoisation in the manner of Lowe's and Knossos's): is there an order
 * of the operations, consistent with their real-time order, in which every
 * read returns the latest write? Operations whose outcome is unknown (a
 * timeout, a lost connection) may take effect at any time after they began,
 * or never.
 */
export interface Operation {
  client: number;
  kind: 'read' | 'write';
  /** The value written, or the value read. */
  value: string;
  invokedAt: number;
  /** Infinity when the outcome is unknown. */
  completedAt: number;
}

export function isLinearizable(history: readonly Operation[], initial: string): boolean {
  const ops = history.filter((o) => !(o.kind === 'read' && o.completedAt === Infinity));
  if (ops.length > 30) throw new Error(`history too long for the checker (${ops.length} operations)`);
  const determinate = ops.map((o) => o.completedAt !== Infinity);
  const seen = new Set<string>();
  const search = (done: number, value: string): boolean => {
    // Success once every operation with a known outcome is placed.
    if (ops.every((_, i) => !determinate[i] || done & (1 << i))) return true;
    const key = `${done}:${value}`;
    if (seen.has(key)) return false;
    seen.add(key);
    for (let i = 0; i < ops.length; i++) {
      if (done & (1 << i)) continue;
      const o = ops[i]!;
      // o can go next only if no unplaced operation finished before o began.
      const blocked = ops.some((p, j) => j !== i && !(done & (1 << j)) && p.completedAt < o.invokedAt);
      if (blocked) continue;
      if (o.kind === 'read') {
        if (o.value === value && search(done | (1 << i), value)) return true;
      } else if (search(done | (1 << i), o.value)) return true;
    }
    return false;
  };
  return search(0, initial);
}
