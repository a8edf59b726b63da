/**
 * The VO's members, fetched when the page opens and again after each status event (members
 * connecting, leaving, revoked all push one), debounced. No polling: no event, no call.
 */
import type { ApiClient } from '../../../../shared/api/client.ts'
import type { Status } from '../../../../shared/api/schemas.ts'
import type { VoMember } from '../../../../shared/api/vo-schemas.ts'
import type { GridNodeError } from '../../../../shared/errors.ts'
import { MEMBERS_REFRESH_DEBOUNCE_MS } from '../../constants.ts'
import { useDebouncedFetch } from '../../hooks/useDebouncedFetch.ts'

export interface VoMembersState {
  /** Null until the first answer; then the latest list, kept if a refresh fails. */
  members: readonly VoMember[] | null
  /** Why the latest refresh failed, until one succeeds. */
  error: GridNodeError | null
}

export function useVoMembers(client: ApiClient, status: Status): VoMembersState {
  const { data, error } = useDebouncedFetch((signal) => client.voMembers({}, { signal }), MEMBERS_REFRESH_DEBOUNCE_MS, [client, status])
  return { members: data, error }
}
