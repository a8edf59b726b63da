/**
 * A copy on another member as a restore's chunk source. Restores read chunks one at a time, file
 * by file, which over the network would be one request per chunk; this source asks for them in
 * batches instead: it knows the order the restore will want them (the manifest's), and each miss
 * fetches that chunk and those after it, bounded in bytes, with a second batch in flight ahead.
 * A source tried only for repairs (readAhead off) batches only what is asked at the same moment.
 */
import type { ChunkSource } from '../restore.ts'
import type { ChunkRef } from '../manifest.ts'
import type { ChunkClient } from './chunk-protocol.ts'
import { FETCH_BATCH_BYTES, RESTORE_BATCH_IDS } from './constants.ts'
import { batchesBySize } from './fetch-chunks.ts'

export interface RemoteSourceInit {
  client: ChunkClient
  peer: string
  group: string
  /** Chunks in the order the restore will ask for them, for read-ahead; empty for none. */
  order: readonly ChunkRef[]
}

type Answer = Uint8Array | undefined

export function createRemoteSource({ client, peer, group, order }: RemoteSourceInit): ChunkSource {
  const position = new Map<string, number>()
  order.forEach((ref, i) => {
    if (!position.has(ref.id)) position.set(ref.id, i)
  })
  /** Answers fetched or on their way, not yet taken by the restore. */
  const cache = new Map<string, Promise<Answer>>()
  /** The next index of `order` not yet asked for. */
  let frontier = 0
  let waiting: Array<{ id: string; resolve: (a: Answer) => void; reject: (e: unknown) => void }> = []
  let flushScheduled = false

  const request = (ids: string[]): Map<string, Promise<Answer>> => {
    const resolvers = new Map<string, { resolve: (a: Answer) => void; reject: (e: unknown) => void }>()
    const promises = new Map<string, Promise<Answer>>()
    for (const id of ids) {
      const { promise, resolve, reject } = Promise.withResolvers<Answer>()
      promise.catch(() => undefined)
      resolvers.set(id, { resolve, reject })
      promises.set(id, promise)
    }
    client
      .get(peer, group, ids, (index, answer) => {
        resolvers.get(ids[index]!)?.resolve(answer.status === 'ok' ? answer.sealed : undefined)
        resolvers.delete(ids[index]!)
      })
      .then(
        () => resolvers.forEach((r) => r.resolve(undefined)),
        (err: unknown) => resolvers.forEach((r) => r.reject(err)),
      )
    return promises
  }

  /** Asks for the chunks of `order` from `from` on, one batch's worth, skipping those already asked. */
  const readAhead = (from: number): void => {
    if (from < frontier) from = frontier
    const batch = batchesBySize(order.slice(from).filter((ref) => !cache.has(ref.id)), FETCH_BATCH_BYTES)[0] ?? []
    if (batch.length === 0) return
    const last = position.get(batch.at(-1)!.id) ?? from
    frontier = Math.max(frontier, last + 1)
    for (const [id, answer] of request(batch.map((ref) => ref.id))) cache.set(id, answer)
  }

  const flush = (): void => {
    flushScheduled = false
    const batch = waiting
    waiting = []
    for (let at = 0; at < batch.length; at += RESTORE_BATCH_IDS) {
      const part = batch.slice(at, at + RESTORE_BATCH_IDS)
      const answers = request(part.map((w) => w.id))
      for (const w of part) answers.get(w.id)!.then(w.resolve, w.reject)
    }
  }

  return {
    name: peer,
    getChunk(id) {
      const at = position.get(id)
      if (at !== undefined && !cache.has(id)) readAhead(at)
      const cached = cache.get(id)
      if (cached !== undefined) {
        cache.delete(id)
        // Keep one batch ahead of what the restore takes.
        if (at !== undefined && at + 1 >= frontier - Math.floor(RESTORE_BATCH_IDS / 2)) readAhead(frontier)
        return cached
      }
      return new Promise<Answer>((resolve, reject) => {
        waiting.push({ id, resolve, reject })
        if (!flushScheduled) {
          flushScheduled = true
          setImmediate(flush)
        }
      })
    },
  }
}
