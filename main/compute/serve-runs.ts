/**
 * The executor's side of the job protocol (wire.ts): takes an offer when a core is free (else
 * answers busy), receives the module and input, runs the job and streams its progress, checkpoints
 * and outcome back, with a heartbeat when it has nothing else to say. The submitter closing its
 * end cancels the run. A malformed or oversized message aborts that stream only.
 */
import type { Connection, Stream } from '@libp2p/interface'
import { JOB_LIMITS } from '../../shared/api/compute-schemas.ts'
import { GridNodeError } from '../../shared/errors.ts'
import type { Logger } from '../log/logger.ts'
import { openChannel, type Channel } from '../p2p/channel.ts'
import type { GridHost } from '../p2p/host.ts'
import { REQUEST_TIMEOUT_MS } from '../p2p/messaging.ts'
import type { VoMembership } from '../vo/membership.ts'
import { EXECUTOR_HEARTBEAT_MS, OFFER_TIMEOUT_MS } from './constants.ts'
import type { Executor, RunOutcome } from './executor.ts'
import { COMPUTE_PROTOCOL, MAX_RUN_STREAMS, OfferSchema, type RunEvent } from './wire.ts'

export interface ServeRunsComponents {
  host: GridHost
  vo: VoMembership
  executor: Executor
  logger: Logger
}

/** Messages to the submitter, one after another; a failed write (the submitter is gone) cancels the run. */
function outbox(channel: Channel, onBroken: () => void) {
  let queue: Promise<void> = Promise.resolve()
  let lastSent = performance.now()
  const post = (event: RunEvent, payload?: Uint8Array): Promise<void> => {
    lastSent = performance.now()
    queue = queue
      .then(async () => {
        await channel.send(event)
        if (payload !== undefined) await channel.sendPayload(payload)
      })
      .catch((err: unknown) => {
        onBroken()
        throw err
      })
    const sent = queue
    queue = queue.catch(() => undefined)
    return sent
  }
  return { post, idleMs: () => performance.now() - lastSent }
}

/** What the submitter is told of a run's end; null when the submitter itself cancelled it (nobody is left to tell). */
const outcomeEvent = (outcome: RunOutcome): RunEvent | null => {
  switch (outcome.type) {
    case 'result':
      return { type: 'result', cpuMs: outcome.cpuMs, wallMs: outcome.wallMs }
    case 'failed':
      return { type: 'failed', code: outcome.code, message: outcome.message.slice(0, 1024) }
    case 'stopped':
      return outcome.reason === 'cancelled' ? null : { type: 'stopped', reason: outcome.reason }
  }
}

async function handleRun(stream: Stream, connection: Connection, executor: Executor, logger: Logger): Promise<void> {
  const channel = openChannel(stream, { maxPayloadBytes: JOB_LIMITS.payloadBytes })
  const member = connection.remotePeer.toString()
  const offer = await channel.receive(OfferSchema, AbortSignal.timeout(REQUEST_TIMEOUT_MS))
  const reservation = executor.reserve()
  if (reservation === null) {
    await channel.send({ type: 'busy' })
    await stream.close()
    return
  }
  try {
    await channel.send({ type: 'accepted' })
    const transfer = AbortSignal.timeout(OFFER_TIMEOUT_MS)
    const module = await channel.receivePayload(transfer)
    const input = await channel.receivePayload(transfer)
    const resumeFrom = offer.resume ? await channel.receivePayload(transfer) : undefined
    if (module.byteLength + input.byteLength > JOB_LIMITS.payloadBytes) {
      throw new GridNodeError('PAYLOAD_TOO_LARGE', `A job's module and input may take ${JOB_LIMITS.payloadBytes} bytes together.`)
    }
    const cancel = new AbortController()
    // The submitter sends nothing more: its end closing (or the connection dying) cancels the run.
    const onEnd = (): void => cancel.abort()
    stream.addEventListener('remoteCloseWrite', onEnd)
    stream.addEventListener('close', onEnd)
    const out = outbox(channel, onEnd)
    const heartbeat = setInterval(() => {
      if (out.idleMs() >= EXECUTOR_HEARTBEAT_MS) out.post({ type: 'progress', fraction: null }).catch(() => undefined)
    }, EXECUTOR_HEARTBEAT_MS / 2)
    try {
      const outcome = await reservation.run(
        { member, job: offer.job, run: offer.run, module, entry: offer.entry, input, maxSeconds: offer.maxSeconds, memoryBytes: offer.memoryBytes, policy: offer.policy, ...(resumeFrom === undefined ? {} : { resumeFrom }) },
        {
          progress: (fraction) => void out.post({ type: 'progress', fraction }).catch(() => undefined),
          checkpoint: (state, seq, intervalMs) => void out.post({ type: 'checkpoint', seq, intervalMs }, state).catch(() => undefined),
        },
        cancel.signal,
      )
      const event = outcomeEvent(outcome)
      if (event === null) {
        stream.abort(new Error('cancelled by the submitter'))
        return
      }
      await out.post(event, outcome.type === 'result' ? outcome.output : undefined)
      await stream.close({ signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) })
    } finally {
      clearInterval(heartbeat)
      stream.removeEventListener('remoteCloseWrite', onEnd)
      stream.removeEventListener('close', onEnd)
    }
    logger.debug({ member, job: offer.job, run: offer.run }, 'run ended')
  } finally {
    reservation.release()
  }
}

/** Serves the job protocol to proven VO members only. */
export async function serveRuns({ host, vo, executor, logger }: ServeRunsComponents): Promise<void> {
  await host.handle(
    COMPUTE_PROTOCOL,
    (stream, connection) => {
      handleRun(stream, connection, executor, logger).catch((err: unknown) => {
        logger.debug({ remote: connection.remotePeer.toString(), err: (err as Error).message }, 'run stream aborted')
        stream.abort(err as Error)
      })
    },
    { maxInboundStreams: MAX_RUN_STREAMS, maxOutboundStreams: MAX_RUN_STREAMS },
  )
  vo.membersOnly(COMPUTE_PROTOCOL)
}
