/**
 * Brings the chunks a copy needs into its store: those it lacks are asked from each source in
 * turn (the acting primary first, then the other copies), in batches bounded in bytes with a few
 * requests in flight, and stored as they arrive. Before anything is asked, the whole set is
 * checked against the store's quota: a copy that cannot hold an update writes nothing of it.
 */
import { GridNodeError } from '../../../shared/errors.ts'
import type { ChunkStore } from '../chunk-store.ts'
import { createLimiter } from '../limiter.ts'
import type { ChunkRef } from '../manifest.ts'
import type { ChunkClient } from './chunk-protocol.ts'
import { CHUNK_REQUEST_MAX_IDS, FETCH_BATCH_BYTES, FETCH_REQUESTS_IN_FLIGHT, STORE_CONCURRENCY } from './constants.ts'
import { sealedSize } from './payload.ts'

export interface FetchInit {
  client: ChunkClient
  group: string
  store: ChunkStore
  namespace: string
  refs: readonly ChunkRef[]
  /** Peers to ask, in order. */
  sources: readonly string[]
  /** Refuse (QUOTA_EXCEEDED) before fetching when the store cannot take all that is missing. */
  checkQuota: boolean
  signal?: AbortSignal
  onSourceError?: (peer: string, err: unknown) => void
}

export interface FetchOutcome {
  /** Chunks a source answered "gone": the folder no longer has them. */
  gone: string[]
  /** Chunks no source provided. */
  missing: string[]
  /** Sealed bytes stored. */
  bytes: number
}

/** Consecutive runs of `refs` of at most `maxBytes` sealed bytes (and CHUNK_REQUEST_MAX_IDS ids) each. */
export function batchesBySize<T extends ChunkRef>(refs: readonly T[], maxBytes: number): T[][] {
  const batches: T[][] = []
  let batch: T[] = []
  let bytes = 0
  for (const ref of refs) {
    if (batch.length > 0 && (bytes + sealedSize(ref.size) > maxBytes || batch.length >= CHUNK_REQUEST_MAX_IDS)) {
      batches.push(batch)
      batch = []
      bytes = 0
    }
    batch.push(ref)
    bytes += sealedSize(ref.size)
  }
  if (batch.length > 0) batches.push(batch)
  return batches
}

/** Runs `tasks` with at most `concurrency` at once; the first failure is thrown once all settled. */
async function inParallel(tasks: Array<() => Promise<void>>, concurrency: number): Promise<void> {
  const limit = createLimiter(concurrency)
  const results = await Promise.allSettled(tasks.map((task) => limit(task)))
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')
  if (failed !== undefined) throw failed.reason
}

export async function fetchChunks(init: FetchInit): Promise<FetchOutcome> {
  const { store, namespace } = init
  const unique = [...new Map(init.refs.map((ref) => [ref.id, ref])).values()]
  const present = await Promise.all(unique.map((ref) => store.has(namespace, ref.id)))
  let wanted = unique.filter((_, i) => !present[i])
  if (init.checkQuota && wanted.length > 0) {
    const need = wanted.reduce((sum, ref) => sum + sealedSize(ref.size), 0)
    const { usedBytes, quotaBytes } = store.usage()
    if (usedBytes + need > quotaBytes) {
      throw new GridNodeError('QUOTA_EXCEEDED', `This node's store cannot take ${need} more bytes (${usedBytes} of ${quotaBytes} used).`)
    }
  }
  const gone = new Set<string>()
  let bytes = 0
  const storeLimit = createLimiter(STORE_CONCURRENCY)
  for (const peer of init.sources) {
    if (wanted.length === 0) break
    init.signal?.throwIfAborted()
    const stored = new Set<string>()
    const tasks = batchesBySize(wanted, FETCH_BATCH_BYTES).map((batch) => async () => {
      const puts: Array<Promise<void>> = []
      const fetched = init.client.get(
        peer,
        init.group,
        batch.map((ref) => ref.id),
        (index, answer) => {
          const ref = batch[index]!
          if (answer.status === 'gone') gone.add(ref.id)
          if (answer.status !== 'ok' || answer.sealed.byteLength !== sealedSize(ref.size)) return
          puts.push(
            storeLimit(async () => {
              await store.put(namespace, ref.id, answer.sealed, { deferSync: true })
              stored.add(ref.id)
              bytes += answer.sealed.byteLength
            }),
          )
        },
        init.signal,
      )
      // Every put settles before the batch counts as done or failed: none is left running unwatched.
      const [request] = await Promise.allSettled([fetched])
      const writes = await Promise.allSettled(puts)
      const failure = [...writes, request!].find((r): r is PromiseRejectedResult => r.status === 'rejected')
      if (failure !== undefined) throw failure.reason
    })
    try {
      await inParallel(tasks, FETCH_REQUESTS_IN_FLIGHT)
    } catch (err) {
      await store.flush(namespace)
      if ((err as GridNodeError).code === 'QUOTA_EXCEEDED' || init.signal?.aborted === true) throw err
      init.onSourceError?.(peer, err)
    }
    // The chunks' names are durable before the caller records the update as applied.
    await store.flush(namespace)
    wanted = wanted.filter((ref) => !stored.has(ref.id) && !gone.has(ref.id))
  }
  return { gone: [...gone], missing: wanted.map((ref) => ref.id), bytes }
}
