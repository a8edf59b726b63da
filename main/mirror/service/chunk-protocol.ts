/**
 * The bulk chunk protocol between copies of a folder (members only), one stream per request:
 *
 *   client → request      get (a batch of chunk ids) | state | refs | resync
 *   server → frames       per id, in order: the sealed chunk, or "missing", or "gone"
 *                         (state, refs: control frames; resync: one control frame once taken)
 *
 * Every frame is a 5-byte header (kind, length) and its body, written with the stream's
 * backpressure; control bodies are CBOR checked by a schema. A client asks for batches bounded
 * in bytes and keeps a few streams in flight, so the link stays busy while each batch is stored.
 * A malformed request or frame aborts its stream, never the node.
 *
 * "gone" is a definite answer: the owner's folder no longer holds that chunk (a later update
 * replaces it), or a copy recorded it as gone when it applied. "missing" is not: ask elsewhere or later.
 */
import * as dagCbor from '@ipld/dag-cbor'
import type { Connection, Stream } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { z } from 'zod'
import { GridNodeError, isErrorCode, toGridNodeError } from '../../../shared/errors.ts'
import type { Logger } from '../../log/logger.ts'
import type { GridHost } from '../../p2p/host.ts'
import { STORE_MAX_OBJECT_BYTES } from '../constants.ts'
import { isChunkId } from '../folder-crypto.ts'
import { CHUNK_IDLE_TIMEOUT_MS, CHUNK_PROTOCOL, CHUNK_REQUEST_MAX_IDS, CONTROL_FRAME_MAX_BYTES, REFS_PER_FRAME, SEND_COALESCE_BYTES, SERVE_READ_AHEAD } from './constants.ts'
import { ManifestRefSchema } from './payload.ts'

const FRAME = { chunk: 0, missing: 1, gone: 2, control: 3, error: 4 } as const
const HEADER_BYTES = 5
const groupId = z.string().min(1).max(128)
const chunkIdSchema = z.string().refine(isChunkId, 'a chunk id')

const RequestSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('get'), group: groupId, ids: z.array(chunkIdSchema).min(1).max(CHUNK_REQUEST_MAX_IDS) }),
  z.object({ type: z.literal('state'), group: groupId }),
  z.object({ type: z.literal('refs'), group: groupId }),
  z.object({ type: z.literal('resync'), group: groupId }),
])
type Request = z.infer<typeof RequestSchema>

const PositionSchema = z.object({ epoch: z.number().int().nonnegative(), seq: z.number().int().nonnegative() })
/** What a copy holds: the last update it applied, and the manifest as of it (null before the first). */
export const CopyStateSchema = z.object({ position: PositionSchema, manifest: ManifestRefSchema.nullable() })
export type CopyState = z.infer<typeof CopyStateSchema>
const RefsHeaderSchema = z.object({ state: CopyStateSchema, count: z.number().int().nonnegative().max(10_000_000), holes: z.array(chunkIdSchema).max(1_000_000) })
/** A chunk id with its sealed size. */
const RefSchema = z.tuple([chunkIdSchema, z.number().int().positive().max(STORE_MAX_OBJECT_BYTES)])
const RefsBatchSchema = z.array(RefSchema).max(REFS_PER_FRAME)
/** What a copy holds in full: its state, every chunk with its sealed size, and the chunks it knows are gone. */
export interface CopyRefs {
  state: CopyState
  refs: Array<[string, number]>
  holes: string[]
}
const ErrorSchema = z.object({ code: z.string().max(64), message: z.string().max(1024) })
const TakenSchema = z.object({ taken: z.literal(true) })

export type ChunkAnswer = { status: 'ok'; sealed: Uint8Array } | { status: 'missing' } | { status: 'gone' }

/** What a node serves of the groups it holds a copy of. Throw NOT_FOUND for a group it does not hold. */
export interface ChunkServerHandlers {
  /** Checks that `from` may fetch the group's chunks (once per request) and returns what answers them. */
  chunks(group: string, from: string): (id: string) => Promise<ChunkAnswer>
  state(group: string, from: string): Promise<CopyState>
  refs(group: string, from: string): Promise<CopyRefs>
  /** `from` (the acting primary) asks this copy to install a full copy from it. */
  resync(group: string, from: string): void
}

export interface ChunkClient {
  /** Streams the answers for `ids` (one batch, in order) to `onAnswer`; resolves once all arrived. */
  get(peer: string, group: string, ids: readonly string[], onAnswer: (index: number, answer: ChunkAnswer) => void, signal?: AbortSignal): Promise<void>
  state(peer: string, group: string, signal?: AbortSignal): Promise<CopyState>
  refs(peer: string, group: string, signal?: AbortSignal): Promise<CopyRefs>
  resync(peer: string, group: string, signal?: AbortSignal): Promise<void>
}

