/**
 * The data path of mirrored folders (issue 4): what the group protocol (main/groups/) moves.
 *
 *   watcher ──paths──▶ scanner ──manifest──▶ manifest-diff ──changes (chunk ids, bytes)──▶ group
 *                        │ chunker (FastCDC) + folder-crypto (keyed ids, sealing)
 *   backup host: chunk-store (sealed chunks per group, quota)      reader: restore (verify, repair)
 *
 * The primary scans its folder (after starting the watcher), diffs against the last manifest,
 * seals the new chunks with the folder key and sends them with the manifest; backup hosts keep
 * the sealed chunks in their contributed store without being able to read them; members given
 * the folder secret (wrapped to their identity) restore from any copy.
 */
export { createChunker, DEFAULT_CHUNKER_PARAMS } from './chunker.ts'
export type { Chunker, ChunkerInit, ChunkerParams } from './chunker.ts'
export { createChunkStore } from './chunk-store.ts'
export type { ChunkStore, ChunkStoreInit, ChunkStoreUsage, NamespaceUsage } from './chunk-store.ts'
export {
  chunkId,
  createFolderSecret,
  deriveFolderKeys,
  FOLDER_SECRET_BYTES,
  isChunkId,
  openChunk,
  SEAL_OVERHEAD,
  sealChunk,
  unwrapFolderSecret,
  wrapFolderSecret,
} from './folder-crypto.ts'
export type { FolderKeys } from './folder-crypto.ts'
export { assertRelativePath, checkRelativePath, chunkRanges, MANIFEST_VERSION, ManifestSchema, parseManifest, symlinkStaysInside } from './manifest.ts'
export type { ChunkRef, DirEntry, FileEntry, Manifest, ManifestEntry, PathRejection, ScanProblem, ScanProblemCode, SymlinkEntry } from './manifest.ts'
export { diffManifests } from './manifest-diff.ts'
export type { Change, ChangeKind, ManifestDiff } from './manifest-diff.ts'
export { restoreFolder } from './restore.ts'
export type { ChunkSource, RepairedChunk, RestoreFailure, RestoreInit, RestoreProgress, RestoreReport, SourceFailure } from './restore.ts'
export { resolveFolder, scanFolder } from './scanner.ts'
export type { ScanInit, ScannedChunk, ScanResult, ScanStats } from './scanner.ts'
export { createFolderWatcher } from './watcher.ts'
export type { FolderWatcher, FolderWatcherComponents, FolderWatcherInit, RescanRequest } from './watcher.ts'
