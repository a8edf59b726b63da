/**
 * What one group update carries for a mirrored folder, and the folder's manifest as chunks.
 *
 * Backup hosts must not read a folder, not even its file names, so the manifest travels like the
 * data: serialised one entry per line, cut by FastCDC (an edit changes one or two pieces, not the
 * whole manifest) and sealed piece by piece with the folder key. An update's payload names only
 * opaque chunk ids: the chunks it adds to the folder's reference set (data and manifest pieces),
 * the ones it no longer references, and — in the last update of a change — the manifest's pieces.
 * Large changes are split into several updates of at most UPDATE_MAX_REFS ids, so each stays a
 * small message; the manifest switches only in the last one, after every chunk it needs, and the
 * chunks it stops referencing are dropped only then, so every copy's manifest is restorable at
 * every step.
 */
import { z } from 'zod'
import { createChunker } from '../chunker.ts'
import { CHUNK_MAX_BYTES } from '../constants.ts'
import { chunkId, isChunkId, SEAL_OVERHEAD, type FolderKeys } from '../folder-crypto.ts'
import { parseManifest, type ChunkRef, type Manifest } from '../manifest.ts'
import { MANIFEST_MAX_PIECES, UPDATE_MAX_REFS } from './constants.ts'

const id = z.string().refine(isChunkId, 'a chunk id')
const count = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER)
export const ChunkRefSchema = z.object({ id, size: z.number().int().positive().max(CHUNK_MAX_BYTES) })

/** The folder's manifest as of an update: its sealed pieces in order, and what it holds. */
export const ManifestRefSchema = z.object({ pieces: z.array(ChunkRefSchema).min(1).max(MANIFEST_MAX_PIECES), files: count, bytes: count })
export type ManifestRef = z.infer<typeof ManifestRefSchema>

export const UpdatePayloadSchema = z.object({
  v: z.literal(1),
  /** Chunks the folder references from this update on, that it did not before. */
  add: z.array(ChunkRefSchema).max(UPDATE_MAX_REFS),
  /** Chunk ids the folder no longer references. */
  drop: z.array(id).max(UPDATE_MAX_REFS),
  /** The manifest from this update on, or null when it is unchanged (an update that only brings chunks). */
  manifest: ManifestRefSchema.nullable(),
  /** Files this update touches (progress: files to go). */
  files: count,
})
export type UpdatePayload = z.infer<typeof UpdatePayloadSchema>

/** Bytes a chunk of `size` plaintext bytes takes sealed (on the wire and in a store). */
export const sealedSize = (size: number): number => size + SEAL_OVERHEAD

export interface ManifestPiece {
  ref: ChunkRef
  plaintext: Uint8Array
}

const MANIFEST_HEADER = (manifest: Manifest) => JSON.stringify({ version: manifest.version })

/** The manifest serialised one entry per line and cut into content-defined pieces, each named by its keyed id. */
export function manifestPieces(keys: FolderKeys, manifest: Manifest): ManifestPiece[] {
  const text = [MANIFEST_HEADER(manifest), ...manifest.entries.map((entry) => JSON.stringify(entry))].join('\n')
  const bytes = Buffer.from(text, 'utf8')
  const chunker = createChunker()
  const pieces: ManifestPiece[] = []
  for (let start = 0; start < bytes.length; ) {
    const length = chunker.cut(bytes, start, bytes.length - start)
    const plaintext = bytes.subarray(start, start + length)
    pieces.push({ ref: { id: chunkId(keys, plaintext), size: length }, plaintext })
    start += length
  }
  return pieces
}

/** The manifest from its opened pieces, checked like any manifest from the network. */
export function manifestFromPieces(plaintexts: readonly Uint8Array[]): Manifest {
  const lines = Buffer.concat(plaintexts).toString('utf8').split('\n')
  const header = JSON.parse(lines[0] ?? '{}') as { version?: unknown }
  return parseManifest({ version: header.version, entries: lines.slice(1).map((line) => JSON.parse(line) as unknown) })
}

/** Every chunk a manifest needs a copy to hold: its files' chunks and its own pieces, by id. */
export function referencedChunks(manifest: Manifest, pieces: readonly ChunkRef[]): Map<string, number> {
  const refs = new Map<string, number>()
  for (const entry of manifest.entries) if (entry.kind === 'file') for (const chunk of entry.chunks) refs.set(chunk.id, chunk.size)
  for (const piece of pieces) refs.set(piece.id, piece.size)
  return refs
}

export function manifestStats(manifest: Manifest): { files: number; bytes: number } {
  let files = 0
  let bytes = 0
  for (const entry of manifest.entries) {
    if (entry.kind !== 'file') continue
    files++
    bytes += entry.size
  }
  return { files, bytes }
}

/**
 * The updates that take a copy from the reference set `before` to `after` (whose manifest is
 * `manifest`): chunks to add in batches first, then the manifest with the first drops, then any
 * drops left. `files` is how many files the change touches, counted on the update that switches.
 */
export function planUpdates(
  before: ReadonlyMap<string, number>,
  after: ReadonlyMap<string, number>,
  manifest: ManifestRef,
  files: number,
  /** Chunks referenced before and after that copies must fetch again (they were answered "gone" meanwhile). */
  readd: ReadonlySet<string> = new Set(),
): UpdatePayload[] {
  const pieceIds = new Set(manifest.pieces.map((piece) => piece.id))
  // Data first, the manifest's own pieces last: they land in the update that switches to them.
  const add = [...after].filter(([chunk]) => !before.has(chunk) || readd.has(chunk)).sort(([a], [b]) => Number(pieceIds.has(a)) - Number(pieceIds.has(b)))
  const drop = [...before.keys()].filter((chunk) => !after.has(chunk))
  const updates: UpdatePayload[] = []
  let at = 0
  while (add.length - at > UPDATE_MAX_REFS) {
    updates.push({ v: 1, add: add.slice(at, at + UPDATE_MAX_REFS).map(([chunk, size]) => ({ id: chunk, size })), drop: [], manifest: null, files: 0 })
    at += UPDATE_MAX_REFS
  }
  const last = add.slice(at).map(([chunk, size]) => ({ id: chunk, size }))
  updates.push({ v: 1, add: last, drop: drop.slice(0, UPDATE_MAX_REFS - last.length), manifest, files })
  for (let from = UPDATE_MAX_REFS - last.length; from < drop.length; from += UPDATE_MAX_REFS) {
    updates.push({ v: 1, add: [], drop: drop.slice(from, from + UPDATE_MAX_REFS), manifest: null, files: 0 })
  }
  return updates
}
