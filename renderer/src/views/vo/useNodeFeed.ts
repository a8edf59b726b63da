/**
 * One value the node pushes as an event (the VOs nearby, the join requests): fetched when the page
 * opens and again after each reconnect, then replaced by every event of its type. No polling.
 */
import { useEffect, useState } from 'react'
import type { ApiClient } from '../../../../shared/api/client.ts'
import type { ApiEvent } from '../../../../shared/api/contract.ts'
import { toGridNodeError, type GridNodeError } from '../../../../shared/errors.ts'
import { eventSession, keepConnected } from '../../follow.ts'

export interface FeedState<D> {
  /** Null until the first answer; then the latest value. */
  data: D | null
  /** Why the latest fetch failed, until one succeeds. */
  error: GridNodeError | null
}

/** `fetch` asks for what events of `type` carry. */
export function useNodeFeed<D>(client: ApiClient, type: ApiEvent['type'], fetch: (signal: AbortSignal) => Promise<D>): FeedState<D> {
  const [state, setState] = useState<FeedState<D>>({ data: null, error: null })

  useEffect(() => {
    const stop = new AbortController()
    void keepConnected(
      stop.signal,
      (signal, onConnected) => {
        // An event that arrives before the snapshot is newer than it: the snapshot is then dropped.
        let sawEvent = false
        return eventSession(
          client,
          signal,
          (event) => {
            if (event.type !== type) return
            sawEvent = true
            setState({ data: event.data as D, error: null })
          },
          async (snapshotSignal) => {
            const data = await fetch(snapshotSignal)
            onConnected()
            if (!sawEvent) setState({ data, error: null })
          },
        )
      },
      (error) => setState((state) => ({ ...state, error: toGridNodeError(error) })),
    )
    return () => stop.abort()
    // Not `fetch`: callers pass a new function each render; the client and the type say what is followed.
  }, [client, type])

  return state
}
