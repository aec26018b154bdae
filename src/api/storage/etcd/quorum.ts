/** Raft's majority rules, as pure functions. */

/** Whether a majority (counting the leader itself) was heard from within the last election timeout (CheckQuorum, the leader lease). */
export function leaseHolds(peers: readonly string[], self: string, lastAck: ReadonlyMap<string, number>, nowMs: number, electionTimeoutMs: number): boolean {
  let contact = 1;
  for (const p of peers) if (p !== self && nowMs - (lastAck.get(p) ?? -Infinity) < electionTimeoutMs) contact++;
  return contact * 2 > peers.length;
}

/**
 * The highest index a leader may commit: stored by a majority (the leader
 * counts once its own copy is durable) and from the leader's current term
 * (Raft §5.4.2: earlier terms' entries commit only through one of its own).
 */
export function committableIndex(
  peers: readonly string[],
  self: string,
  match: ReadonlyMap<string, number>,
  durable: number,
  lastIndex: number,
  commitIndex: number,
  termAt: (index: number) => number,
  term: number,
): number {
  for (let n = lastIndex; n > commitIndex; n--) {
    if (termAt(n) !== term) break;
    let count = durable >= n ? 1 : 0;
    for (const p of peers) if (p !== self && (match.get(p) ?? 0) >= n) count++;
    if (count * 2 > peers.length) return n;
  }
  return commitIndex;
}
