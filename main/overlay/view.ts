/**
 * Who leads each group, as far as this node knows: the super-peers of its region by sub-grid, or
 * the region peers by region. Views travel on heartbeats and announcements and are merged entry by
 * entry, the newer term winning, so late or reordered copies never roll one back. The entry for
 * a group whose election this node runs is not merged but set from that election's result: the
 * election has heard the group's leaders first-hand, which second-hand copies cannot overrule.
 */
import type { PeerId } from './core.ts'
import type { ViewEntry } from './messages.ts'

export interface LeaderView {
  /** Merges entries; returns the entries that changed (with the peer they replaced, if any). */
  merge(entries: Iterable<ViewEntry>): Array<{ entry: ViewEntry; replaced: PeerId | null }>
  /** Sets `entry.group`'s entry whatever its term; returns whether it changed. */
  set(entry: ViewEntry): boolean
  get(group: string): ViewEntry | undefined
  /** Drops `group`'s entry if it names `peer` (a claim its holder no longer makes). */
  forget(group: string, peer: PeerId): void
  entries(): ViewEntry[]
}

export function createLeaderView(): LeaderView {
  const byGroup = new Map<string, ViewEntry>()
  return {
    merge(entries) {
      const changed: Array<{ entry: ViewEntry; replaced: PeerId | null }> = []
      for (const entry of entries) {
        const current = byGroup.get(entry.group)
        // Same term, other peer: concurrent leaders of one term; the first seen stays until a newer term settles it.
        if (current !== undefined && current.term >= entry.term) continue
        byGroup.set(entry.group, { group: entry.group, peer: entry.peer, term: entry.term })
        changed.push({ entry, replaced: current === undefined || current.peer === entry.peer ? null : current.peer })
      }
      return changed
    },
    set(entry) {
      const current = byGroup.get(entry.group)
      if (current?.peer === entry.peer && current.term === entry.term) return false
      byGroup.set(entry.group, { group: entry.group, peer: entry.peer, term: entry.term })
      return true
    },
    get: (group) => byGroup.get(group),
    forget(group, peer) {
      if (byGroup.get(group)?.peer === peer) byGroup.delete(group)
    },
    entries: () => [...byGroup.values()],
  }
}
