/**
 * The changes between two manifests of a folder, in an order a copy can apply them one by one:
 * directories before what goes in them, renames before the deletions they rescue content from,
 * contents before their folders' deletion, and times of directories last (writing into a folder
 * moves its mtime). Each change says which chunks it needs that the copy does not have yet and how
 * many bytes they are, which is what "behind by N updates and B bytes" counts.
 */
import type { ChunkRef, FileEntry, Manifest, ManifestEntry } from './manifest.ts'
import { comparePaths } from './manifest.ts'

export type ChangeKind =
  /** A path that did not exist. */
  | 'add'
  /** New content at a path (or a different kind of entry: a folder replaced by a file). */
  | 'modify'
  /** A file moved from `from` to `path` with the same content; its metadata may have changed too. */
  | 'rename'
  /** Only mode or mtime changed. */
  | 'meta'
  | 'delete'

export interface Change {
  kind: ChangeKind
  path: string
  /** The old path of a rename. */
  from?: string
  /** The entry as it is now; absent for a delete. */
  entry?: ManifestEntry
  /** Chunks this change needs that the previous manifest and the earlier changes do not provide. */
  newChunks: ChunkRef[]
  /** Total size of newChunks. */
  bytes: number
}

export interface ManifestDiff {
  changes: Change[]
  /** Distinct chunks to transfer for the whole list. */
  chunks: number
  bytes: number
}

/** Application order; within a rank, by path (reversed where children must go first). */
const RANK = {
  makeDir: 0,
  rename: 1,
  write: 2,
  deleteLeaf: 3,
  deleteDir: 4,
  replaceDir: 5,
  metaLeaf: 6,
  metaDir: 7,
} as const
type Rank = (typeof RANK)[keyof typeof RANK]
const CHILDREN_FIRST: ReadonlySet<Rank> = new Set([RANK.deleteDir, RANK.metaDir])

const sameChunks = (a: FileEntry, b: FileEntry) => a.size === b.size && a.chunks.length === b.chunks.length && a.chunks.every((chunk, i) => chunk.id === b.chunks[i]!.id)
const contentKey = (file: FileEntry) => file.chunks.map((chunk) => chunk.id).join(',')

function contentChanged(before: ManifestEntry, after: ManifestEntry): boolean {
  if (before.kind !== after.kind) return true
  if (before.kind === 'file') return !sameChunks(before, after as FileEntry)
  if (before.kind === 'symlink') return before.target !== (after as typeof before).target
  return false
}

function metaChanged(before: ManifestEntry, after: ManifestEntry): boolean {
  if (before.mtimeMs !== after.mtimeMs) return true
  return before.kind !== 'symlink' && after.kind !== 'symlink' && before.mode !== after.mode
}

export function diffManifests(previous: Manifest | undefined, next: Manifest): ManifestDiff {
  const before = new Map((previous?.entries ?? []).map((entry) => [entry.path, entry]))
  const after = new Map(next.entries.map((entry) => [entry.path, entry]))
  const ranked: Array<{ rank: Rank; change: Omit<Change, 'newChunks' | 'bytes'> }> = []

  // Files that disappeared, by content, to be claimed by an added file with the same chunks.
  const vanished = new Map<string, string[]>()
  for (const entry of previous?.entries ?? []) {
    if (after.has(entry.path)) continue
    if (entry.kind === 'file' && entry.size > 0) vanished.set(contentKey(entry), [...(vanished.get(contentKey(entry)) ?? []), entry.path])
  }
  const renamedFrom = new Set<string>()

  for (const entry of next.entries) {
    const old = before.get(entry.path)
    if (old === undefined) {
      const source = entry.kind === 'file' ? vanished.get(contentKey(entry))?.shift() : undefined
      if (source !== undefined) {
        renamedFrom.add(source)
        ranked.push({ rank: RANK.rename, change: { kind: 'rename', path: entry.path, from: source, entry } })
      } else {
        ranked.push({ rank: entry.kind === 'dir' ? RANK.makeDir : RANK.write, change: { kind: 'add', path: entry.path, entry } })
      }
    } else if (contentChanged(old, entry)) {
      const rank = entry.kind === 'dir' ? RANK.makeDir : old.kind === 'dir' ? RANK.replaceDir : RANK.write
      ranked.push({ rank, change: { kind: 'modify', path: entry.path, entry } })
    } else if (metaChanged(old, entry)) {
      ranked.push({ rank: entry.kind === 'dir' ? RANK.metaDir : RANK.metaLeaf, change: { kind: 'meta', path: entry.path, entry } })
    }
  }
  for (const entry of previous?.entries ?? []) {
    if (after.has(entry.path) || renamedFrom.has(entry.path)) continue
    ranked.push({ rank: entry.kind === 'dir' ? RANK.deleteDir : RANK.deleteLeaf, change: { kind: 'delete', path: entry.path } })
  }

  ranked.sort((a, b) => a.rank - b.rank || (CHILDREN_FIRST.has(a.rank) ? -1 : 1) * comparePaths(a.change.path, b.change.path))

  const known = new Set<string>()
  for (const entry of previous?.entries ?? []) if (entry.kind === 'file') for (const chunk of entry.chunks) known.add(chunk.id)
  let chunks = 0
  let bytes = 0
  const changes = ranked.map(({ change }): Change => {
    const newChunks: ChunkRef[] = []
    if (change.entry?.kind === 'file' && change.kind !== 'rename') {
      for (const chunk of change.entry.chunks) {
        if (known.has(chunk.id)) continue
        known.add(chunk.id)
        newChunks.push(chunk)
      }
    }
    const changeBytes = newChunks.reduce((sum, chunk) => sum + chunk.size, 0)
    chunks += newChunks.length
    bytes += changeBytes
    return { ...change, newChunks, bytes: changeBytes }
  })
  return { changes, chunks, bytes }
}