const header = (kind: number, length: number): Uint8Array => {
  const bytes = new Uint8Array(HEADER_BYTES)
  bytes[0] = kind
  new DataView(bytes.buffer).setUint32(1, length)
  return bytes
}

interface FrameWriter {
  /** Queues a frame; sends what is queued once it reaches SEND_COALESCE_BYTES. */
  frame(kind: number, body?: Uint8Array): Promise<void>
  /** Sends what is queued (before waiting for anything, and at the end). */
  flush(): Promise<void>
}

/**
 * Frames go out gathered into sends of about SEND_COALESCE_BYTES: each send is a yamux frame, a
 * Noise message and a socket write, which for a 1 KiB chunk cost many times its bytes (measured:
 * a small file's chunk took some 120 µs when its header and body went as two sends).
 */
function frameWriter(stream: Stream, signal: AbortSignal): FrameWriter {
  let parts: Uint8Array[] = []
  let bytes = 0
  const flush = async (): Promise<void> => {
    if (bytes === 0) return
    const data = Buffer.concat(parts, bytes)
    parts = []
    bytes = 0
    if (!stream.send(data)) await stream.onDrain({ signal })
  }
  return {
    async frame(kind, body) {
      const length = body?.byteLength ?? 0
      parts.push(header(kind, length))
      if (body !== undefined && length > 0) parts.push(body)
      bytes += HEADER_BYTES + length
      if (bytes >= SEND_COALESCE_BYTES) await flush()
    },
    flush,
  }
}

async function writeFrame(stream: Stream, kind: number, body: Uint8Array | undefined, signal: AbortSignal): Promise<void> {
  const writer = frameWriter(stream, signal)
  await writer.frame(kind, body)
  await writer.flush()
}

const writeControl = (stream: Stream, value: unknown, signal: AbortSignal) => writeFrame(stream, FRAME.control, dagCbor.encode(value), signal)

interface Frame {
  kind: number
  body: Uint8Array
}

/**
 * Reads frames off a stream as they complete; a frame over its kind's limit aborts the read. Each
 * body is copied once, piece by piece, into a buffer of its announced size as the pieces arrive.
 */
async function* frames(stream: Stream, signal: AbortSignal): AsyncGenerator<Frame, void, undefined> {
  const head = new Uint8Array(HEADER_BYTES)
  let headFilled = 0
  let current: { kind: number; body: Uint8Array; filled: number } | undefined
  const abort = (): void => stream.abort(new GridNodeError('TIMEOUT', 'The peer stopped sending.'))
  signal.addEventListener('abort', abort, { once: true })
  try {
    for await (const chunk of stream) {
      const done: Frame[] = []
      for (const piece of chunk instanceof Uint8Array ? [chunk] : chunk) {
        for (let at = 0; at < piece.byteLength; ) {
          if (current === undefined) {
            const take = Math.min(HEADER_BYTES - headFilled, piece.byteLength - at)
            head.set(piece.subarray(at, at + take), headFilled)
            headFilled += take
            at += take
            if (headFilled < HEADER_BYTES) continue
            headFilled = 0
            const kind = head[0]!
            const length = new DataView(head.buffer).getUint32(1)
            const limit = kind === FRAME.chunk ? STORE_MAX_OBJECT_BYTES : kind === FRAME.control || kind === FRAME.error ? CONTROL_FRAME_MAX_BYTES : 0
            if (kind > FRAME.error || length > limit) throw new GridNodeError('BAD_REQUEST', `The peer sent a frame of kind ${kind} and ${length} bytes.`)
            current = { kind, body: Buffer.allocUnsafe(length), filled: 0 }
          } else {
            const take = Math.min(current.body.byteLength - current.filled, piece.byteLength - at)
            current.body.set(piece.subarray(at, at + take), current.filled)
            current.filled += take
            at += take
          }
          if (current !== undefined && current.filled === current.body.byteLength) {
            done.push({ kind: current.kind, body: current.body })
            current = undefined
          }
        }
      }
      yield* done
    }
  } finally {
    signal.removeEventListener('abort', abort)
  }
  signal.throwIfAborted()
  if (current !== undefined || headFilled > 0) throw new GridNodeError('BAD_REQUEST', 'The peer ended its stream in the middle of a frame.')
}

