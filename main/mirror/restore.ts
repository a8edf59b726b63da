/**
 * Restores a mirrored folder from its manifest into an empty folder: every chunk fetched from the
 * first copy that has it intact (opened and its id checked), repaired from the next copy when one
 * is corrupt or missing, every file written whole under a temporary name and then renamed into
 * place with its mode and mtime, so the result is byte-identical to the scanned folder (content,
 * size, mode, and mtime within a microsecond, as Node sets times; directories and inside symlinks
 * too).
 *
 * Files are written without an fsync each (thousands of small files would take minutes): a
 * restore cut short by a crash leaves whole files only, and is run again into an empty folder.
 */
import { randomBytes } from 'node:crypto'
import { chmod, lutimes, mkdir, open, readdir, rename, rm, stat, symlink, utimes } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { GridNodeError, toGridNodeError, type ErrorCode } from '../../shared/errors.ts'
import { RESTORE_CHUNK_WINDOW, RESTORE_FILE_CONCURRENCY } from './constants.ts'
import { openChunk, type FolderKeys } from './folder-crypto.ts'
import { createLimiter } from './limiter.ts'
import { parseManifest, type FileEntry, type Manifest } from './manifest.ts'

/** One copy of the folder's chunks: a backup host, the primary, or a local store. */
export interface ChunkSource {
  /** Names the copy in the report, e.g. its host's peer id. */
  name: string
  /** The sealed chunk, or undefined if this copy lacks it. May throw (host unreachable): the next copy is tried. */
  getChunk(id: string, signal?: AbortSignal): Promise<Uint8Array | undefined>
}

export interface RestoreProgress {
  files: number
  bytes: number
}

export interface RestoreInit {
  manifest: Manifest
  keys: FolderKeys
  /** Copies in the order to try them. */
  sources: readonly ChunkSource[]
  /** An empty or missing folder; DEST_NOT_EMPTY otherwise. */
  dest: string
  /** After each file written. */
  onProgress?: (progress: RestoreProgress) => void
  signal?: AbortSignal
}

export interface SourceFailure {
  source: string
  /** CHUNK_CORRUPT, CHUNK_MISSING, or the code of the source's own failure. */
  code: ErrorCode
  reason: string
}

export interface RepairedChunk {
  id: string
  /** The first file that needed it. */
  path: string
  /** The copy it finally came from. */
  source: string
  failures: SourceFailure[]
}

export interface RestoreFailure {
  path: string
  code: ErrorCode
  reason: string
}

export interface RestoreReport {
  files: number
  dirs: number
  symlinks: number
  bytes: number
  /** Chunks a copy had corrupt or lacked, found intact in a later one. */
  repaired: RepairedChunk[]
  /** Files no copy could provide whole; nothing was written under their names. */
  failed: RestoreFailure[]
}

/** Directories are made writable while filled, and given their own mode at the end. */
const FILLING_DIR_MODE = 0o700

async function prepareDest(dest: string): Promise<void> {
  const found = await stat(dest).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined
    throw err
  })
  if (found === undefined) {
    await mkdir(dest, { recursive: true })
    return
  }
  if (!found.isDirectory()) throw new GridNodeError('DEST_NOT_EMPTY', `${dest} is a file, not an empty folder to restore into.`)
  if ((await readdir(dest)).length > 0) throw new GridNodeError('DEST_NOT_EMPTY', `${dest} is not empty; restore into an empty or new folder.`)
}

