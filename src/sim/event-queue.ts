/**
 * A binary min-heap of timers ordered by (atMs, seq). The sequence number is
 * handed out by the kernel in scheduling order, so two timers due at the same
 * millisecond always fire in the order they were scheduled: ties are
 * deterministic.
 *
 * Cancelled timers are removed lazily (skipped when they reach the top); the
 * heap is compacted when more than half of it is dead, so a workload that
 * cancels most of its timers (retries, probes' timeouts) does not grow
 * without bound.
 */
export class Timer {
  /** @internal */ fn: (() => void) | null;

  constructor(
    /** Virtual time at which the timer fires, in ms. */
    readonly atMs: number,
    /** Scheduling order; breaks ties between timers due at the same ms. */
    readonly seq: number,
    fn: () => void,
    /** A label makes the kernel record the firing in the trace. */
    readonly label: string | undefined,
    private readonly queue: EventQueue,
  ) {
    this.fn = fn;
  }

  /** True until the timer fires or is cancelled. */
  get pending(): boolean {
    return this.fn !== null;
  }

  /** Cancel the timer; cancelling a fired or cancelled timer does nothing. */
  cancel(): void {
    if (this.fn === null) return;
    this.fn = null;
    this.queue.noteCancelled();
  }
}

function before(a: Timer, b: Timer): boolean {
  return a.atMs < b.atMs || (a.atMs === b.atMs && a.seq < b.seq);
}

export class EventQueue {
  private heap: Timer[] = [];
  private cancelled = 0;

  /** Live (not cancelled) timers in the queue. */
  get size(): number {
    return this.heap.length - this.cancelled;
  }

  push(timer: Timer): void {
    const heap = this.heap;
    let i = heap.length;
    heap.push(timer);
    // sift up
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent]!;
      if (!before(timer, p)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = timer;
  }

  /** The earliest live timer, without removing it. */
  peek(): Timer | undefined {
    this.dropCancelledTop();
    return this.heap[0];
  }

  /** Removes and returns the earliest live timer. */
  pop(): Timer | undefined {
    this.dropCancelledTop();
    return this.removeTop();
  }

  /** @internal called by Timer.cancel */
  noteCancelled(): void {
    this.cancelled++;
    if (this.cancelled > 1024 && this.cancelled * 2 > this.heap.length) this.compact();
  }

  private dropCancelledTop(): void {
    while (this.heap.length > 0 && this.heap[0]!.fn === null) {
      this.removeTop();
      this.cancelled--;
    }
  }

  private removeTop(): Timer | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined) return undefined;
    if (heap.length > 0) this.siftDown(last, 0);
    return top;
  }

  private siftDown(timer: Timer, start: number): void {
    const heap = this.heap;
    const n = heap.length;
    let i = start;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      let child = left;
      if (right < n && before(heap[right]!, heap[left]!)) child = right;
      const c = heap[child]!;
      if (!before(c, timer)) break;
      heap[i] = c;
      i = child;
    }
    heap[i] = timer;
  }

  /** Drop every cancelled timer and rebuild the heap (Floyd's method). */
  private compact(): void {
    const live = this.heap.filter((t) => t.fn !== null);
    this.heap = live;
    this.cancelled = 0;
    for (let i = (live.length >> 1) - 1; i >= 0; i--) this.siftDown(live[i]!, i);
  }
}
