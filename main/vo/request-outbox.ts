/**
 * This node's own join request, while it is in no VO: sent to the issuers of a VO heard on the LAN
 * (see request-inbox.ts), kept across restarts, and polled for until an issuer decides or it
 * expires. An approval carries the certificate chain the issuer made for this node, and the node
 * joins with it exactly as with a redeemed invite; a refusal is signed, so only an issuer of that
 * VO can say no. The VO's id is the hash of its key, so the charter that comes with the answer is
 * checked against the id the request was sent for: no other VO can answer in its name.
 */
import { hostname } from 'node:os'
import type { Connection } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { GridNodeError, toGridNodeError } from '../../shared/errors.ts'
import type { Logger } from '../log/logger.ts'
import type { GridHost } from '../p2p/host.ts'
import { request } from '../p2p/messaging.ts'
import { INVITE_MAX_BOOTSTRAPS, JOIN_REQUEST_LIFETIME_MS, PROOF_DEADLINE_MS, REQUEST_FANOUT, REQUEST_POLL_MS } from './constants.ts'
import { fromFailure } from './failure.ts'
import type { Holder, LanDiscovery } from './lan.ts'
import type { VoMembership } from './membership.ts'
import { verifyCharter, verifyRefusal } from './verify.ts'
import type { OutgoingRequest, VoStore } from './vo-store.ts'
import { PollAnswerSchema, SubmitAnswerSchema, VO_PROTOCOLS } from './wire.ts'

export type OutgoingState = 'pending' | 'refused' | 'expired'

/** This node's request as people see it; refused and expired ones stay shown until the next. */
export interface OutgoingView {
  vo: { id: string; name: string }
  id: string
  label: string
  state: OutgoingState
  sentAt: number
  expiresAt: number
}

export interface RequestOutboxComponents {
  host: GridHost
  vo: VoMembership
  voStore: VoStore
  lan: LanDiscovery
  logger: Logger
  now?: () => number
}

export interface SendInit {
  voId: string
  /** Who is asking, for the admins; the machine's name when not given. */
  label?: string | undefined
  message: string
}

export interface RequestOutbox {
  start(): Promise<void>
  stop(): void
  state(): OutgoingView | null
  send(init: SendInit): Promise<OutgoingView>
  onChange(listener: () => void): () => void
}

const view = (request: OutgoingRequest, state: OutgoingState): OutgoingView => ({
  vo: request.vo,
  id: request.id,
  label: request.label,
  state,
  sentAt: request.sentAt,
  expiresAt: request.expiresAt,
})

