/**
 * A mirrored folder's manifest: what the folder holds at one moment (files with their chunk
 * lists, directories, symlinks that stay inside), keyed by relative POSIX paths. The primary
 * makes it by scanning; backups and readers receive it, so its schema is checked on arrival and
 * every path is checked never to leave the folder (issue 4: names that escape are refused).
 */
import { posix } from 'node:path'
import { z } from 'zod'
import { GridNodeError } from '../../shared/errors.ts'
import { CHUNK_MAX_BYTES } from './constants.ts'
import { isChunkId } from './folder-crypto.ts'

export const MANIFEST_VERSION = 1

export interface ChunkRef {
  /** chunkId(keys, plaintext): 64 hex characters. */
  id: string
  size: number
}

export interface FileEntry {
  kind: 'file'
  path: string
  size: number
  /** Permission bits only (& 0o777): setuid, setgid and sticky bits are never mirrored. */
  mode: number
  mtimeMs: number
  /** Inode on the scanning machine; with size and mtime it lets a rescan trust a file unchanged. */
  ino: number
  chunks: ChunkRef[]
}

export interface DirEntry {
  kind: 'dir'
  path: string
  mode: number
  mtimeMs: number
}

/** A symlink whose target, read relative to the link's folder, stays inside the mirrored folder. */
export interface SymlinkEntry {
  kind: 'symlink'
  path: string
  target: string
  mtimeMs: number
}

export type ManifestEntry = FileEntry | DirEntry | SymlinkEntry

export interface Manifest {
  version: typeof MANIFEST_VERSION
  /** Sorted by path (UTF-16 code unit order), each path once; a folder's parents come before it. */
  entries: ManifestEntry[]
}

/** Why the scanner left a path out (or kept its previous version), for the group's log. */
export type ScanProblemCode =
  /** The name would leave the folder on some system (`..`, absolute, a backslash). */
  | 'PATH_ESCAPE'
  /** The name cannot be carried portably (not UTF-8, or otherwise malformed). */
  | 'PATH_INVALID'
  /** A symlink whose target lies outside the folder (or is absolute): skipped, never followed. */
  | 'SYMLINK_OUTSIDE'
  /** Listed, then gone before it could be read: skipped. */
  | 'VANISHED'
  /** No permission to read it: its previous version, if any, is kept. */
  | 'UNREADABLE'
  /** Kept changing while it was read: its previous version, if any, is kept until it settles. */
  | 'CHANGING'
  /** A socket, FIFO or device: not mirrored. */
  | 'UNSUPPORTED_TYPE'

export interface ScanProblem {
  path: string
  code: ScanProblemCode
  reason: string
}

export interface PathRejection {
  code: 'PATH_ESCAPE' | 'PATH_INVALID'
  reason: string
}

const MAX_PATH_CHARS = 4096

/**
 * Why a manifest path is unacceptable, or undefined if it is a clean relative POSIX path that
 * cannot leave its folder on any system the app runs on.
 */
export function checkRelativePath(path: string): PathRejection | undefined {
  if (path.length === 0) return { code: 'PATH_INVALID', reason: 'the path is empty' }
  if (path.length > MAX_PATH_CHARS) return { code: 'PATH_INVALID', reason: `the path is longer than ${MAX_PATH_CHARS} characters` }
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return { code: 'PATH_ESCAPE', reason: 'the path is absolute' }
  if (path.includes('\\')) return { code: 'PATH_ESCAPE', reason: 'the name contains a backslash, a separator on Windows' }
  if (path.includes('\0')) return { code: 'PATH_INVALID', reason: 'the name contains a NUL character' }
  if (!path.isWellFormed()) return { code: 'PATH_INVALID', reason: 'the name is not valid Unicode' }
  for (const segment of path.split('/')) {
    if (segment === '..') return { code: 'PATH_ESCAPE', reason: 'the path climbs out of the folder with ..' }
    if (segment === '' || segment === '.') return { code: 'PATH_INVALID', reason: 'the path has an empty or "." segment' }
  }
  return undefined
}

/** Throws PATH_ESCAPE or INVALID_INPUT unless checkRelativePath accepts the path. */
export function assertRelativePath(path: string): void {
  const rejection = checkRelativePath(path)
  if (rejection === undefined) return
  throw new GridNodeError(rejection.code === 'PATH_ESCAPE' ? 'PATH_ESCAPE' : 'INVALID_INPUT', `Refused the path ${JSON.stringify(path)}: ${rejection.reason}.`)
}

