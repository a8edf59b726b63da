/**
 * What the Folders page says about a shared folder's copies: each copy's state in words, how far
 * its progress bars have filled, and the headline of how many copies are in sync.
 */
import type { GroupCopy, GroupSummary } from '../../../../shared/api/group-schemas.ts'
import { formatBytes } from '../../format.ts'

/** "1 file", "120 files". */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString('en')} ${count === 1 ? one : many}`
}

/** "in sync", "behind by 3 updates · 2.1 MB", "filling: 40 MB and 120 files to go", "failed: disk full". */
export function copyInWords(copy: GroupCopy): string {
  switch (copy.state) {
    case 'in-sync':
      return 'in sync'
    case 'behind':
      return `behind by ${plural(copy.behindUpdates, 'update')}${copy.behindBytes > 0 ? ` · ${formatBytes(copy.behindBytes)}` : ''}`
    case 'filling':
      return `filling: ${formatBytes(copy.behindBytes)} and ${plural(copy.behindFiles, 'file')} to go`
    case 'failed':
      return copy.reason === null ? 'failed' : `failed: ${copy.reason}`
  }
}

export interface CopyProgress {
  /** Shares (0…1) of the folder's bytes and files this copy already holds. */
  bytes: number
  files: number
}

/**
 * How full a copy's two bars are: what it still lacks against what the folder holds. A copy in
 * sync is full whatever the counters say; one that lacks something is never drawn full, however
 * small the rest (a rounding "100%" next to "behind" would contradict itself).
 */
export function copyProgress(copy: GroupCopy, group: Pick<GroupSummary, 'bytes' | 'files'>): CopyProgress {
  if (copy.state === 'in-sync') return { bytes: 1, files: 1 }
  return { bytes: share(copy.behindBytes, group.bytes), files: share(copy.behindFiles, group.files) }
}

/** Under each bar: what the copy still lacks, or the folder's total once it lacks nothing there; null for a failed copy (unknown). */
export function barLabels(copy: GroupCopy, group: Pick<GroupSummary, 'bytes' | 'files'>): { bytes: string; files: string } | null {
  if (copy.state === 'failed') return null
  const done = copy.state === 'in-sync'
  return {
    bytes: done || copy.behindBytes === 0 ? formatBytes(group.bytes) : `${formatBytes(copy.behindBytes)} to go`,
    files: done || copy.behindFiles === 0 ? plural(group.files, 'file') : `${plural(copy.behindFiles, 'file')} to go`,
  }
}

/** Share done, given what is to go out of a total; to-go can exceed the total (deletions, rewrites). */
function share(toGo: number, total: number): number {
  if (toGo <= 0) return 1
  if (total <= 0 || toGo >= total) return 0
  return Math.min(1 - toGo / total, MAX_UNFINISHED)
}

/** The fullest a bar gets while anything is still to go. */
const MAX_UNFINISHED = 0.99

export type SyncHealth = 'complete' | 'syncing' | 'degraded'

export interface SyncHeadline {
  /** "2 of 2 copies in sync". */
  text: string
  health: SyncHealth
}

/**
 * The group's headline: complete with every wanted copy in sync; syncing while the missing ones
 * are being filled or catching up; degraded when one failed or has no host.
 */
export function syncHeadline(group: Pick<GroupSummary, 'copies' | 'inSync' | 'backups'>): SyncHeadline {
  const text = `${group.inSync} of ${plural(group.copies, 'copy', 'copies')} in sync`
  if (group.inSync >= group.copies) return { text, health: 'complete' }
  const working = group.backups.filter((copy) => copy.host !== null && (copy.state === 'behind' || copy.state === 'filling')).length
  return { text, health: group.inSync + working >= group.copies ? 'syncing' : 'degraded' }
}