export function createRequestOutbox({ host, vo, voStore, lan, logger, now = Date.now }: RequestOutboxComponents): RequestOutbox {
  const self = host.peerId.toString()
  const listeners = new Set<() => void>()
  let outgoing: OutgoingRequest | undefined
  /** The last request's end (refused or expired), shown until the next request or a VO. */
  let ended: OutgoingView | null = null
  let timer: NodeJS.Timeout | undefined
  let unsubscribe: (() => void) | undefined

  const changed = (): void => listeners.forEach((listener) => listener())

  const dial = (holder: Holder): Promise<Connection> => {
    const signal = AbortSignal.timeout(PROOF_DEADLINE_MS)
    return holder.addrs.length > 0 ? host.dial(holder.addrs.map((addr) => multiaddr(addr)), { signal }) : host.dial(peerIdFromString(holder.peer), { signal })
  }

  const finish = async (state: OutgoingState | null): Promise<void> => {
    const request = outgoing
    outgoing = undefined
    clearTimeout(timer)
    await voStore.deleteOutgoingRequest()
    ended = request === undefined || state === null ? null : view(request, state)
    changed()
  }

  const schedule = (): void => {
    clearTimeout(timer)
    timer = setTimeout(() => void pollRound().catch((err: unknown) => logger.warn({ err }, 'join request poll failed')), REQUEST_POLL_MS)
    timer.unref()
  }

  /** Asks one holder; true once the request is settled (joined or refused). */
  const pollOne = async (request: OutgoingRequest, holder: Holder): Promise<boolean> => {
    const connection = await dial(holder)
    let joined = false
    try {
      const answer = await askDecision(connection, request)
      if (answer === null) return false
      const { charter, decision } = answer
      if (charter.body.vo !== request.vo.id) throw new GridNodeError('CERT_INVALID', 'The answer is signed for another VO than the one asked.')
      await verifyCharter(charter, now())
      if (decision.state === 'approved') {
        const bootstrap = request.holders.flatMap((h) => h.addrs.slice(0, 2)).slice(0, INVITE_MAX_BOOTSTRAPS)
        // Joining ends the request (the VO's change drops it); a chain that does not verify leaves it pending.
        await vo.adopt(charter, decision.chain, bootstrap, connection)
        joined = true
        return true
      }
      await verifyRefusal(decision.refusal, self, charter, { now: now(), isRevoked: () => false })
      logger.info({ vo: request.vo.id, by: decision.refusal.refusal.body.issuer }, 'join request refused')
      await finish('refused')
      return true
    } finally {
      if (!joined) await connection.close().catch(() => undefined)
    }
  }

  const askDecision = async (connection: Connection, pending: OutgoingRequest) => {
    const answer = await request(connection, VO_PROTOCOLS.request, { type: 'poll', vo: pending.vo.id }, PollAnswerSchema)
    if (!answer.ok) throw fromFailure(answer, 'JOIN_FAILED')
    return answer.decision === null ? null : { charter: answer.charter, decision: answer.decision }
  }

  const pollRound = async (): Promise<void> => {
    const request = outgoing
    if (request === undefined) return
    if (request.expiresAt <= now()) return finish('expired')
    for (const holder of request.holders) {
      if (outgoing !== request) return
      const settled = await pollOne(request, holder).catch((err: unknown) => {
        logger.debug({ holder: holder.peer, err: (err as Error).message }, 'no answer to a join request poll')
        return false
      })
      if (settled) return
    }
    if (outgoing === request) schedule()
  }

  /** Hands the request to one holder; resolves with the id it filed it under. */
  const submit = async (holder: Holder, draft: Omit<OutgoingRequest, 'holders' | 'id'>): Promise<{ holder: Holder; id: string }> => {
    const connection = await dial(holder)
    try {
      const addrs = host.getMultiaddrs().map((addr) => addr.toString()).slice(0, INVITE_MAX_BOOTSTRAPS)
      const message = { type: 'submit', vo: draft.vo.id, label: draft.label, message: draft.message, addrs }
      const answer = await request(connection, VO_PROTOCOLS.request, message, SubmitAnswerSchema)
      if (!answer.ok) throw fromFailure(answer, 'JOIN_FAILED')
      return { holder, id: answer.id }
    } finally {
      await connection.close().catch(() => undefined)
    }
  }

  return {
    async start() {
      outgoing = await voStore.outgoingRequest()
      if (outgoing !== undefined) schedule()
      // Joined some other way (an invite): the request has no purpose left.
      unsubscribe = vo.onChange(() => {
        if (vo.info() !== null && (outgoing !== undefined || ended !== null)) void finish(null)
      })
    },
    stop() {
      clearTimeout(timer)
      unsubscribe?.()
      unsubscribe = undefined
    },
    state() {
      if (vo.info() !== null) return null
      return outgoing === undefined ? ended : view(outgoing, 'pending')
    },
    async send({ voId, label, message }) {
      const current = vo.info()
      if (current !== null) throw new GridNodeError('ALREADY_IN_VO', `This node is already in the VO "${current.name}"; leave it first.`)
      const nearby = lan.vos().find((v) => v.id === voId)
      if (nearby === undefined) throw new GridNodeError('VO_NOT_NEARBY', `No VO with the id ${voId} was heard on this network lately.`)
      const holders = lan.holders(voId).slice(0, REQUEST_FANOUT)
      if (holders.length === 0) throw new GridNodeError('JOIN_FAILED', `No node of "${nearby.name}" that admits members is on this network now; ask again when an admin's node is on.`)
      const draft = { vo: { id: nearby.id, name: nearby.name }, label: label ?? hostname().slice(0, 80), message, sentAt: now(), expiresAt: now() + JOIN_REQUEST_LIFETIME_MS }
      const results = await Promise.allSettled(holders.map((holder) => submit(holder, draft)))
      const accepted = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []))
      if (accepted.length === 0) {
        const reasons = results.flatMap((r) => (r.status === 'rejected' ? [toGridNodeError(r.reason)] : []))
        // A verdict from an issuer (revoked, already a member) says more than "unreachable".
        throw reasons.find((err) => err.code !== 'INTERNAL' && err.code !== 'JOIN_FAILED') ?? new GridNodeError('JOIN_FAILED', `No issuer of "${nearby.name}" took the request.`)
      }
      outgoing = { ...draft, id: accepted[0]!.id, holders: accepted.map((a) => a.holder) }
      ended = null
      await voStore.saveOutgoingRequest(outgoing)
      logger.info({ vo: voId, id: outgoing.id, holders: accepted.length }, 'sent a join request')
      changed()
      schedule()
      return view(outgoing, 'pending')
    },
    onChange(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}
