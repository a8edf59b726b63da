/**
 * The owner's side of a shared folder: watches it (a full scan follows the watcher's start, so
 * nothing changed before it was up goes unseen), rescans what changed, and turns each difference from
 * the group's last sequenced manifest into updates for the group core to sequence. It serves the
 * chunks backups pull straight from the files, sealed on demand: each read is checked against its
 * chunk id, and a chunk the file no longer holds is "gone" (the rescan its change triggers brings
 * the new content). Manifest pieces are kept sealed in this node's own store, to serve and to
 * bring the manifest back after a restart.
 *
 * The difference is always taken from the last manifest handed to the group (or installed from
 * the acting primary), so a proposal refused while another member acts as primary is simply made
 * again by the next full scan once this node sequences again.
 */
import type { Logger } from '../../log/logger.ts'
import type { ChunkStore } from '../chunk-store.ts'
import { openChunk, sealChunk, type FolderKeys } from '../folder-crypto.ts'
import { chunkRanges, MANIFEST_VERSION, type ChunkRef, type Manifest, type ScanProblem } from '../manifest.ts'
import { diffManifests } from '../manifest-diff.ts'
import type { ScanHandlers, ScanThread } from '../scan-thread.ts'
import { createFolderWatcher, type FolderWatcher, type RescanRequest } from '../watcher.ts'
import type { ChunkAnswer } from './chunk-protocol.ts'
import { PARTIAL_PROPOSAL_BYTES, PARTIAL_PROPOSAL_CHUNKS, RECENT_SERVED_BYTES, SEAL_CACHE_BYTES, SEAL_CACHE_SMALL_BYTES, SEAL_CACHE_SMALL_CHUNK_BYTES } from './constants.ts'
import { manifestFromPieces, manifestPieces, manifestStats, planUpdates, referencedChunks, type ManifestRef, type UpdatePayload } from './payload.ts'

export interface OwnerComponents {
  /** This node's own store (manifest pieces), namespace = the group id. */
  own: ChunkStore
  /** The node's scan worker threads: one scans folders, one reads chunks back from their files. */
  scans: ScanThread
  reads: ScanThread
  logger: Logger
  /** Hands updates to the group core; false if this node does not sequence now (they are made again later). */
  propose(payloads: UpdatePayload[]): boolean
  /** The first full scan's changes are with the group now (the copies' state changes with it). */
  firstScanDone(): void
  /** Scan problems and other events for the group's log. */
  log(level: 'info' | 'warn' | 'error', kind: string, text: string): void
}

export interface OwnerInit {
  group: string
  root: string
  keys: FolderKeys
  /** The manifest as the group last sequenced it (from this node's record), null for a new group. */
  manifest: ManifestRef | null
}

export interface OwnerEngine {
  start(): Promise<void>
  stop(): Promise<void>
  /** Rescans the whole folder (after this node takes the primary role, or after a refused proposal). */
  rescanAll(): void
  /** The group's manifest is now this one (installed from the acting primary): later changes are taken from it. */
  adopt(manifest: ManifestRef): Promise<void>
  serve(id: string): Promise<ChunkAnswer>
  /** Every copy holds every update: the chunks kept sealed for their pull are not needed any more. */
  settled(): void
  /** The first full scan has not yet handed its changes to the group: no copy can be in sync before. */
  firstScanPending(): boolean
  /** The chunk ids the folder references now (its manifest's files and pieces). */
  refs(): ReadonlyMap<string, number>
  stats(): { files: number; bytes: number }
}

const EMPTY: Manifest = { version: MANIFEST_VERSION, entries: [] }

