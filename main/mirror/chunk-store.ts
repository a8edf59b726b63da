/**
 * The contributed store: sealed chunks this node keeps for other members' folders, on its own
 * disk, never beyond the quota its user set (issue 4: a full host reports it, nothing is
 * half-written).
 *
 * Layout under `dir`: `<namespace>/<first two hex digits of id>/<id>` (one namespace per group,
 * so unsharing drops a group at once; 256 shards keep directories small), and `.tmp/` for writes
 * in progress. A put writes a temporary file, fsyncs it, renames it into place and fsyncs the
 * shard directory, so a chunk is either absent or whole, even across a crash. A put that would
 * pass the quota fails with QUOTA_EXCEEDED before writing anything. Usage is the sum of the stored
 * chunks' sizes, recomputed by walking the store at start (and leftover temporary files removed).
 *
 * A put with `deferSync` (a backup filling a copy) is gathered with others into a pack instead:
 * one file per PACK_TARGET_BYTES written at once, fsynced once and renamed into
 * `<namespace>/packs/`, its header listing its chunks (a file and an fsync per small chunk was
 * what bounded a first mirror). A pack is, like a chunk's file, absent or whole. Its chunks are
 * indexed in memory, rebuilt from the pack headers at start; deleting one appends `<pack> <id>`
 * to `<namespace>/packs/dead`. A pack's dead bytes stay on disk, and count against the quota,
 * until the pack is compacted: once half of it is dead, its live chunks are written to a new
 * pack and it is removed (a pack whose chunks are all deleted is simply removed).
 */
import { randomBytes } from 'node:crypto'
import { appendFile, mkdir, open, opendir, readFile, rename, rm, stat, unlink, writeFile } from 'node:fs/promises'
import { join, sep } from 'node:path'
import { GridNodeError } from '../../shared/errors.ts'
import { STORE_MAX_OBJECT_BYTES } from './constants.ts'
import { isChunkId } from './folder-crypto.ts'
import { PACK_PATTERN, readPackIndex, syncDir, writePackFile } from './pack-file.ts'

export interface ChunkStoreInit {
  /** The folder this store owns, e.g. the data folder's `store/chunks`. */
  dir: string
  /** Bytes of chunks this node accepts in all. */
  quotaBytes: number
}

export interface NamespaceUsage {
  bytes: number
  chunks: number
}

export interface ChunkStoreUsage {
  usedBytes: number
  quotaBytes: number
  chunks: number
  namespaces: Record<string, NamespaceUsage>
}

export interface ChunkStore {
  /** Creates the folder, clears interrupted writes and recomputes usage. Idempotent. */
  start(): Promise<void>
  /** Waits for the operations in flight. Idempotent. */
  stop(): Promise<void>
  /**
   * Stores a sealed chunk; false if it was already there. QUOTA_EXCEEDED, with nothing written, if
   * it does not fit. With `deferSync` the chunk is readable when this resolves but durable only
   * after `flush(namespace)`: many chunks share one pack file and one fsync.
   */
  put(namespace: string, id: string, sealed: Uint8Array, options?: { deferSync?: boolean }): Promise<boolean>
  /** Makes the chunks put with `deferSync` durable; rejects if a pack of them could not be written. */
  flush(namespace: string): Promise<void>
  has(namespace: string, id: string): Promise<boolean>
  /** The sealed chunk; CHUNK_MISSING if this store does not have it. */
  get(namespace: string, id: string): Promise<Buffer>
  /** False if it was not there. */
  delete(namespace: string, id: string): Promise<boolean>
  list(namespace: string): AsyncGenerator<string, void, undefined>
  /** The chunks of a namespace with their stored sizes. */
  entries(namespace: string): AsyncGenerator<{ id: string; bytes: number }, void, undefined>
  /** Removes a whole namespace (a group unshared, or this node dropped from it). */
  dropNamespace(namespace: string): Promise<void>
  usage(): ChunkStoreUsage
  /** A lower quota refuses new puts until usage is below it; nothing stored is removed. */
  setQuota(quotaBytes: number): void
}

const TEMP_DIR = '.tmp'
const PACKS_DIR = 'packs'
const DEAD_FILE = 'dead'
/** A pack is written once this many bytes of chunks wait for it: large enough to share an fsync among many small chunks, small enough to keep in memory. */
const PACK_TARGET_BYTES = 8 * 1024 * 1024
const NAMESPACE_PATTERN = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/
const SHARD_PATTERN = /^[0-9a-f]{2}$/