/** Whether a symlink at `linkPath` with this target stays inside the folder (read lexically: links are never followed). */
export function symlinkStaysInside(linkPath: string, target: string): boolean {
  if (target.length === 0 || posix.isAbsolute(target) || /^[A-Za-z]:/.test(target) || target.includes('\\')) return false
  const resolved = posix.normalize(posix.join(posix.dirname(linkPath), target))
  return resolved !== '..' && !resolved.startsWith('../')
}

export function comparePaths(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** `path` itself, or anything below it. */
export function isAtOrUnder(path: string, root: string): boolean {
  return path === root || path.startsWith(`${root}/`)
}

/** The parents of a relative path, outermost first ('a/b/c' → ['a', 'a/b']). */
export function parentsOf(path: string): string[] {
  const parts = path.split('/')
  return parts.slice(1).map((_, i) => parts.slice(0, i + 1).join('/'))
}

/** Each chunk of a file with its byte offset, e.g. to read one chunk back for sending. */
export function chunkRanges(entry: FileEntry): Array<ChunkRef & { offset: number }> {
  let offset = 0
  return entry.chunks.map((chunk) => {
    const range = { ...chunk, offset }
    offset += chunk.size
    return range
  })
}

const relativePath = z.string().superRefine((path, ctx) => {
  const rejection = checkRelativePath(path)
  if (rejection !== undefined) ctx.addIssue({ code: 'custom', message: `${rejection.code}: ${rejection.reason}` })
})
const size = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER)
const mode = z.number().int().min(0).max(0o777)
const mtimeMs = z.number().finite()
const ChunkRefSchema = z.object({ id: z.string().refine(isChunkId, 'a chunk id'), size: z.number().int().positive().max(CHUNK_MAX_BYTES) })

const EntrySchema = z.discriminatedUnion('kind', [
  z
    .object({ kind: z.literal('file'), path: relativePath, size, mode, mtimeMs, ino: z.number().nonnegative(), chunks: z.array(ChunkRefSchema) })
    .refine((file) => file.chunks.reduce((sum, chunk) => sum + chunk.size, 0) === file.size, 'chunk sizes must add up to the file size'),
  z.object({ kind: z.literal('dir'), path: relativePath, mode, mtimeMs }),
  z
    .object({ kind: z.literal('symlink'), path: relativePath, target: z.string().min(1).max(MAX_PATH_CHARS), mtimeMs })
    .refine((link) => symlinkStaysInside(link.path, link.target), 'the symlink must stay inside the folder'),
])

/** A manifest from the network or disk: every path clean, sorted, unique, under a directory entry. */
export const ManifestSchema = z
  .object({ version: z.literal(MANIFEST_VERSION), entries: z.array(EntrySchema) })
  .superRefine((manifest, ctx) => {
    const dirs = new Set<string>()
    manifest.entries.forEach((entry, i) => {
      const before = manifest.entries[i - 1]
      if (before !== undefined && comparePaths(before.path, entry.path) >= 0) ctx.addIssue({ code: 'custom', message: `entries must be sorted and unique (at ${entry.path})` })
      const parent = posix.dirname(entry.path)
      if (parent !== '.' && !dirs.has(parent)) ctx.addIssue({ code: 'custom', message: `${entry.path} lies in ${parent}, which is not a directory of the manifest` })
      if (entry.kind === 'dir') dirs.add(entry.path)
    })
  })

/** Parses an untrusted manifest; INVALID_INPUT, or PATH_ESCAPE when a path would leave the folder. */
export function parseManifest(value: unknown): Manifest {
  const result = ManifestSchema.safeParse(value)
  if (result.success) return result.data as Manifest
  const first = result.error.issues[0]
  const escape = result.error.issues.some((issue) => issue.message.startsWith('PATH_ESCAPE'))
  throw new GridNodeError(escape ? 'PATH_ESCAPE' : 'INVALID_INPUT', `Refused a folder manifest: ${first?.message ?? 'malformed'} at ${first?.path.join('.') ?? '?'}.`)
}

export function sortEntries(entries: Iterable<ManifestEntry>): ManifestEntry[] {
  return [...entries].sort((a, b) => comparePaths(a.path, b.path))
}
