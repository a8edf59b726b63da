/**
 * A group's event log while it is shown: fetched when it opens and again after each status change
 * of that group (every update, join step and failover changes its summary).
 */
import type { ApiClient } from '../../../../shared/api/client.ts'
import type { GroupLogEntry } from '../../../../shared/api/group-schemas.ts'
import { GROUP_LOG_LIMIT, GROUP_LOG_REFRESH_DEBOUNCE_MS } from '../../constants.ts'
import { useDebouncedFetch, type FetchState } from '../../hooks/useDebouncedFetch.ts'

/** Entries oldest first. `version` changes whenever the group's summary does: the cue to ask again. */
export function useGroupLog(client: ApiClient, groupId: string, version: string): FetchState<GroupLogEntry[]> {
  return useDebouncedFetch((signal) => client.groupLog({ id: groupId, limit: GROUP_LOG_LIMIT }, { signal }), GROUP_LOG_REFRESH_DEBOUNCE_MS, [client, groupId, version])
}