export function createOwnerEngine(components: OwnerComponents, init: OwnerInit): OwnerEngine {
  const { own, logger } = components
  const { group, root, keys } = init
  let base: Manifest = EMPTY
  let pieces: ChunkRef[] = []
  let refs = new Map<string, number>()
  /** Where each data chunk of the base manifest lies: a file and an offset. */
  let index = new Map<string, { path: string; offset: number; size: number }>()
  let watcher: FolderWatcher | undefined
  let pending: { full: boolean; paths: Set<string> } | undefined
  let scanning: Promise<void> | undefined
  let running = false
  /** Stops a scan under way when the engine stops: a large folder's scan must not hold the node's shutdown. */
  const halt = new AbortController()
  let reported = new Set<string>()
  let firstScanDone = false
  /** Chunks still referenced that were answered "gone" (their file changed under a backup's pull): the next update brings them again. */
  const regone = new Set<string>()
  /**
   * New chunks the scan sealed as it read them, up to SEAL_CACHE_BYTES (and more for small ones):
   * the backups pull them right after the scan, and a cached chunk costs no file read and id
   * check. Backups pull in the order the scan read, so past the budget the first chunks are kept.
   */
  const sealed = new Map<string, Uint8Array>()
  let sealedBytes = 0
  const remember: ScanHandlers['sealed'] = (id, bytes) => {
    if (refs.has(id) || sealed.has(id)) return
    sealed.set(id, bytes)
    sealedBytes += bytes.byteLength
  }

  /**
   * Chunks lately read back from their files, oldest dropped past RECENT_SERVED_BYTES: the other
   * copies pulling the same update ask for them soon after (one read and seal, not one per copy).
   */
  const recent = new Map<string, Uint8Array>()
  let recentBytes = 0
  const reading = new Map<string, Promise<Uint8Array | null>>()
  const readBack = (id: string, at: { path: string; offset: number; size: number }): Promise<Uint8Array | null> => {
    const hit = recent.get(id)
    if (hit !== undefined) return Promise.resolve(hit)
    const pending =
      reading.get(id) ??
      components.reads
        .read({ root, secret: keys.secret, path: at.path, offset: at.offset, size: at.size, id })
        .then((read) => {
          if (read !== null) keepRecent(id, read)
          return read
        })
        .finally(() => reading.delete(id))
    reading.set(id, pending)
    return pending
  }
  const keepRecent = (id: string, bytes: Uint8Array): void => {
    recent.set(id, bytes)
    recentBytes += bytes.byteLength
    for (const [old, oldBytes] of recent) {
      if (recentBytes <= RECENT_SERVED_BYTES) break
      recent.delete(old)
      recentBytes -= oldBytes.byteLength
    }
  }

  /** `partial`: the part of a scan read so far (the cache holds chunks of files read since: they stay). */
  const setBase = (manifest: Manifest, manifestPiecesRefs: ChunkRef[], partial = false): void => {
    base = manifest
    pieces = manifestPiecesRefs
    refs = referencedChunks(manifest, pieces)
    for (const [id, bytes] of sealed) {
      if (partial || refs.has(id)) continue
      sealed.delete(id)
      sealedBytes -= bytes.byteLength
    }
    index = new Map()
    for (const entry of manifest.entries) {
      if (entry.kind !== 'file') continue
      for (const range of chunkRanges(entry)) if (!index.has(range.id)) index.set(range.id, { path: entry.path, offset: range.offset, size: range.size })
    }
  }

  const loadManifest = async (ref: ManifestRef): Promise<Manifest> => {
    const plaintexts = await Promise.all(ref.pieces.map(async (piece) => openChunk(keys, piece.id, await own.get(group, piece.id))))
    return manifestFromPieces(plaintexts)
  }

  const reportProblems = (problems: ScanProblem[]): void => {
    const now = new Set(problems.map((p) => `${p.code}\u0000${p.path}`))
    for (const problem of problems) {
      if (reported.has(`${problem.code}\u0000${problem.path}`)) continue
      components.log('warn', 'scan', `${problem.path}: not mirrored (${problem.code}): ${problem.reason}`)
    }
    reported = now
  }

  const propose = async (next: Manifest, partial = false): Promise<void> => {
    const diff = diffManifests(base, next)
    if (diff.changes.length === 0 && regone.size === 0) return
    const nextPieces = manifestPieces(keys, next)
    const nextRefs = nextPieces.map((piece) => piece.ref)
    const nextRefMap = referencedChunks(next, nextRefs)
    const readd = new Set([...regone].filter((id) => nextRefMap.has(id)))
    regone.clear()
    if (diff.changes.length === 0 && readd.size === 0) return
    for (const piece of nextPieces) {
      if (!refs.has(piece.ref.id)) await own.put(group, piece.ref.id, sealChunk(keys, piece.ref.id, piece.plaintext))
    }
    const updates = planUpdates(refs, nextRefMap, { pieces: nextRefs, ...manifestStats(next) }, diff.changes.length, readd)
    // Not sequencing now: the full scan made when this node takes the primary role proposes it again.
    if (!components.propose(updates)) {
      for (const id of readd) regone.add(id)
      return
    }
    setBase(next, nextRefs, partial)
    logger.debug({ group, changes: diff.changes.length, updates: updates.length, bytes: diff.bytes }, 'folder changes proposed')
  }

  /**
   * A folder's first full scan hands on what it has read every PARTIAL_PROPOSAL_CHUNKS chunks or
   * PARTIAL_PROPOSAL_BYTES, so the backups fill while it proceeds; the scan's end proposes the rest.
   * Only from an empty base, and while the base is the last part proposed: what is read so far is
   * then a consistent manifest that only adds to it, where over another one a path turned from
   * folder to file could sit next to that folder's children, or files not read yet look deleted.
   * A part that comes while the one before is still being proposed is skipped (the next one has it).
   */
  const partialProposer = (): { partial: NonNullable<ScanHandlers['partial']>; done: () => Promise<void> } => {
    let proposing: Promise<void> | undefined
    let proposed = base
    return {
      partial: (manifest) => {
        if (proposing !== undefined || base !== proposed || !running) return
        proposing = propose(manifest, true)
          .then(() => void (proposed = base))
          .catch((err: unknown) => logger.warn({ err, group }, 'a partial scan could not be proposed'))
          .finally(() => (proposing = undefined))
      },
      done: async () => proposing,
    }
  }

  const scanLoop = async (): Promise<void> => {
    while (running && pending !== undefined) {
      const request = pending
      pending = undefined
      try {
        const started = performance.now()
        const partials = request.full && base.entries.length === 0 ? partialProposer() : undefined
        const result = await components.scans.scan(
          {
            root,
            secret: keys.secret,
            previous: base,
            seal: { bytes: Math.max(0, SEAL_CACHE_BYTES - sealedBytes), smallBytes: SEAL_CACHE_SMALL_BYTES, smallChunkBytes: SEAL_CACHE_SMALL_CHUNK_BYTES },
            ...(request.full ? {} : { paths: [...request.paths] }),
            ...(partials === undefined ? {} : { partialEvery: { chunks: PARTIAL_PROPOSAL_CHUNKS, bytes: PARTIAL_PROPOSAL_BYTES } }),
          },
          { sealed: remember, ...(partials === undefined ? {} : { partial: partials.partial }) },
          halt.signal,
        )
        await partials?.done()
        if (request.full) reportProblems(result.problems)
        else for (const problem of result.problems) components.log('warn', 'scan', `${problem.path}: not mirrored (${problem.code}): ${problem.reason}`)
        logger.debug({ group, full: request.full, ms: Math.round(performance.now() - started), ...result.stats }, 'folder scanned')
        if (running) await propose(result.manifest)
        if (request.full && !firstScanDone) {
          firstScanDone = true
          components.firstScanDone()
        }
      } catch (err) {
        if (!running) return
        logger.warn({ err, group }, 'folder scan failed')
        components.log('error', 'scan', `The folder could not be scanned: ${(err as Error).message}`)
      }
    }
  }

  const request = (req: RescanRequest | { kind: 'full' }): void => {
    if (!running) return
    pending ??= { full: false, paths: new Set() }
    if (req.kind === 'full') pending.full = true
    else for (const path of req.paths) pending.paths.add(path)
    scanning ??= scanLoop().finally(() => {
      scanning = undefined
      if (pending !== undefined) request({ kind: 'full' })
    })
  }

  return {
    async start() {
      if (running) return
      running = true
      if (init.manifest !== null) setBase(await loadManifest(init.manifest), init.manifest.pieces)
      watcher = createFolderWatcher({ logger }, { root, onRescan: request })
      // The first scan (in the scan thread) runs while the watcher starts (a second of this
      // thread's CPU on a large tree). A file changed in that window after the scan read it goes
      // unseen by both, so once the watcher is up a second full scan follows: it reads again only
      // files whose size, mtime or inode moved since.
      request({ kind: 'full' })
      await watcher.start()
      request({ kind: 'full' })
    },
    async stop() {
      running = false
      halt.abort()
      await watcher?.stop()
      await scanning
      components.scans.forget(root)
    },
    rescanAll: () => request({ kind: 'full' }),
    async adopt(ref) {
      setBase(await loadManifest(ref), ref.pieces)
      request({ kind: 'full' })
    },
    async serve(id) {
      const cached = sealed.get(id)
      if (cached !== undefined) return { status: 'ok', sealed: cached }
      if (pieces.some((piece) => piece.id === id)) {
        try {
          return { status: 'ok', sealed: await own.get(group, id) }
        } catch {
          return { status: 'missing' }
        }
      }
      const at = index.get(id)
      if (at === undefined) return { status: 'gone' }
      const read = await readBack(id, at)
      if (read !== null) return { status: 'ok', sealed: read }
      // The file changed since it was scanned: what it holds now comes with the next update.
      logger.debug({ group, path: at.path }, 'a chunk is no longer in its file')
      regone.add(id)
      request({ kind: 'paths', paths: [at.path] })
      return { status: 'gone' }
    },
    settled() {
      // A scan under way is filling the cache for the pull its proposal starts.
      if (scanning !== undefined) return
      sealed.clear()
      sealedBytes = 0
      recent.clear()
      recentBytes = 0
    },
    firstScanPending: () => !firstScanDone,
    refs: () => refs,
    stats: () => manifestStats(base),
  }
}