const errnoOf = (err: unknown) => (err as NodeJS.ErrnoException | undefined)?.code

function checkQuota(quotaBytes: number): void {
  if (!Number.isSafeInteger(quotaBytes) || quotaBytes < 0) throw new GridNodeError('INVALID_INPUT', `A store quota is a whole number of bytes, not ${quotaBytes}.`)
}

function checkNamespace(namespace: string): void {
  if (!NAMESPACE_PATTERN.test(namespace)) throw new GridNodeError('INVALID_INPUT', `${JSON.stringify(namespace)} is not a store namespace.`)
}

function checkKey(namespace: string, id: string): void {
  checkNamespace(namespace)
  if (!isChunkId(id)) throw new GridNodeError('INVALID_INPUT', `${JSON.stringify(id)} is not a chunk id.`)
}

async function* filesIn(dir: string): AsyncGenerator<string, void, undefined> {
  let handle
  try {
    handle = await opendir(dir)
  } catch (err) {
    if (errnoOf(err) === 'ENOENT') return
    throw err
  }
  for await (const entry of handle) yield entry.name
}

interface PackedChunk {
  pack: string
  offset: number
  bytes: number
}

/** Chunks put with `deferSync` waiting for (or being written to) one pack. */
interface Batch {
  chunks: Map<string, Uint8Array>
  bytes: number
  written?: Promise<void>
}