export async function restoreFolder(init: RestoreInit): Promise<RestoreReport> {
  // The manifest may have come from another member: every path is checked before anything is written.
  const manifest = parseManifest(init.manifest)
  await prepareDest(init.dest)
  const report: RestoreReport = { files: 0, dirs: 0, symlinks: 0, bytes: 0, repaired: [], failed: [] }
  const at = (path: string) => join(init.dest, path)

  const fetchChunk = async (id: string, path: string): Promise<Buffer> => {
    const failures: SourceFailure[] = []
    for (const source of init.sources) {
      init.signal?.throwIfAborted()
      try {
        const sealed = await source.getChunk(id, init.signal)
        if (sealed === undefined) {
          failures.push({ source: source.name, code: 'CHUNK_MISSING', reason: 'this copy does not have the chunk' })
          continue
        }
        const plaintext = openChunk(init.keys, id, sealed)
        if (failures.length > 0) report.repaired.push({ id, path, source: source.name, failures })
        return plaintext
      } catch (err) {
        if (init.signal?.aborted === true) throw err
        const failure = toGridNodeError(err)
        failures.push({ source: source.name, code: failure.code, reason: failure.message })
      }
    }
    const corrupt = failures.some((failure) => failure.code === 'CHUNK_CORRUPT')
    throw new GridNodeError(corrupt ? 'CHUNK_CORRUPT' : 'CHUNK_MISSING', `No copy has chunk ${id.slice(0, 12)}… intact (${failures.map((f) => `${f.source}: ${f.code}`).join(', ') || 'no copies'}).`)
  }

  const writeFile = async (entry: FileEntry): Promise<void> => {
    const temp = join(dirname(at(entry.path)), `.gridnode-restore-${randomBytes(6).toString('hex')}`)
    const fetches: Array<Promise<Buffer> | undefined> = []
    const startFetch = (i: number) => {
      const fetching = fetchChunk(entry.chunks[i]!.id, entry.path)
      fetching.catch(() => undefined)
      fetches[i] = fetching
    }
    const file = await open(temp, 'wx', 0o600)
    try {
      for (let i = 0; i < Math.min(RESTORE_CHUNK_WINDOW, entry.chunks.length); i++) startFetch(i)
      for (let i = 0; i < entry.chunks.length; i++) {
        const data = await fetches[i]!
        fetches[i] = undefined
        if (i + RESTORE_CHUNK_WINDOW < entry.chunks.length) startFetch(i + RESTORE_CHUNK_WINDOW)
        if (data.length !== entry.chunks[i]!.size) throw new GridNodeError('CHUNK_CORRUPT', `A chunk of ${entry.path} has ${data.length} bytes where the manifest says ${entry.chunks[i]!.size}.`)
        await file.write(data)
      }
      await file.close()
      await chmod(temp, entry.mode)
      await utimes(temp, entry.mtimeMs / 1000, entry.mtimeMs / 1000)
      await rename(temp, at(entry.path))
    } catch (err) {
      await file.close().catch(() => undefined)
      await rm(temp, { force: true })
      throw err
    }
  }

  const dirs = manifest.entries.filter((entry) => entry.kind === 'dir')
  for (const dir of dirs) await mkdir(at(dir.path), { mode: FILLING_DIR_MODE })

  const limit = createLimiter(RESTORE_FILE_CONCURRENCY)
  await Promise.all(
    manifest.entries.map((entry) =>
      entry.kind !== 'file'
        ? undefined
        : limit(async () => {
            try {
              await writeFile(entry)
              report.files++
              report.bytes += entry.size
              init.onProgress?.({ files: report.files, bytes: report.bytes })
            } catch (err) {
              if (init.signal?.aborted === true) throw err
              const failure = toGridNodeError(err)
              report.failed.push({ path: entry.path, code: failure.code, reason: failure.message })
            }
          }),
    ),
  )

  // Symlinks last: nothing is ever written through one.
  for (const entry of manifest.entries) {
    if (entry.kind !== 'symlink') continue
    await symlink(entry.target, at(entry.path))
    await lutimes(at(entry.path), entry.mtimeMs / 1000, entry.mtimeMs / 1000)
    report.symlinks++
  }

  // Deepest first: fixing a folder's mtime must come after everything inside it is written.
  for (const dir of [...dirs].reverse()) {
    await chmod(at(dir.path), dir.mode)
    await utimes(at(dir.path), dir.mtimeMs / 1000, dir.mtimeMs / 1000)
    report.dirs++
  }
  report.failed.sort((a, b) => (a.path < b.path ? -1 : 1))
  return report
}
