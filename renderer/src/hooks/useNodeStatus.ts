/**
 * The node's live status: one snapshot, then the node's `status` events. When the stream breaks the
 * hook reports it and reconnects with capped exponential backoff; it never polls.
 */
import { useEffect, useState } from 'react'
import type { ApiClient } from '../../../shared/api/client.ts'
import type { Status } from '../../../shared/api/schemas.ts'
import type { GridNodeError } from '../../../shared/errors.ts'
import { eventSession, keepConnected } from '../follow.ts'

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
    void keepConnected(
      stop.signal,
      (signal, onConnected) => followStatus(client, signal, setState, onConnected),
      (error) => setState((state) => ({ ...state, connected: false, error })),
    )
    return () => stop.abort()
  }, [client])

  return state
}

type Update = (change: (state: NodeStatusState) => NodeStatusState) => void

function followStatus(client: ApiClient, signal: AbortSignal, update: Update, onConnected: () => void): Promise<void> {
  // An event that arrives before the snapshot is newer than it: the snapshot is then dropped.
  let sawEvent = false
  return eventSession(
    client,
    signal,
    (event) => {
      if (event.type !== 'status') return
      sawEvent = true
      update((state) => ({ ...state, status: event.data }))
    },
    async (snapshotSignal) => {
      const status = await client.status({}, { signal: snapshotSignal })
      onConnected()
      update((state) => ({ status: sawEvent ? state.status : status, connected: true, error: null }))
    },
  )
}
