/**
 * Bounded concurrency for disk work: many small files are dominated by the latency of open, stat
 * and close, which overlap well; more than a few at once only adds memory.
 */
export type Limiter = <T>(task: () => Promise<T>) => Promise<T>

export function createLimiter(concurrency: number): Limiter {
  let running = 0
  const waiting: Array<() => void> = []
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (running >= concurrency) await new Promise<void>((resolve) => waiting.push(resolve))
    else running++
    // A woken waiter inherits the finished task's slot, so `running` is unchanged for it.
    try {
      return await task()
    } finally {
      if (waiting.length > 0) waiting.shift()!()
      else running--
    }
  }
}
