/**
 * A binary min-heap of timers ordered by (atMs, seq). The sequence number is
 * handed out by the kernel in scheduling order, so two timers due at the same
 * millisecond always fire in the order they were scheduled: ties are
 * deterministic.
 *
 * Each timer knows its slot, so cancelling removes it at once. Timeouts are
 * usually cancelled soon after they are armed, while they still sit near the
 * bottom of the heap, so removal costs a few swaps; lazy deletion would pay
 * a full-depth pop for each one later and keep the heap twice as large.
 */
export class Timer {
  /** @internal */ fn: (() => void) | null;
  /** @internal slot in the heap, -1 once out of it. */ slot = -1;

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
    this.queue.remove(this);
  }
}

function before(a: Timer, b: Timer): boolean {
  return a.atMs < b.atMs || (a.atMs === b.atMs && a.seq < b.seq);
}

export class EventQueue {
  private readonly heap: Timer[] = [];

  /** Timers in the queue. */
  get size(): number {
    return this.heap.length;
  }

  push(timer: Timer): void {
    this.heap.push(timer);
    this.siftUp(timer, this.heap.length - 1);
  }

  /** The earliest timer, without removing it. */
  peek(): Timer | undefined {
    return this.heap[0];
  }

  /** Removes and returns the earliest timer. */
  pop(): Timer | undefined {
    const heap = this.heap;
    const top = heap[0];
    if (top === undefined) return undefined;
    const last = heap.pop()!;
    if (heap.length > 0) this.siftDown(last, 0);
    top.slot = -1;
    return top;
  }

  /** @internal called by Timer.cancel */
  remove(timer: Timer): void {
    const heap = this.heap;
    const i = timer.slot;
    if (i < 0) return;
    timer.slot = -1;
    const last = heap.pop()!;
    if (i === heap.length) return; // it was the last one
    if (i > 0 && before(last, heap[(i - 1) >> 1]!)) this.siftUp(last, i);
    else this.siftDown(last, i);
  }

  private siftUp(timer: Timer, start: number): void {
    const heap = this.heap;
    let i = start;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent]!;
      if (!before(timer, p)) break;
      heap[i] = p;
      p.slot = i;
      i = parent;
    }
    heap[i] = timer;
    timer.slot = i;
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
      c.slot = i;
      i = child;
    }
    heap[i] = timer;
    timer.slot = i;
  }
}
