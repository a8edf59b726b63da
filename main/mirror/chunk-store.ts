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
 */
import { randomBytes } from 'node:crypto'
import { statSync } from 'node:fs'
import { mkdir, open, opendir, readFile, rename, rm, stat, unlink } from 'node:fs/promises'
import { join, sep } from 'node:path'
import { GridNodeError } from '../../shared/errors.ts'
import { STORE_MAX_OBJECT_BYTES } from './constants.ts'
import { isChunkId } from './folder-crypto.ts'

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
   * it does not fit. With `deferDirSync` the chunk's file is durable when this resolves but its
   * name only after `flush(namespace)`: one directory fsync per shard for a whole batch.
   */
  put(namespace: string, id: string, sealed: Uint8Array, options?: { deferDirSync?: boolean }): Promise<boolean>
  /** Makes the names of chunks put with `deferDirSync` durable. */
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

/** fsync a directory so a rename into it survives power loss; some platforms cannot open directories, which is fine there. */
async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r').catch(() => undefined)
  if (handle === undefined) return
  try {
    await handle.sync().catch(() => undefined)
  } finally {
    await handle.close()
  }
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

  /**
   * A chunk's size, or undefined if it is absent. A synchronous stat: a missing chunk is the common
   * case when a copy fills, and a rejected promise's error costs far more than the system call.
   */
  const sizeOf = async (path: string): Promise<number | undefined> => statSync(path, { throwIfNoEntry: false })?.size
  /** Shard folders known to exist, and those whose new entries still need a directory fsync, by namespace. */
  const madeDirs = new Set<string>()
  const unsynced = new Map<string, Set<string>>()

  const recompute = async (): Promise<void> => {
    await rm(tempDir, { recursive: true, force: true })
    await mkdir(tempDir, { recursive: true, mode: 0o700 })
    namespaces.clear()
    usedBytes = 0
    for await (const namespace of filesIn(init.dir)) {
      if (!NAMESPACE_PATTERN.test(namespace)) continue
      for await (const shard of filesIn(join(init.dir, namespace))) {
        if (!SHARD_PATTERN.test(shard)) continue
        for await (const id of filesIn(join(init.dir, namespace, shard))) {
          if (!isChunkId(id)) continue
          account(namespace, (await stat(join(init.dir, namespace, shard, id))).size, 1)
        }
      }
    }
  }

  const write = async (namespace: string, id: string, sealed: Uint8Array, deferDirSync: boolean): Promise<void> => {
    if (usedBytes + reservedBytes + sealed.length > quotaBytes) {
      throw new GridNodeError('QUOTA_EXCEEDED', `This node's store is full: ${usedBytes} of ${quotaBytes} bytes used, a chunk of ${sealed.length} bytes does not fit.`)
    }
    reservedBytes += sealed.length
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
      if (deferDirSync) unsynced.set(namespace, (unsynced.get(namespace) ?? new Set()).add(shard))
      else await syncDir(shard)
      account(namespace, sealed.length, 1)
    } catch (err) {
      await rm(temp, { force: true })
      if (errnoOf(err) === 'ENOSPC') throw new GridNodeError('QUOTA_EXCEEDED', 'The disk under this node\'s store is full.', { cause: err })
      throw err
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
        if ((await sizeOf(pathOf(namespace, id))) !== undefined) return false
        await write(namespace, id, sealed, options?.deferDirSync === true)
        return true
      }),

    flush: async (namespace) => {
      const shards = unsynced.get(namespace)
      unsynced.delete(namespace)
      await Promise.all([...(shards ?? [])].map(syncDir))
    },

    has: (namespace, id) => exclusive(namespace, id, async () => (await sizeOf(pathOf(namespace, id))) !== undefined),

    get: (namespace, id) =>
      exclusive(namespace, id, async () => {
        try {
          return await readFile(pathOf(namespace, id))
        } catch (err) {
          if (errnoOf(err) === 'ENOENT') throw new GridNodeError('CHUNK_MISSING', `This node does not store chunk ${id.slice(0, 12)}… of ${namespace}.`)
          throw err
        }
      }),

    delete: (namespace, id) =>
      exclusive(namespace, id, async () => {
        const path = pathOf(namespace, id)
        const size = await sizeOf(path)
        if (size === undefined) return false
        await unlink(path)
        account(namespace, -size, -1)
        return true
      }),

    list: async function* (namespace) {
      checkNamespace(namespace)
      await ensureStarted()
      for await (const shard of filesIn(join(init.dir, namespace))) {
        if (!SHARD_PATTERN.test(shard)) continue
        for await (const id of filesIn(join(init.dir, namespace, shard))) if (isChunkId(id)) yield id
      }
    },

    entries: async function* (namespace) {
      checkNamespace(namespace)
      await ensureStarted()
      for await (const shard of filesIn(join(init.dir, namespace))) {
        if (!SHARD_PATTERN.test(shard)) continue
        for await (const id of filesIn(join(init.dir, namespace, shard))) {
          if (!isChunkId(id)) continue
          const bytes = await sizeOf(join(init.dir, namespace, shard, id))
          if (bytes !== undefined) yield { id, bytes }
        }
      }
    },

    dropNamespace: async (namespace) => {
      checkNamespace(namespace)
      await ensureStarted()
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
      unsynced.delete(namespace)
      await rm(doomed, { recursive: true, force: true })
    },

    usage: () => ({
      usedBytes,
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
