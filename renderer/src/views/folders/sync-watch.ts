/**
 * Notices a copy falling out of sync by comparing the node's successive `status.groups`. Every
 * edit puts copies behind for a moment (the goal: acknowledged within a second), so a
 * copy counts as fallen once it failed, lost its host, or stayed out of sync for a grace period
 * after having been in sync. A copy still being filled for the first time never alarms.
 * Pure: the caller passes the time and re-checks at `nextCheckAt` when no status arrives.
 */
import type { GroupCopy, GroupSummary } from '../../../../shared/api/group-schemas.ts'

interface CopyWatch {
  /** Seen in sync since it was last reported, so leaving sync is news. */
  wasInSync: boolean
  /** When it was first seen out of sync in the current stretch (ms), null while in sync. */
  outSince: number | null
  alerted: boolean
}

/** What the watcher remembers between two looks: per copy, keyed by group and host. */
export type SyncWatch = ReadonlyMap<string, CopyWatch>

export interface SyncAlert {
  /** Stable per group and copy: a later recovery names it. */
  key: string
  groupId: string
  groupName: string
  /** The host whose copy fell out of sync. */
  host: string
  /** The copy now, or null when its host no longer holds one. */
  copy: GroupCopy | null
  /** When it was noticed (ms). */
  at: number
}

export interface SyncLook {
  watch: SyncWatch
  /** Copies that fell out of sync since the last look. */
  fell: SyncAlert[]
  /** Keys of alerted copies that are in sync again. */
  recovered: string[]
  /** When to look again if no status comes first (ms), or null when nothing is pending. */
  nextCheckAt: number | null
}

export const EMPTY_WATCH: SyncWatch = new Map()

/**
 * Only the node that sequences the folder's updates knows how far each copy is: the owner, or a
 * backup acting as primary after a failover. Other members' views of the copies may lag.
 */
function watched(group: GroupSummary, selfId: string): boolean {
  return group.role === 'primary' || group.primary === selfId
}

const keyOf = (groupId: string, host: string): string => `${groupId}\u0000${host}`

export function lookAtGroups(previous: SyncWatch, groups: readonly GroupSummary[], selfId: string, now: number, graceMs: number): SyncLook {
  const watch = new Map<string, CopyWatch>()
  const fell: SyncAlert[] = []
  const recovered: string[] = []
  let nextCheckAt: number | null = null
  const alert = (group: GroupSummary, host: string, copy: GroupCopy | null): void => {
    fell.push({ key: keyOf(group.id, host), groupId: group.id, groupName: group.name, host, copy, at: now })
  }

  for (const group of groups) {
    if (!watched(group, selfId)) continue
    const present = new Set<string>()
    for (const copy of group.backups) {
      // A copy waiting for a host is the recruitment that follows a lost one, which was reported then.
      if (copy.host === null) continue
      const key = keyOf(group.id, copy.host)
      present.add(key)
      const before = previous.get(key)
      if (copy.state === 'in-sync') {
        if (before?.alerted === true) recovered.push(key)
        watch.set(key, { wasInSync: true, outSince: null, alerted: false })
        continue
      }
      const next = { wasInSync: before?.wasInSync ?? false, outSince: before?.outSince ?? now, alerted: before?.alerted ?? false }
      if (next.wasInSync && !next.alerted) {
        const due = next.outSince + graceMs
        if (copy.state === 'failed' || now >= due) {
          alert(group, copy.host, copy)
          next.alerted = true
        } else {
          nextCheckAt = nextCheckAt === null ? due : Math.min(nextCheckAt, due)
        }
      }
      watch.set(key, next)
    }
    // A host that held an in-sync copy and is gone from the backups without a word is news too.
    const prefix = keyOf(group.id, '')
    for (const [key, before] of previous) {
      if (key.startsWith(prefix) && !present.has(key) && before.wasInSync && !before.alerted) alert(group, key.slice(prefix.length), null)
    }
  }
  return { watch, fell, recovered, nextCheckAt }
}
