/**
 * The node's side of the scan worker (scan-worker.ts): a thread that scans shared folders and
 * reads chunks back from their files, so the main thread, which runs the node's protocols and
 * the chunk streams, never spends itself on file system calls, chunking, hashing or sealing.
 *
 * A thread serves its requests one at a time, in order: a node keeps one for scans and one for
 * chunk reads, so a backup's pull is never queued behind a long scan. A scan can be cancelled
 * (a flag in shared memory the worker checks between files). A thread that dies fails what it
 * was doing and is started again by the next request.
 */
import { Worker } from 'node:worker_threads'
import { GridNodeError, isErrorCode } from '../../shared/errors.ts'
import { MANIFEST_VERSION, type Manifest } from './manifest.ts'
import { applyManifestDelta, type ManifestDelta } from './manifest-delta.ts'
import type { ScanResult } from './scanner.ts'

export interface ScanRequest {
  root: string
  /** The folder secret (the worker derives its keys). */
  secret: Uint8Array
  previous?: Manifest
  paths?: readonly string[]
  /** Hand on what a full scan has read so far every this many new chunks or bytes (see ScanHandlers.partial). */
  partialEvery?: { chunks: number; bytes: number }
  /**
   * Seal the new chunks the scan reads, in reading order, up to `bytes` sealed bytes in all, and
   * `smallBytes` more for chunks of at most `smallChunkBytes`.
   */
  seal: { bytes: number; smallBytes: number; smallChunkBytes: number }
}

export interface ScanHandlers {
  /** New chunks, sealed, in reading order (a chunk read twice, e.g. of a file that changed, may come twice). */
  sealed?: (id: string, sealed: Uint8Array) => void
  /** The manifest of what the scan has recorded so far (from partialEvery). */
  partial?: (manifest: Manifest) => void
}

export interface ReadRequest {
  root: string
  secret: Uint8Array
  path: string
  offset: number
  size: number
  id: string
}

/** A scan from the manifest the worker holds for the folder sends `held` (its token) instead of the manifest. */
export type WireScanRequest = Omit<ScanRequest, 'previous'> & { cancel: SharedArrayBuffer; previous?: Manifest; held?: number }

export type WorkerRequest = ({ op: 'scan' } & WireScanRequest) | ({ op: 'read' } & ReadRequest) | { op: 'forget'; root: string }

export type WorkerReply =
  /** Each sealed chunk a view of a transferred buffer: its own, or one that small chunks share. */
  | { type: 'sealed'; ids: string[]; chunks: Uint8Array[] }
  | { type: 'partial'; manifest: Manifest }
  /** The result's manifest as a delta from the scan's previous one, which the worker now holds as `token`. */
  | { type: 'scanned'; result: Omit<ScanResult, 'manifest'>; delta: ManifestDelta; token: number }
  | { type: 'read'; sealed: Uint8Array | null }
  | { type: 'failed'; code: string | undefined; message: string }

export interface ScanThread {
  /** Resolves with the scan's result; rejects with the scan's error, or ABORTED once cancelled. */
  scan(request: ScanRequest, handlers: ScanHandlers, signal?: AbortSignal): Promise<ScanResult>
  /** The chunk sealed, or null when the file no longer holds it there. */
  read(request: ReadRequest): Promise<Uint8Array | null>
  /** The folder is no longer scanned: the thread lets go of the manifest it holds for it. */
  forget(root: string): void
  /** Stops the thread; requests under way fail (a later request starts it again). */
  close(): Promise<void>
}

const EMPTY: Manifest = { version: MANIFEST_VERSION, entries: [] }

/** From the sources the worker is a .ts file beside this one; in the Electron build, a bundle entry of its own beside the main bundle. */
const WORKER_URL = new URL(import.meta.url.endsWith('.ts') ? './scan-worker.ts' : './scan-worker.js', import.meta.url)

interface Pending {
  onReply(reply: WorkerReply): void
  fail(err: Error): void
}

export function createScanThread(): ScanThread {
  let worker: Worker | undefined
  /** Requests in the order sent: the worker answers them in that order. */
  const queue: Pending[] = []
  /**
   * Per folder, the manifest of its last scan: the worker holds it too (as `token`), so a scan
   * from it (the owner's usual case, the base it proposed) sends the token, not the manifest.
   */
  const held = new Map<string, { manifest: Manifest; token: number }>()

  const spawn = (): Worker => {
    const started = new Worker(WORKER_URL)
    started.on('message', (reply: WorkerReply) => queue[0]?.onReply(reply))
    const dead = (err: Error): void => {
      if (worker === started) worker = undefined
      held.clear()
      for (const pending of queue.splice(0)) pending.fail(err)
    }
    started.on('error', dead)
    started.on('exit', (code) => dead(new GridNodeError('INTERNAL', `The scan thread stopped (exit code ${code}).`)))
    // An idle thread must not keep the node's process alive.
    started.unref()
    return started
  }

  const send = (request: WorkerRequest, pending: Pending): void => {
    worker ??= spawn()
    worker.ref()
    queue.push(pending)
    worker.postMessage(request)
  }

  const settle = (pending: Pending): void => {
    if (queue[0] === pending) queue.shift()
    if (queue.length === 0) worker?.unref()
  }

  const failure = (reply: Extract<WorkerReply, { type: 'failed' }>): Error =>
    reply.code !== undefined && isErrorCode(reply.code) ? new GridNodeError(reply.code, reply.message) : new Error(reply.message)

  return {
    scan(request, handlers, signal) {
      if (signal?.aborted === true) return Promise.reject(signal.reason as Error)
      const cancel = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT)
      const onAbort = () => Atomics.store(new Int32Array(cancel), 0, 1)
      signal?.addEventListener('abort', onAbort, { once: true })
      return new Promise<ScanResult>((resolve, reject) => {
        const pending: Pending = {
          onReply(reply) {
            if (reply.type === 'sealed') return reply.ids.forEach((id, i) => handlers.sealed?.(id, reply.chunks[i]!))
            if (reply.type === 'partial') return handlers.partial?.(reply.manifest)
            settle(pending)
            if (reply.type === 'scanned') {
              const manifest = applyManifestDelta(request.previous ?? EMPTY, reply.delta)
              held.set(request.root, { manifest, token: reply.token })
              resolve({ ...reply.result, manifest })
            }
            else if (reply.type === 'failed') reject(failure(reply))
            else reject(new Error(`The scan thread answered a scan with ${reply.type}.`))
          },
          fail: reject,
        }
        const { previous, ...rest } = request
        const token = held.get(request.root)
        held.delete(request.root)
        const from = previous === undefined ? {} : token?.manifest === previous ? { held: token.token } : { previous }
        send({ op: 'scan', cancel, ...rest, ...from }, pending)
      }).finally(() => signal?.removeEventListener('abort', onAbort))
    },
    read(request) {
      return new Promise((resolve, reject) => {
        const pending: Pending = {
          onReply(reply) {
            settle(pending)
            if (reply.type === 'read') resolve(reply.sealed)
            else if (reply.type === 'failed') reject(failure(reply))
            else reject(new Error(`The scan thread answered a read with ${reply.type}.`))
          },
          fail: reject,
        }
        send({ op: 'read', ...request }, pending)
      })
    },
    forget(root) {
      if (!held.delete(root) || worker === undefined) return
      worker.postMessage({ op: 'forget', root } satisfies WorkerRequest)
    },
    async close() {
      const stopping = worker
      worker = undefined
      await stopping?.terminate()
    },
  }
}
