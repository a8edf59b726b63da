/**
 * The VO's members, fetched when the page opens and again after each status event (members
 * connecting, leaving, revoked all push one), debounced. No polling: no event, no call.
 */
import { useEffect, useState } from 'react'
import type { ApiClient } from '../../../../shared/api/client.ts'
import type { Status } from '../../../../shared/api/schemas.ts'
import type { VoMember } from '../../../../shared/api/vo-schemas.ts'
import { toGridNodeError, type GridNodeError } from '../../../../shared/errors.ts'
import { MEMBERS_REFRESH_DEBOUNCE_MS } from '../../constants.ts'

export interface VoMembersState {
  /** Null until the first answer; then the latest list, kept if a refresh fails. */
  members: readonly VoMember[] | null
  /** Why the latest refresh failed, until one succeeds. */
  error: GridNodeError | null
}

export function useVoMembers(client: ApiClient, status: Status): VoMembersState {
  const [state, setState] = useState<VoMembersState>({ members: null, error: null })

  useEffect(() => {
    const abort = new AbortController()
    // A newer status supersedes this one: its timer is cleared or its call aborted, and the next one asks again.
    const timer = setTimeout(() => {
      client.voMembers({}, { signal: abort.signal }).then(
        (members) => setState({ members, error: null }),
        (err: unknown) => {
          if (!abort.signal.aborted) setState((state) => ({ ...state, error: toGridNodeError(err) }))
        },
      )
    }, MEMBERS_REFRESH_DEBOUNCE_MS)
    return () => {
      clearTimeout(timer)
      abort.abort()
    }
  }, [client, status])

  return state
}
