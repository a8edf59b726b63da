/**
 * How the UI follows its node without polling: a session is the node's event stream plus a snapshot
 * fetched after subscribing (so no change between the two is missed), and a broken session is
 * started again with capped exponential backoff.
 */
import type { ApiClient } from '../../shared/api/client.ts'
import type { ApiEvent } from '../../shared/api/contract.ts'
import { GridNodeError, toGridNodeError } from '../../shared/errors.ts'
import { reconnectDelayMs, sleep } from './backoff.ts'
import { RECONNECT_STABLE_MS, SNAPSHOT_TIMEOUT_MS } from './constants.ts'

/**
 * Runs `session` again and again until `signal` aborts, reporting each failure. A session calls
 * `onConnected` once it is up; one that lasted RECONNECT_STABLE_MS resets the backoff.
 */
export async function keepConnected(
  signal: AbortSignal,
  session: (signal: AbortSignal, onConnected: () => void) => Promise<void>,
  onFailure: (error: GridNodeError) => void,
): Promise<void> {
  let failures = 0
  while (!signal.aborted) {
    let connectedAt = Number.POSITIVE_INFINITY
    try {
      await session(signal, () => (connectedAt = Date.now()))
    } catch (err) {
      if (signal.aborted) return
      onFailure(toGridNodeError(err))
    }
    if (signal.aborted) return
    // A long session that broke starts over from the base delay; a flapping one keeps backing off.
    if (Date.now() - connectedAt >= RECONNECT_STABLE_MS) failures = 0
    await sleep(reconnectDelayMs(failures), signal)
    failures += 1
  }
}

/**
 * Follows the node's events until the stream breaks (rejects) or `signal` aborts (resolves).
 * `snapshot` runs once the subscription is open, bounded by SNAPSHOT_TIMEOUT_MS.
 */
export async function eventSession(
  client: ApiClient,
  signal: AbortSignal,
  onEvent: (event: ApiEvent) => void,
  snapshot: (signal: AbortSignal) => Promise<void>,
): Promise<void> {
  const session = new AbortController()
  const sessionSignal = AbortSignal.any([signal, session.signal])
  try {
    const stream = client.subscribe(onEvent, sessionSignal).then(() => {
      // A transport that ends quietly must not turn the reconnect loop into a tight one.
      if (!sessionSignal.aborted) throw new GridNodeError('NODE_UNREACHABLE', 'The event stream ended.')
    })
    const timeout = AbortSignal.timeout(SNAPSHOT_TIMEOUT_MS)
    const fetched = snapshot(AbortSignal.any([sessionSignal, timeout])).catch((err: unknown) => {
      if (timeout.aborted) throw new GridNodeError('TIMEOUT', `The node did not answer within ${SNAPSHOT_TIMEOUT_MS / 1000} s.`)
      throw err
    })
    await Promise.all([stream, fetched])
  } finally {
    // Whichever half failed, close the other one too.
    session.abort()
  }
}
