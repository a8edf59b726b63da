/**
 * Who leads each group, as far as this node knows: the super-peers of its region by sub-grid, or
 * the region peers by region. Views travel on heartbeats and announcements and are merged entry by
 * entry, the newer term winning, so late or reordered copies never roll one back.
 */
import type { PeerId } from './core.ts'
import type { ViewEntry } from './messages.ts'

export interface LeaderView {
  /** Merges entries; returns the entries that changed (with the peer they replaced, if any). */
  merge(entries: Iterable<ViewEntry>): Array<{ entry: ViewEntry; replaced: PeerId | null }>
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
    get: (group) => byGroup.get(group),
    forget(group, peer) {
      if (byGroup.get(group)?.peer === peer) byGroup.delete(group)
    },
    entries: () => [...byGroup.values()],
  }
}
