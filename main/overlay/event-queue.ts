/** The simulator's pending events: a binary min-heap by time, then by scheduling order (same-time events run FIFO). */
export interface Timed {
  t: number
  seq: number
}

/** An event before the queue numbers it (distributes over unions of event kinds). */
export type Unsequenced<E> = E extends Timed ? Omit<E, 'seq'> : never

export class EventQueue<E extends Timed> {
  private readonly heap: E[] = []
  private seq = 0

  /** Adds an event (numbering it in place). */
  push(event: Unsequenced<E>): void {
    const heap = this.heap
    const e = Object.assign(event, { seq: this.seq++ }) as unknown as E
    heap.push(e)
    let i = heap.length - 1
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (!before(e, heap[parent]!)) break
      heap[i] = heap[parent]!
      i = parent
    }
    heap[i] = e
  }

  pop(): E | undefined {
    const heap = this.heap
    const top = heap[0]
    const last = heap.pop()
    if (top === undefined || last === undefined || heap.length === 0) return top
    let i = 0
    for (;;) {
      const l = 2 * i + 1
      if (l >= heap.length) break
      const r = l + 1
      const m = r < heap.length && before(heap[r]!, heap[l]!) ? r : l
      if (!before(heap[m]!, last)) break
      heap[i] = heap[m]!
      i = m
    }
    heap[i] = last
    return top
  }
}

function before(a: Timed, b: Timed): boolean {
  return a.t < b.t || (a.t === b.t && a.seq < b.seq)
}
