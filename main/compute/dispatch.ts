/**
 * The submitter's side of a run: sends the job to an executor — another member over the job
 * protocol, or this node's own executor in-process — and reports what becomes of it, in the
 * terms the coordinator understands. A run that cannot start is refused (busy or unreachable,
 * the job waits); one that breaks off after it started is lost (it resumes elsewhere).
 */
import type { Connection } from '@libp2p/interface'
import { JOB_LIMITS } from '../../shared/api/compute-schemas.ts'
import { GridNodeError } from '../../shared/errors.ts'
import type { JobError, RefusalReason } from './coordinator.ts'
import { openChannel } from '../p2p/channel.ts'
import { REQUEST_TIMEOUT_MS } from '../p2p/messaging.ts'
import { EXECUTOR_HEARTBEAT_MS, OFFER_TIMEOUT_MS } from './constants.ts'
import type { Executor, RunOrder, RunOutcome } from './executor.ts'
import { COMPUTE_PROTOCOL, OfferAnswerSchema, RunEventSchema, type Offer } from './wire.ts'

/** What becomes of a run; exactly one of refused, result, failed or lost ends it. */
export interface RunReport {
  accepted(): void
  refused(reason: RefusalReason): void
  /** Null: only a sign of life. */
  progress(fraction: number | null): void
  checkpoint(seq: number, intervalMs: number | null, state: Uint8Array): void
  result(output: Uint8Array, cpuMs: number, wallMs: number): void
  failed(error: JobError): void
  lost(cause: 'gone' | 'paused', reason: string): void
}

export interface RunPayloads {
  module: Uint8Array
  input: Uint8Array
  resumeFrom?: Uint8Array
}

export interface RunHandle {
  /** Stops the run (closing its stream); nothing more is reported. */
  abort(): void
}

/** Sends a run to another member over the job protocol. */
export function dispatchRemote(connect: (signal: AbortSignal) => Promise<Connection>, offer: Offer, payloads: RunPayloads, report: RunReport): RunHandle {
  const controller = new AbortController()
  let stream: Awaited<ReturnType<Connection['newStream']>> | undefined
  let started = false

  void (async () => {
    try {
      const connection = await connect(AbortSignal.any([controller.signal, AbortSignal.timeout(OFFER_TIMEOUT_MS)]))
      stream = await connection.newStream(COMPUTE_PROTOCOL, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) })
      if (controller.signal.aborted) return stream.abort(new Error('cancelled'))
      const channel = openChannel(stream, { maxPayloadBytes: JOB_LIMITS.payloadBytes })
      await channel.send(offer)
      const answer = await channel.receive(OfferAnswerSchema, AbortSignal.timeout(REQUEST_TIMEOUT_MS))
      if (answer.type === 'busy') {
        report.refused('busy')
        await stream.close().catch(() => undefined)
        return
      }
      const transfer = AbortSignal.timeout(OFFER_TIMEOUT_MS)
      await channel.sendPayload(payloads.module, transfer)
      await channel.sendPayload(payloads.input, transfer)
      if (payloads.resumeFrom !== undefined) await channel.sendPayload(payloads.resumeFrom, transfer)
      started = true
      report.accepted()
      // No timeout on reading: the coordinator declares a silent run lost and aborts it.
      for (;;) {
        const event = await channel.receive(RunEventSchema)
        if (event.type === 'progress') report.progress(event.fraction)
        else if (event.type === 'checkpoint') report.checkpoint(event.seq, event.intervalMs, await channel.receivePayload())
        else {
          if (event.type === 'result') report.result(await channel.receivePayload(), event.cpuMs, event.wallMs)
          else if (event.type === 'failed') report.failed({ code: event.code, message: event.message })
          else report.lost(event.reason === 'paused' ? 'paused' : 'gone', `The executor stopped the run (${event.reason}).`)
          await stream.close({ signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) }).catch(() => undefined)
          return
        }
      }
    } catch (err) {
      stream?.abort(err as Error)
      if (controller.signal.aborted) return
      const message = err instanceof Error ? err.message : String(err)
      if (started) report.lost('gone', `The connection to the executor broke: ${message}`)
      else report.refused('unreachable')
    }
  })()

  return {
    abort() {
      controller.abort()
      stream?.abort(new GridNodeError('JOB_CANCELLED', 'The submitter stopped the run.'))
    },
  }
}

/** Runs a job on this node's own executor: the same reports, no network. */
export function dispatchLocal(executor: Executor, order: RunOrder, report: RunReport): RunHandle {
  const reservation = executor.reserve()
  const controller = new AbortController()
  if (reservation === null) {
    queueMicrotask(() => report.refused('busy'))
    return { abort: () => controller.abort() }
  }
  const live = (then: () => void): void => {
    if (!controller.signal.aborted) then()
  }
  queueMicrotask(() => live(() => report.accepted()))
  // The same sign of life a remote executor gives, so the coordinator's silence check holds alike.
  const heartbeat = setInterval(() => live(() => report.progress(null)), EXECUTOR_HEARTBEAT_MS)
  reservation
    .run(
      order,
      {
        progress: (fraction) => live(() => report.progress(fraction)),
        checkpoint: (state, seq, intervalMs) => live(() => report.checkpoint(seq, intervalMs, state)),
      },
      controller.signal,
    )
    .then((outcome: RunOutcome) => {
      clearInterval(heartbeat)
      live(() => {
        if (outcome.type === 'result') report.result(outcome.output, outcome.cpuMs, outcome.wallMs)
        else if (outcome.type === 'failed') report.failed({ code: outcome.code, message: outcome.message })
        else report.lost(outcome.reason === 'paused' ? 'paused' : 'gone', `This node stopped the run (${outcome.reason}).`)
      })
    })
  return {
    abort() {
      clearInterval(heartbeat)
      controller.abort()
    },
  }
}