function decodeControl<S extends z.ZodType>(frame: Frame | undefined, schema: S): z.output<S> {
  if (frame === undefined) throw new GridNodeError('BAD_RESPONSE', 'The peer closed the stream without answering.')
  let value: unknown
  try {
    value = dagCbor.decode(frame.body)
  } catch {
    throw new GridNodeError('BAD_REQUEST', 'The peer sent a frame that is not CBOR.')
  }
  if (frame.kind === FRAME.error) {
    const error = ErrorSchema.safeParse(value)
    if (!error.success) throw new GridNodeError('BAD_RESPONSE', 'The peer sent a malformed error.')
    throw new GridNodeError(isErrorCode(error.data.code) ? error.data.code : 'BAD_RESPONSE', error.data.message)
  }
  if (frame.kind !== FRAME.control) throw new GridNodeError('BAD_REQUEST', `The peer sent a frame of kind ${frame.kind} where an answer was due.`)
  const parsed = schema.safeParse(value)
  if (!parsed.success) throw new GridNodeError('BAD_REQUEST', `The peer sent a malformed answer: ${parsed.error.issues[0]?.message ?? 'invalid'}.`)
  return parsed.data
}

/** An abort signal that fires when nothing happened for `ms` (each `touch` restarts it), or when `outer` fires. */
function idleSignal(ms: number, outer?: AbortSignal): { signal: AbortSignal; touch: () => void; done: () => void } {
  const controller = new AbortController()
  let timer: NodeJS.Timeout | undefined
  const touch = (): void => {
    clearTimeout(timer)
    timer = setTimeout(() => controller.abort(new GridNodeError('TIMEOUT', 'The peer stopped answering.')), ms)
  }
  const onOuter = (): void => controller.abort(outer?.reason)
  outer?.addEventListener('abort', onOuter, { once: true })
  touch()
  return {
    signal: controller.signal,
    touch,
    done: () => {
      clearTimeout(timer)
      outer?.removeEventListener('abort', onOuter)
    },
  }
}

export async function serveChunks(host: GridHost, handlers: ChunkServerHandlers, logger: Logger): Promise<void> {
  const answerGet = async (stream: Stream, request: Extract<Request, { type: 'get' }>, from: string, signal: AbortSignal): Promise<void> => {
    const chunk = handlers.chunks(request.group, from)
    const answers: Array<Promise<ChunkAnswer> | undefined> = []
    /** Answers already there: what is queued is sent only before waiting for one that is not. */
    const ready: Array<ChunkAnswer | undefined> = []
    const start = (i: number): void => {
      const answer = chunk(request.ids[i]!).catch((err: unknown): ChunkAnswer => {
        if (toGridNodeError(err).code === 'NOT_FOUND') throw err
        return { status: 'missing' }
      })
      answer.then((value) => void (ready[i] = value), () => undefined)
      answers[i] = answer
    }
    const writer = frameWriter(stream, signal)
    for (let i = 0; i < Math.min(SERVE_READ_AHEAD, request.ids.length); i++) start(i)
    for (let i = 0; i < request.ids.length; i++) {
      if (ready[i] === undefined) await writer.flush()
      const answer = ready[i] ?? (await answers[i]!)
      answers[i] = undefined
      ready[i] = undefined
      if (i + SERVE_READ_AHEAD < request.ids.length) start(i + SERVE_READ_AHEAD)
      if (answer.status === 'ok') await writer.frame(FRAME.chunk, answer.sealed)
      else await writer.frame(answer.status === 'gone' ? FRAME.gone : FRAME.missing)
    }
    await writer.flush()
  }

  const answer = async (stream: Stream, request: Request, from: string, signal: AbortSignal): Promise<void> => {
    switch (request.type) {
      case 'get':
        return answerGet(stream, request, from, signal)
      case 'state':
        return writeControl(stream, await handlers.state(request.group, from), signal)
      case 'refs': {
        const { state, refs, holes } = await handlers.refs(request.group, from)
        const writer = frameWriter(stream, signal)
        await writer.frame(FRAME.control, dagCbor.encode({ state, count: refs.length, holes }))
        for (let at = 0; at < refs.length; at += REFS_PER_FRAME) await writer.frame(FRAME.control, dagCbor.encode(refs.slice(at, at + REFS_PER_FRAME)))
        return writer.flush()
      }
      case 'resync':
        handlers.resync(request.group, from)
        return writeControl(stream, { taken: true }, signal)
    }
  }

  await host.handle(
    CHUNK_PROTOCOL,
    async (stream: Stream, connection: Connection) => {
      const from = connection.remotePeer.toString()
      const idle = idleSignal(CHUNK_IDLE_TIMEOUT_MS)
      try {
        const reader = frames(stream, idle.signal)
        const first = await reader.next()
        await reader.return(undefined)
        const request = RequestSchema.safeParse(first.done === true ? undefined : (() => {
          try {
            return first.value.kind === FRAME.control ? dagCbor.decode(first.value.body) : undefined
          } catch {
            return undefined
          }
        })())
        if (!request.success) throw new GridNodeError('BAD_REQUEST', `The peer sent a malformed chunk request: ${request.error.issues[0]?.message ?? 'invalid'}.`)
        try {
          await answer(stream, request.data, from, idle.signal)
        } catch (err) {
          const error = toGridNodeError(err)
          if (error.code !== 'NOT_FOUND' && error.code !== 'FORBIDDEN') throw err
          await writeFrame(stream, FRAME.error, dagCbor.encode({ code: error.code, message: error.message }), idle.signal)
        }
        await stream.close({ signal: idle.signal })
      } catch (err) {
        logger.debug({ remote: from, err: (err as Error).message }, 'chunk stream aborted')
        stream.abort(err as Error)
      } finally {
        idle.done()
      }
    },
    { maxInboundStreams: 64, maxOutboundStreams: 64 },
  )
}

