/**
 * This node's jobs, live: fetched when the page opens and after each reconnect, then updated by
 * every `job` event (one per change of one job). No polling.
 */
import { useEffect, useState } from 'react'
import type { ApiClient } from '../../../../shared/api/client.ts'
import type { JobSummary } from '../../../../shared/api/compute-schemas.ts'
import { toGridNodeError, type GridNodeError } from '../../../../shared/errors.ts'
import { eventSession, keepConnected } from '../../follow.ts'

export interface JobsState {
  /** By id; null until the first answer. */
  jobs: ReadonlyMap<string, JobSummary> | null
  error: GridNodeError | null
}

export function useJobs(client: ApiClient): JobsState {
  const [state, setState] = useState<JobsState>({ jobs: null, error: null })

  useEffect(() => {
    const stop = new AbortController()
    void keepConnected(
      stop.signal,
      (signal, onConnected) => {
        // Events that arrive before the snapshot are newer than its entries for the same jobs.
        const seen = new Map<string, JobSummary>()
        return eventSession(
          client,
          signal,
          (event) => {
            if (event.type !== 'job') return
            seen.set(event.data.id, event.data)
            setState((state) => (state.jobs === null ? state : { jobs: new Map(state.jobs).set(event.data.id, event.data), error: null }))
          },
          async (snapshotSignal) => {
            const listed = await client.jobs({}, { signal: snapshotSignal })
            onConnected()
            const jobs = new Map(listed.map((job) => [job.id, job]))
            for (const [id, job] of seen) jobs.set(id, job)
            setState({ jobs, error: null })
          },
        )
      },
      (error) => setState((state) => ({ ...state, error: toGridNodeError(error) })),
    )
    return () => stop.abort()
  }, [client])

  return state
}
