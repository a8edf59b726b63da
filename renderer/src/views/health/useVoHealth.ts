/**
 * The VO's members as the overlay's super-peers see them. A discovery with no requirement returns
 * every live advertisement in their indexes (this node's own excepted); the member list says who
 * should be there, so the ones with no advertisement can be named too.
 */
import { useEffect, useState } from 'react'
import type { ApiClient } from '../../../../shared/api/client.ts'
import type { DiscoverResult, OverlayInfo } from '../../../../shared/api/overlay-schemas.ts'
import type { VoMember } from '../../../../shared/api/vo-schemas.ts'
import { toGridNodeError, type GridNodeError } from '../../../../shared/errors.ts'
import { MEMBERS_REFRESH_DEBOUNCE_MS, VO_HEALTH_REFRESH_MS, VO_HEALTH_WANT } from '../../constants.ts'

export type Candidate = DiscoverResult['candidates'][number]

export interface VoHealthSnapshot {
  candidates: readonly Candidate[]
  members: readonly VoMember[]
  /** When this collection finished (ISO). */
  collectedAt: string
}

export interface VoHealthState {
  /** Null until the first collection; then the latest, kept if a refresh fails. */
  snapshot: VoHealthSnapshot | null
  /** Why the latest collection failed, until one succeeds. */
  error: GridNodeError | null
}

/**
 * Collects when mounted, every VO_HEALTH_REFRESH_MS, and when this node's place in the overlay
 * changes (a new super-peer means a different index to ask). Pushed status objects are new on
 * every event, so the overlay is compared by content: other status changes do not re-collect.
 */
export function useVoHealth(client: ApiClient, overlay: OverlayInfo | null): VoHealthState {
  const [state, setState] = useState<VoHealthState>({ snapshot: null, error: null })
  const overlayKey = JSON.stringify(overlay)

  useEffect(() => {
    const abort = new AbortController()
    // A discovery can wait seconds on its stages; a tick that comes meanwhile is skipped, never stacked.
    let inFlight = false
    const collect = async (): Promise<void> => {
      if (inFlight) return
      inFlight = true
      try {
        const [discovery, members] = await Promise.all([
          client.discover({ want: VO_HEALTH_WANT }, { signal: abort.signal }),
          client.voMembers({}, { signal: abort.signal }),
        ])
        setState({ snapshot: { candidates: discovery.candidates, members, collectedAt: new Date().toISOString() }, error: null })
      } catch (err) {
        if (!abort.signal.aborted) setState((state) => ({ ...state, error: toGridNodeError(err) }))
      } finally {
        inFlight = false
      }
    }
    // Debounced like the member list: joining brings a burst of overlay changes within milliseconds.
    const first = setTimeout(() => void collect(), MEMBERS_REFRESH_DEBOUNCE_MS)
    const every = setInterval(() => void collect(), VO_HEALTH_REFRESH_MS)
    return () => {
      clearTimeout(first)
      clearInterval(every)
      abort.abort()
    }
  }, [client, overlayKey])

  return state
}
