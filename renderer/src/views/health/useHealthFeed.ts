/**
 * Feeds a HealthStore from the node: the second-resolution history, then the node's `health`
 * events (one a second). After a reconnect only what was missed is fetched (`since`). The day's
 * per-minute history is fetched only once someone asks for it.
 */
import { useEffect, useMemo, useState } from 'react'
import type { ApiClient } from '../../../../shared/api/client.ts'
import { eventSession, keepConnected } from '../../follow.ts'
import { HealthStore } from './health-store.ts'

export interface HealthFeed {
  store: HealthStore
  /** Fetches the per-minute history (the day range); later minutes come from live samples. */
  loadMinutes(signal: AbortSignal): Promise<void>
}

export function useHealthFeed(client: ApiClient): HealthFeed {
  const [store] = useState(() => new HealthStore())

  useEffect(() => {
    const stop = new AbortController()
    void keepConnected(
      stop.signal,
      (signal, onConnected) =>
        eventSession(
          client,
          signal,
          (event) => {
            if (event.type === 'health') store.addLive(event.data)
          },
          async (snapshotSignal) => {
            const catchUp = [fetchHistory(client, store, 'second', snapshotSignal)]
            if (store.hasMinutes) catchUp.push(fetchHistory(client, store, 'minute', snapshotSignal))
            await Promise.all(catchUp)
            onConnected()
          },
        ),
      // The app's own status stream shows the lost connection; the charts just stay as they were.
      () => undefined,
    )
    return () => stop.abort()
  }, [client, store])

  // Stable across renders, so effects that depend on the feed do not restart.
  return useMemo(() => ({ store, loadMinutes: (signal: AbortSignal) => fetchHistory(client, store, 'minute', signal) }), [client, store])
}

async function fetchHistory(client: ApiClient, store: HealthStore, resolution: 'second' | 'minute', signal: AbortSignal): Promise<void> {
  const since = store.since(resolution)
  store.addHistory(await client.health(since === undefined ? { resolution } : { resolution, since }, { signal }))
}
