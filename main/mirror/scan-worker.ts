/**
 * The scan worker's thread (see scan-thread.ts): folder scans and chunk reads with synchronous
 * file system calls, off the node's main thread, one request at a time in the order they came.
 * A scan seals the new chunks it reads while its budget lasts and sends them in batches, their
 * buffers transferred, not copied.
 */
import { closeSync, openSync, readSync } from 'node:fs'
import { join } from 'node:path'
import { parentPort } from 'node:worker_threads'
import { GridNodeError } from '../../shared/errors.ts'
import { chunkId, deriveFolderKeys, sealChunk, type FolderKeys } from './folder-crypto.ts'
import { MANIFEST_VERSION, type Manifest } from './manifest.ts'
import { manifestDelta } from './manifest-delta.ts'
import { SCAN_OPEN_FLAGS, scanFolder } from './scanner.ts'
import type { ReadRequest, WireScanRequest, WorkerReply, WorkerRequest } from './scan-thread.ts'

/** A batch of sealed chunks goes out at this many chunks or bytes: few messages, and the pull can start on the first ones. */
const BATCH_CHUNKS = 256
const BATCH_BYTES = 4 * 1024 * 1024

const port = parentPort
if (port === null) throw new Error('scan-worker.ts runs as a worker thread (see scan-thread.ts).')

const reply = (message: WorkerReply, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer)

/** The keys of the last folder asked about: consecutive requests are mostly for the same folder. */
let lastKeys: { secret: string; keys: FolderKeys } | undefined
function keysOf(secret: Uint8Array): FolderKeys {
  const hex = Buffer.from(secret).toString('hex')
  if (lastKeys?.secret !== hex) lastKeys = { secret: hex, keys: deriveFolderKeys(secret) }
  return lastKeys.keys
}

/** Per folder, the manifest of its last scan (the node's side holds the same; see scan-thread.ts). */
const held = new Map<string, { manifest: Manifest; token: number }>()
let tokens = 0

function previousOf(request: WireScanRequest): Manifest | undefined {
  if (request.held === undefined) return request.previous
  const kept = held.get(request.root)
  if (kept?.token !== request.held) throw new GridNodeError('INTERNAL', 'The scan thread no longer holds the manifest it was asked to scan from.')
  return kept.manifest
}

async function scan(request: WireScanRequest): Promise<void> {
  const keys = keysOf(request.secret)
  const previous = previousOf(request)
  held.delete(request.root)
  const cancelled = new Int32Array(request.cancel)
  const abort = new AbortController()
  const checkCancelled = (): void => {
    if (Atomics.load(cancelled, 0) === 1) abort.abort()
  }
  const { seal } = request
  let sealedBytes = 0
  let batch: Array<{ id: string; sealed: Uint8Array }> = []
  let batchBytes = 0
  const flush = (): void => {
    if (batch.length === 0) return
    // A chunk with a buffer of its own goes as it is; the small ones (views of Node's shared pool)
    // are copied into one buffer of their own. Nothing large is copied: fresh pages cost here.
    const own = (sealed: Uint8Array): boolean => sealed.byteOffset === 0 && sealed.byteLength === sealed.buffer.byteLength
    const shared = new Uint8Array(batch.reduce((sum, { sealed }) => sum + (own(sealed) ? 0 : sealed.byteLength), 0))
    let offset = 0
    const chunks = batch.map(({ sealed }) => {
      if (own(sealed)) return sealed
      shared.set(sealed, offset)
      offset += sealed.byteLength
      return shared.subarray(offset - sealed.byteLength, offset)
    })
    const transfer = [...new Set(chunks.map((chunk) => chunk.buffer as ArrayBuffer))]
    reply({ type: 'sealed', ids: batch.map((chunk) => chunk.id), chunks }, transfer)
    batch = []
    batchBytes = 0
  }
  let newChunks = 0
  let newBytes = 0
  const result = await scanFolder({
    root: request.root,
    keys,
    signal: abort.signal,
    ...(previous === undefined ? {} : { previous }),
    ...(request.paths === undefined ? {} : { paths: request.paths }),
    onChunk: ({ id, data }) => {
      checkCancelled()
      newChunks++
      newBytes += data.byteLength
      if (sealedBytes + data.byteLength > seal.bytes + (data.byteLength <= seal.smallChunkBytes ? seal.smallBytes : 0)) return
      const sealed = sealChunk(keys, id, data)
      sealedBytes += sealed.byteLength
      batch.push({ id, sealed })
      batchBytes += sealed.byteLength
      if (batch.length >= BATCH_CHUNKS || batchBytes >= BATCH_BYTES) flush()
    },
    onFileRead: (sofar) => {
      checkCancelled()
      const every = request.partialEvery
      if (every === undefined || (newChunks < every.chunks && newBytes < every.bytes)) return
      newChunks = 0
      newBytes = 0
      flush()
      reply({ type: 'partial', manifest: sofar() })
    },
  })
  flush()
  const { manifest, ...rest } = result
  const token = ++tokens
  held.set(request.root, { manifest, token })
  reply({ type: 'scanned', result: rest, delta: manifestDelta(previous ?? { version: MANIFEST_VERSION, entries: [] }, manifest), token })
}

/** The chunk `id` from its file, sealed; null when the file does not hold it there any more. */
function read(request: ReadRequest): void {
  const data = Buffer.allocUnsafeSlow(request.size)
  let bytesRead: number
  try {
    const fd = openSync(join(request.root, request.path), SCAN_OPEN_FLAGS)
    try {
      bytesRead = readSync(fd, data, 0, request.size, request.offset)
    } finally {
      closeSync(fd)
    }
  } catch {
    return reply({ type: 'read', sealed: null })
  }
  const keys = keysOf(request.secret)
  if (bytesRead !== request.size || chunkId(keys, data) !== request.id) return reply({ type: 'read', sealed: null })
  // A small sealed chunk may be a view of Node's shared buffer pool: send a copy of its own.
  const sealed = new Uint8Array(sealChunk(keys, request.id, data))
  reply({ type: 'read', sealed }, [sealed.buffer])
}

let chain = Promise.resolve()
port.on('message', (request: WorkerRequest) => {
  chain = chain.then(async () => {
    try {
      if (request.op === 'scan') await scan(request)
      else if (request.op === 'read') read(request)
      else held.delete(request.root)
    } catch (err) {
      reply({ type: 'failed', code: err instanceof GridNodeError ? err.code : undefined, message: (err as Error).message })
    }
  })
})