export function createChunkStore(init: ChunkStoreInit): ChunkStore {
  checkQuota(init.quotaBytes)
  let quotaBytes = init.quotaBytes
  const tempDir = join(init.dir, TEMP_DIR)
  const namespaces = new Map<string, NamespaceUsage>()
  let usedBytes = 0
  let reservedBytes = 0
  let started: Promise<void> | undefined
  /** Per-chunk queues, so a put, get or delete of one chunk never overlaps another of the same chunk. */
  const locks = new Map<string, Promise<void>>()
  const inFlight = new Set<Promise<void>>()

  const pathOf = (namespace: string, id: string) => join(init.dir, namespace, id.slice(0, 2), id)
  const packsDirOf = (namespace: string) => join(init.dir, namespace, PACKS_DIR)
  /** Chunks in packs by namespace and id, and the live chunks left in each pack (`namespace/pack`). */
  const packed = new Map<string, Map<string, PackedChunk>>()
  /**
   * Chunks stored as files of their own, by namespace and id, with their sizes (found by the walk
   * at start): whether a chunk is here is asked for every chunk a copy fills, mostly of absent ones.
   */
  const loose = new Map<string, Map<string, number>>()
  /** Per pack (`namespace/pack`): its live chunks, their bytes, and the bytes of all it holds. */
  const packs = new Map<string, { chunks: number; liveBytes: number; totalBytes: number }>()
  /** Bytes of deleted chunks still in packs: on disk, so counted against the quota. */
  let deadBytes = 0
  /** Changes a pack's numbers, keeping deadBytes in step. */
  const updatePack = (key: string, change: (pack: { chunks: number; liveBytes: number; totalBytes: number }) => void) => {
    const pack = packs.get(key) ?? { chunks: 0, liveBytes: 0, totalBytes: 0 }
    deadBytes -= pack.totalBytes - pack.liveBytes
    change(pack)
    deadBytes += pack.totalBytes - pack.liveBytes
    packs.set(key, pack)
    return pack
  }
  const forgetPack = (key: string): void => {
    const pack = packs.get(key)
    if (pack !== undefined) deadBytes -= pack.totalBytes - pack.liveBytes
    packs.delete(key)
  }
  /** Per namespace: the batch filling, and every batch not yet written. */
  const filling = new Map<string, Batch>()
  const batches = new Map<string, Set<Batch>>()

  const pendingChunk = (namespace: string, id: string): Uint8Array | undefined => {
    for (const batch of batches.get(namespace) ?? []) {
      const chunk = batch.chunks.get(id)
      if (chunk !== undefined) return chunk
    }
    return undefined
  }

  const index = (namespace: string, id: string, chunk: PackedChunk): void => {
    const chunks = packed.get(namespace) ?? new Map<string, PackedChunk>()
    chunks.set(id, chunk)
    packed.set(namespace, chunks)
    updatePack(`${namespace}/${chunk.pack}`, (pack) => {
      pack.chunks++
      pack.liveBytes += chunk.bytes
    })
    account(namespace, chunk.bytes, 1)
  }

  const account = (namespace: string, bytes: number, chunks: number): void => {
    const usage = namespaces.get(namespace) ?? { bytes: 0, chunks: 0 }
    usage.bytes += bytes
    usage.chunks += chunks
    usedBytes += bytes
    if (usage.chunks === 0) namespaces.delete(namespace)
    else namespaces.set(namespace, usage)
  }

  const ensureStarted = async (): Promise<void> => {
    if (started === undefined) throw new GridNodeError('INTERNAL', 'The chunk store is not started.')
    await started
  }

  const exclusive = <T>(namespace: string, id: string, op: () => Promise<T>): Promise<T> => {
    const key = `${namespace}/${id}`
    const run = (locks.get(key) ?? Promise.resolve()).then(async () => {
      checkKey(namespace, id)
      await ensureStarted()
      return op()
    })
    const settled = run.then(
      () => undefined,
      () => undefined,
    )
    locks.set(key, settled)
    inFlight.add(settled)
    void settled.then(() => {
      inFlight.delete(settled)
      if (locks.get(key) === settled) locks.delete(key)
    })
    return run
  }

  const addLoose = (namespace: string, id: string, bytes: number): void => {
    const chunks = loose.get(namespace) ?? new Map<string, number>()
    chunks.set(id, bytes)
    loose.set(namespace, chunks)
    account(namespace, bytes, 1)
  }
  /** Shard folders known to exist. */
  const madeDirs = new Set<string>()

  /** A snapshot of the chunks in packs and on their way into one. */
  const packedAndPending = (namespace: string): Array<{ id: string; bytes: number }> => [
    ...[...(packed.get(namespace) ?? [])].map(([id, chunk]) => ({ id, bytes: chunk.bytes })),
    ...[...(batches.get(namespace) ?? [])].flatMap((batch) => [...batch.chunks].map(([id, chunk]) => ({ id, bytes: chunk.length }))),
  ]

  const loadPacks = async (namespace: string): Promise<void> => {
    const dead = new Set((await readFile(join(packsDirOf(namespace), DEAD_FILE), 'utf8').catch(() => '')).split('\n'))
    for await (const pack of filesIn(packsDirOf(namespace))) {
      if (!PACK_PATTERN.test(pack)) continue
      const chunks = await readPackIndex(join(packsDirOf(namespace), pack))
      if (chunks === undefined) continue
      const key = `${namespace}/${pack}`
      updatePack(key, (stats) => (stats.totalBytes = chunks.reduce((sum, chunk) => sum + chunk.bytes, 0)))
      for (const { id, offset, bytes } of chunks) {
        // A chunk deleted, or already found in another pack (its deletion lost in a crash, or a
        // compaction cut short), is not live here.
        if (dead.has(`${pack} ${id}`) || packed.get(namespace)?.has(id) === true) continue
        index(namespace, id, { pack, offset, bytes })
      }
      // Nothing live: what a compaction cut short leaves, or a removal lost in a crash.
      if (packs.get(key)?.chunks === 0) {
        forgetPack(key)
        await unlink(join(packsDirOf(namespace), pack))
      }
    }
  }

  const recompute = async (): Promise<void> => {
    await rm(tempDir, { recursive: true, force: true })
    await mkdir(tempDir, { recursive: true, mode: 0o700 })
    namespaces.clear()
    packed.clear()
    loose.clear()
    packs.clear()
    deadBytes = 0
    usedBytes = 0
    for await (const namespace of filesIn(init.dir)) {
      if (!NAMESPACE_PATTERN.test(namespace)) continue
      await loadPacks(namespace)
      for await (const shard of filesIn(join(init.dir, namespace))) {
        if (!SHARD_PATTERN.test(shard)) continue
        for await (const id of filesIn(join(init.dir, namespace, shard))) {
          if (!isChunkId(id)) continue
          addLoose(namespace, id, (await stat(join(init.dir, namespace, shard, id))).size)
        }
      }
    }
  }

  const reserve = (sealed: Uint8Array): void => {
    if (usedBytes + deadBytes + reservedBytes + sealed.length > quotaBytes) {
      throw new GridNodeError('QUOTA_EXCEEDED', `This node's store is full: ${usedBytes + deadBytes} of ${quotaBytes} bytes used, a chunk of ${sealed.length} bytes does not fit.`)
    }
    reservedBytes += sealed.length
  }

  const diskFull = (err: unknown): unknown => (errnoOf(err) === 'ENOSPC' ? new GridNodeError('QUOTA_EXCEEDED', 'The disk under this node\'s store is full.', { cause: err }) : err)

  /** Writes a batch as one pack (pack-file.ts), then indexes its chunks. */
  const writePack = async (namespace: string, batch: Batch): Promise<void> => {
    try {
      const { pack, entries } = await writePackFile(packsDirOf(namespace), tempDir, batch.chunks)
      updatePack(`${namespace}/${pack}`, (stats) => (stats.totalBytes = batch.bytes))
      for (const { id, offset, bytes } of entries) index(namespace, id, { pack, offset, bytes })
    } catch (err) {
      throw diskFull(err)
    } finally {
      reservedBytes -= batch.bytes
      batches.get(namespace)?.delete(batch)
    }
  }

  /** Starts writing the namespace's filling batch, if any; its outcome is reported by `flush`. */
  const seal = (namespace: string): void => {
    const batch = filling.get(namespace)
    if (batch === undefined) return
    filling.delete(namespace)
    batch.written = writePack(namespace, batch)
    const settled = batch.written.then(
      () => undefined,
      () => undefined,
    )
    inFlight.add(settled)
    void settled.then(() => inFlight.delete(settled))
  }

  const putDeferred = (namespace: string, id: string, sealed: Uint8Array): void => {
    reserve(sealed)
    let batch = filling.get(namespace)
    if (batch === undefined) {
      batch = { chunks: new Map(), bytes: 0 }
      filling.set(namespace, batch)
      batches.set(namespace, (batches.get(namespace) ?? new Set()).add(batch))
    }
    batch.chunks.set(id, sealed)
    batch.bytes += sealed.length
    if (batch.bytes >= PACK_TARGET_BYTES) seal(namespace)
  }

  /** Writes every batch of the namespace; the first failure is thrown once all settled. */
  const writeBatches = async (namespace: string): Promise<void> => {
    seal(namespace)
    const results = await Promise.allSettled([...(batches.get(namespace) ?? [])].map((batch) => batch.written))
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')
    if (failed !== undefined) throw failed.reason
  }

  /** Appends to, or rewrites, a namespace's dead file: one at a time, so no appended line is lost to a rewrite. */
  const deadFileWrites = new Map<string, Promise<void>>()
  const onDeadFile = (namespace: string, op: (path: string) => Promise<void>): Promise<void> => {
    const run = (deadFileWrites.get(namespace) ?? Promise.resolve()).then(() => op(join(packsDirOf(namespace), DEAD_FILE)))
    deadFileWrites.set(namespace, run.catch(() => undefined))
    return run
  }

  const deletePacked = async (namespace: string, id: string, chunk: PackedChunk): Promise<void> => {
    const key = `${namespace}/${chunk.pack}`
    // The index changes before any await: deletes of other chunks of the same pack run at the same time.
    const stats = updatePack(key, (pack) => {
      pack.chunks--
      pack.liveBytes -= chunk.bytes
    })
    packed.get(namespace)?.delete(id)
    account(namespace, -chunk.bytes, -1)
    if (stats.chunks === 0) {
      forgetPack(key)
      await unlink(join(packsDirOf(namespace), chunk.pack))
      return
    }
    await onDeadFile(namespace, (path) => appendFile(path, `${chunk.pack} ${id}\n`, { mode: 0o600 }))
    // The chunk is deleted either way: a compaction that fails (a full disk) is tried again by the pack's next delete.
    if (2 * (stats.totalBytes - stats.liveBytes) >= stats.totalBytes) await compact(namespace, chunk.pack).catch(() => undefined)
  }

  /** Packs being compacted: a delete that finds its pack half dead waits for the one compaction. */
  const compactions = new Map<string, Promise<void>>()
  const compact = (namespace: string, pack: string): Promise<void> => {
    const key = `${namespace}/${pack}`
    const running = compactions.get(key) ?? compactPack(namespace, pack).finally(() => compactions.delete(key))
    compactions.set(key, running)
    return running
  }

  /**
   * Moves a pack's live chunks into a new pack and removes it. A crash before the removal leaves
   * both: the start finds each chunk once and removes the pack left with nothing live.
   */
  const compactPack = async (namespace: string, pack: string): Promise<void> => {
    const key = `${namespace}/${pack}`
    const live = [...(packed.get(namespace) ?? [])].filter(([, chunk]) => chunk.pack === pack)
    const chunks = new Map<string, Uint8Array>()
    try {
      for (const [id, chunk] of live) chunks.set(id, await readPacked(namespace, chunk))
    } catch (err) {
      // Its last live chunks were deleted meanwhile, and the pack with them: nothing to move.
      if (errnoOf(err) === 'ENOENT' && !packs.has(key)) return
      throw err
    }
    const written = await writePackFile(packsDirOf(namespace), tempDir, chunks)
    const freshKey = `${namespace}/${written.pack}`
    updatePack(freshKey, (stats) => (stats.totalBytes = written.entries.reduce((sum, entry) => sum + entry.bytes, 0)))
    // Synchronously, so every lookup sees a chunk in one pack or the other: a chunk deleted while
    // this ran stays behind, dead in the new pack too.
    const deadInFresh: string[] = []
    for (const { id, offset, bytes } of written.entries) {
      if (packed.get(namespace)?.get(id)?.pack !== pack) {
        deadInFresh.push(`${written.pack} ${id}\n`)
        continue
      }
      packed.get(namespace)!.set(id, { pack: written.pack, offset, bytes })
      updatePack(key, (stats) => {
        stats.chunks--
        stats.liveBytes -= bytes
      })
      updatePack(freshKey, (stats) => {
        stats.chunks++
        stats.liveBytes += bytes
      })
    }
    forgetPack(key)
    const gone = (err: unknown) => {
      if (errnoOf(err) !== 'ENOENT') throw err
    }
    if (packs.get(freshKey)?.chunks === 0) {
      forgetPack(freshKey)
      await unlink(join(packsDirOf(namespace), written.pack)).catch(gone)
    } else if (deadInFresh.length > 0) {
      await onDeadFile(namespace, (path) => appendFile(path, deadInFresh.join(''), { mode: 0o600 }))
    }
    // The old pack goes before its lines in the dead file: a crash between leaves lines about a
    // pack that no longer exists, never a pack whose deleted chunks look live again.
    await unlink(join(packsDirOf(namespace), pack)).catch(gone)
    await syncDir(packsDirOf(namespace))
    await onDeadFile(namespace, async (path) => {
      // Lines about packs no longer here (this one, and any removed whole) go.
      const kept = (await readFile(path, 'utf8').catch(() => '')).split('\n').filter((line) => packs.has(`${namespace}/${line.split(' ')[0]}`))
      const temp = join(tempDir, `dead-${randomBytes(8).toString('hex')}`)
      await writeFile(temp, kept.map((line) => `${line}\n`).join(''), { mode: 0o600 })
      await rename(temp, path)
    })
  }

  const readPacked = async (namespace: string, chunk: PackedChunk): Promise<Buffer> => {
    const file = await open(join(packsDirOf(namespace), chunk.pack), 'r')
    try {
      const data = Buffer.allocUnsafe(chunk.bytes)
      const { bytesRead } = await file.read(data, 0, chunk.bytes, chunk.offset)
      if (bytesRead !== chunk.bytes) throw new GridNodeError('INTERNAL', `Pack ${chunk.pack} is shorter than its header says.`)
      return data
    } finally {
      await file.close()
    }
  }

  const isStored = async (namespace: string, id: string): Promise<boolean> =>
    pendingChunk(namespace, id) !== undefined || packed.get(namespace)?.has(id) === true || loose.get(namespace)?.has(id) === true

  const write = async (namespace: string, id: string, sealed: Uint8Array): Promise<void> => {
    reserve(sealed)
    const temp = join(tempDir, `${randomBytes(8).toString('hex')}.tmp`)
    const target = pathOf(namespace, id)
    try {
      const file = await open(temp, 'wx', 0o600)
      try {
        await file.writeFile(sealed)
        await file.sync()
      } finally {
        await file.close()
      }
      const shard = join(target, '..')
      if (!madeDirs.has(shard)) {
        await mkdir(shard, { recursive: true, mode: 0o700 })
        madeDirs.add(shard)
      }
      await rename(temp, target)
      await syncDir(shard)
      addLoose(namespace, id, sealed.length)
    } catch (err) {
      await rm(temp, { force: true })
      throw diskFull(err)
    } finally {
      reservedBytes -= sealed.length
    }
  }

  return {
    start: () => {
      started ??= mkdir(init.dir, { recursive: true, mode: 0o700 }).then(recompute)
      return started
    },

    stop: async () => {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight])
    },

    put: (namespace, id, sealed, options) =>
      exclusive(namespace, id, async () => {
        if (sealed.length > STORE_MAX_OBJECT_BYTES) throw new GridNodeError('PAYLOAD_TOO_LARGE', `A sealed chunk has at most ${STORE_MAX_OBJECT_BYTES} bytes, not ${sealed.length}.`)
        if (await isStored(namespace, id)) return false
        if (options?.deferSync === true) putDeferred(namespace, id, sealed)
        else await write(namespace, id, sealed)
        return true
      }),

    flush: async (namespace) => {
      checkNamespace(namespace)
      await writeBatches(namespace)
    },

    has: (namespace, id) => exclusive(namespace, id, () => isStored(namespace, id)),

    get: (namespace, id) =>
      exclusive(namespace, id, async () => {
        const pending = pendingChunk(namespace, id)
        if (pending !== undefined) return Buffer.from(pending)
        const chunk = packed.get(namespace)?.get(id)
        if (chunk !== undefined) {
          return readPacked(namespace, chunk).catch((err: unknown) => {
            // Compacted while this read: the chunk is in its new pack.
            const moved = packed.get(namespace)?.get(id)
            if (errnoOf(err) === 'ENOENT' && moved !== undefined && moved.pack !== chunk.pack) return readPacked(namespace, moved)
            throw err
          })
        }
        try {
          return await readFile(pathOf(namespace, id))
        } catch (err) {
          if (errnoOf(err) === 'ENOENT') throw new GridNodeError('CHUNK_MISSING', `This node does not store chunk ${id.slice(0, 12)}… of ${namespace}.`)
          throw err
        }
      }),

    delete: (namespace, id) =>
      exclusive(namespace, id, async () => {
        // A chunk on its way into a pack is deleted from it once written.
        if (pendingChunk(namespace, id) !== undefined) await writeBatches(namespace)
        const chunk = packed.get(namespace)?.get(id)
        if (chunk !== undefined) {
          await deletePacked(namespace, id, chunk)
          return true
        }
        const size = loose.get(namespace)?.get(id)
        if (size === undefined) return false
        await unlink(pathOf(namespace, id)).catch((err: unknown) => {
          if (errnoOf(err) !== 'ENOENT') throw err
        })
        loose.get(namespace)?.delete(id)
        account(namespace, -size, -1)
        return true
      }),

    list: async function* (namespace) {
      checkNamespace(namespace)
      await ensureStarted()
      for (const { id } of packedAndPending(namespace)) yield id
      yield* [...(loose.get(namespace)?.keys() ?? [])]
    },

    entries: async function* (namespace) {
      checkNamespace(namespace)
      await ensureStarted()
      yield* packedAndPending(namespace)
      yield* [...(loose.get(namespace) ?? [])].map(([id, bytes]) => ({ id, bytes }))
    },

    dropNamespace: async (namespace) => {
      checkNamespace(namespace)
      await ensureStarted()
      // Packs under way land first, so none is renamed into the namespace after it went.
      await writeBatches(namespace).catch(() => undefined)
      // Renamed away first, so the namespace disappears at once even if removing its files is slow or interrupted.
      const doomed = join(tempDir, `drop-${randomBytes(8).toString('hex')}`)
      try {
        await rename(join(init.dir, namespace), doomed)
      } catch (err) {
        if (errnoOf(err) === 'ENOENT') return
        throw err
      }
      const usage = namespaces.get(namespace)
      if (usage !== undefined) account(namespace, -usage.bytes, -usage.chunks)
      for (const dir of madeDirs) if (dir.startsWith(join(init.dir, namespace) + sep)) madeDirs.delete(dir)
      packed.delete(namespace)
      loose.delete(namespace)
      for (const key of [...packs.keys()]) if (key.startsWith(`${namespace}/`)) forgetPack(key)
      await rm(doomed, { recursive: true, force: true })
    },

    usage: () => ({
      usedBytes: usedBytes + deadBytes,
      quotaBytes,
      chunks: [...namespaces.values()].reduce((sum, usage) => sum + usage.chunks, 0),
      namespaces: Object.fromEntries([...namespaces].map(([name, usage]) => [name, { ...usage }])),
    }),

    setQuota: (bytes) => {
      checkQuota(bytes)
      quotaBytes = bytes
    },
  }
}
