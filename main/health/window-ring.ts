/**
 * A fixed-size ring of (time, value) pairs with the order statistics the estimator reports.
 * Bounded memory: the oldest entry is overwritten.
 */
export class WindowRing {
  private readonly values: Float64Array
  private readonly times: Float64Array
  private next = 0
  private count = 0

  constructor(capacity: number) {
    this.values = new Float64Array(capacity)
    this.times = new Float64Array(capacity)
  }

  get size(): number {
    return this.count
  }

  push(at: number, value: number): void {
    this.values[this.next] = value
    this.times[this.next] = at
    this.next = (this.next + 1) % this.values.length
    this.count = Math.min(this.count + 1, this.values.length)
  }

  /** Time of the newest entry, or null when empty. */
  latest(): number | null {
    if (this.count === 0) return null
    return this.times[(this.next - 1 + this.values.length) % this.values.length] ?? null
  }

  /** Mean of the retained values, or null when empty. */
  mean(): number | null {
    if (this.count === 0) return null
    let sum = 0
    for (let i = 0; i < this.count; i++) sum += this.values[i] ?? 0
    return sum / this.count
  }

  /** The q-quantile (0…1, linear interpolation) of the retained values, or null when empty. */
  quantile(q: number): number | null {
    if (this.count === 0) return null
    const sorted = this.values.slice(0, this.count).sort()
    const pos = q * (this.count - 1)
    const lo = Math.floor(pos)
    const a = sorted[lo] ?? 0
    const b = sorted[Math.min(lo + 1, this.count - 1)] ?? a
    return a + (b - a) * (pos - lo)
  }
}
