/**
 * One answer of the node, fetched when a page opens and again whenever `deps` change, a moment
 * after the last change of a burst (one join or one update pushes several status events within
 * milliseconds: one call, not three). A newer change aborts the call still under way. No polling.
 */
import { useEffect, useState, type DependencyList } from 'react'
import { toGridNodeError, type GridNodeError } from '../../../shared/errors.ts'

export interface FetchState<D> {
  /** Null until the first answer; then the latest, kept if a refresh fails. */
  data: D | null
  /** Why the latest refresh failed, until one succeeds. */
  error: GridNodeError | null
}

export function useDebouncedFetch<D>(fetch: (signal: AbortSignal) => Promise<D>, delayMs: number, deps: DependencyList): FetchState<D> {
  const [state, setState] = useState<FetchState<D>>({ data: null, error: null })

  useEffect(() => {
    const abort = new AbortController()
    const timer = setTimeout(() => {
      fetch(abort.signal).then(
        (data) => setState({ data, error: null }),
        (err: unknown) => {
          if (!abort.signal.aborted) setState((state) => ({ ...state, error: toGridNodeError(err) }))
        },
      )
    }, delayMs)
    return () => {
      clearTimeout(timer)
      abort.abort()
    }
    // `fetch` is a new function each render; `deps` say what it depends on.
  }, [delayMs, ...deps])

  return state
}
