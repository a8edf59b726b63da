/**
 * The node's live status: one snapshot, then the node's `status` events. When the stream breaks the
 * hook reports it and reconnects with capped exponential backoff; it never polls.
 */
import { useEffect, useState } from 'react'
import type { ApiClient } from '../../../shared/api/client.ts'
import type { Status } from '../../../shared/api/schemas.ts'
import { GridNodeError, toGridNodeError } from '../../../shared/errors.ts'
import { reconnectDelayMs, sleep } from '../backoff.ts'
import { RECONNECT_STABLE_MS, STATUS_TIMEOUT_MS } from '../constants.ts'

export interface NodeStatusState {
  /** The latest status, kept while disconnected so the page does not go blank. */
  status: Status | null
  connected: boolean
  /** Why the connection was lost; null while connected or before the first attempt ends. */
  error: GridNodeError | null
}

const INITIAL: NodeStatusState = { status: null, connected: false, error: null }

export function useNodeStatus(client: ApiClient): NodeStatusState {
  const [state, setState] = useState<NodeStatusState>(INITIAL)

  useEffect(() => {
    const stop = new AbortController()
    void follow(client, stop.signal, setState)
    return () => stop.abort()
  }, [client])

  return state
}

type Update = (change: (state: NodeStatusState) => NodeStatusState) => void

async function follow(client: ApiClient, signal: AbortSignal, update: Update): Promise<void> {
  let failures = 0
  while (!signal.aborted) {
    let connectedAt = Number.POSITIVE_INFINITY
    try {
      await connectOnce(client, signal, update, () => (connectedAt = Date.now()))
    } catch (err) {
      if (signal.aborted) return
      update((state) => ({ ...state, connected: false, error: toGridNodeError(err) }))
    }
    if (signal.aborted) return
    // A long session that broke starts over from the base delay; a flapping one keeps backing off.
    if (Date.now() - connectedAt >= RECONNECT_STABLE_MS) failures = 0
    await sleep(reconnectDelayMs(failures), signal)
    failures += 1
  }
}

/** Follows the node until the connection breaks (rejects) or `signal` aborts (resolves). */
async function connectOnce(client: ApiClient, signal: AbortSignal, update: Update, onConnected: () => void): Promise<void> {
  const session = new AbortController()
  const sessionSignal = AbortSignal.any([signal, session.signal])
  let sawEvent = false
  try {
    // Subscribe before asking for the snapshot so no change between the two is missed; an event
    // that arrives first is newer than the snapshot, which is then dropped.
    const stream = client
      .subscribe((event) => {
        if (event.type !== 'status') return
        sawEvent = true
        update((state) => ({ ...state, status: event.data }))
      }, sessionSignal)
      .then(() => {
        // A transport that ends quietly must not turn the reconnect loop into a tight one.
        if (!sessionSignal.aborted) throw new GridNodeError('NODE_UNREACHABLE', 'The event stream ended.')
      })
    const timeout = AbortSignal.timeout(STATUS_TIMEOUT_MS)
    const snapshot = client.status({}, { signal: AbortSignal.any([sessionSignal, timeout]) }).then(
      (status) => {
        onConnected()
        update((state) => ({ status: sawEvent ? state.status : status, connected: true, error: null }))
      },
      (err: unknown) => {
        if (timeout.aborted) throw new GridNodeError('TIMEOUT', `The node did not answer within ${STATUS_TIMEOUT_MS / 1000} s.`)
        throw err
      },
    )
    await Promise.all([stream, snapshot])
  } finally {
    // Whichever half failed, close the other one too.
    session.abort()
  }
}