export function createChunkClient(host: GridHost, dialTimeoutMs: number): ChunkClient {
  const connectionTo = async (peer: string, signal: AbortSignal): Promise<Connection> => {
    const id = peerIdFromString(peer)
    return host.getConnections(id)[0] ?? (await host.dial(id, { signal: AbortSignal.any([signal, AbortSignal.timeout(dialTimeoutMs)]) }))
  }

  /** Opens a stream, sends the request, and hands each answer frame to `onFrame` (which returns false to stop). */
  const exchange = async (peer: string, request: Request, onFrame: (frame: Frame) => boolean | void, outer?: AbortSignal): Promise<void> => {
    const idle = idleSignal(CHUNK_IDLE_TIMEOUT_MS, outer)
    let stream: Stream | undefined
    try {
      stream = await (await connectionTo(peer, idle.signal)).newStream(CHUNK_PROTOCOL, { signal: idle.signal })
      const reader = frames(stream, idle.signal)
      // The reader subscribes before the request leaves, so no answer can slip past it.
      const first = reader.next()
      await writeControl(stream, request, idle.signal)
      await stream.close({ signal: idle.signal })
      for (let next = await first; next.done !== true; next = await reader.next()) {
        idle.touch()
        if (onFrame(next.value) === false) break
      }
    } catch (err) {
      stream?.abort(err as Error)
      throw err
    } finally {
      idle.done()
    }
  }

  const control = async <S extends z.ZodType>(peer: string, request: Request, schema: S, signal?: AbortSignal): Promise<z.output<S>> => {
    let answer: Frame | undefined
    await exchange(peer, request, (frame) => {
      answer = frame
      return false
    }, signal)
    return decodeControl(answer, schema)
  }

  return {
    async get(peer, group, ids, onAnswer, signal) {
      let index = 0
      await exchange(peer, { type: 'get', group, ids: [...ids] }, (frame) => {
        if (index >= ids.length) throw new GridNodeError('BAD_REQUEST', 'The peer sent more answers than ids were asked.')
        if (frame.kind === FRAME.error) decodeControl(frame, z.never())
        if (frame.kind === FRAME.chunk) onAnswer(index, { status: 'ok', sealed: frame.body })
        else if (frame.kind === FRAME.missing || frame.kind === FRAME.gone) onAnswer(index, { status: frame.kind === FRAME.gone ? 'gone' : 'missing' })
        else throw new GridNodeError('BAD_REQUEST', `The peer sent a frame of kind ${frame.kind} among chunks.`)
        index++
      }, signal)
      if (index < ids.length) throw new GridNodeError('BAD_RESPONSE', `The peer answered ${index} of ${ids.length} chunk ids.`)
    },
    state: (peer, group, signal) => control(peer, { type: 'state', group }, CopyStateSchema, signal),
    async refs(peer, group, signal) {
      let head: z.output<typeof RefsHeaderSchema> | undefined
      const refs: Array<[string, number]> = []
      await exchange(peer, { type: 'refs', group }, (frame) => {
        if (head === undefined) head = decodeControl(frame, RefsHeaderSchema)
        else refs.push(...decodeControl(frame, RefsBatchSchema))
        if (refs.length > head.count) throw new GridNodeError('BAD_REQUEST', 'The peer sent more ids than it announced.')
      }, signal)
      if (head === undefined || refs.length !== head.count) throw new GridNodeError('BAD_RESPONSE', 'The peer ended its reference set early.')
      return { state: head.state, refs, holes: head.holes }
    },
    async resync(peer, group, signal) {
      await control(peer, { type: 'resync', group }, TakenSchema, signal)
    },
  }
}
