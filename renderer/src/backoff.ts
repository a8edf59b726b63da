import { RECONNECT_BASE_MS, RECONNECT_MAX_MS } from './constants.ts'

/**
 * Delay before reconnection attempt `attempt` (0-based): doubling up to the cap, with the upper half
 * randomised so many windows of one node restarting do not reconnect in lockstep.
 */
export function reconnectDelayMs(attempt: number): number {
  const ceiling = Math.min(RECONNECT_MAX_MS, RECONNECT_BASE_MS * 2 ** attempt)
  return ceiling / 2 + Math.random() * (ceiling / 2)
}

/** Resolves after `ms`, or as soon as `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms)
    signal.addEventListener('abort', done, { once: true })
    function done(): void {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
  })
}
