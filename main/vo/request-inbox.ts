/**
 * Join requests as an issuer (an admin, or a super-peer an admin delegated to) holds them. A node
 * in no VO sends its request, on the public request protocol, to the VO's issuers it heard on the
 * LAN; each keeps it (persisted, one per requester, expiring) until someone decides. The decider
 * tells the VO, so every holder can hand the answer over; the requester polls its holders for it,
 * because an issuer often cannot dial a requester back (and the requester may be off for a while).
 */
import { createHash } from 'node:crypto'
import { GridNodeError } from '../../shared/errors.ts'
import type { Logger } from '../log/logger.ts'
import type { GridHost } from '../p2p/host.ts'
import { serve } from '../p2p/messaging.ts'
import { createRateLimiter } from '../p2p/rate-limit.ts'
import { JOIN_REQUEST_LIFETIME_MS, MAX_PENDING_REQUESTS, PUBLIC_RATE } from './constants.ts'
import { failure, rateLimited } from './failure.ts'
import type { VoMembership } from './membership.ts'
import type { HeldRequest, VoStore } from './vo-store.ts'
import { JoinRequestMessageSchema, VO_PROTOCOLS, type Decision, type JoinRequestMessage } from './wire.ts'

/** A pending request as people see it. */
export interface PendingRequest {
  id: string
  peerId: string
  label: string
  message: string
  receivedAt: number
  expiresAt: number
}

export interface RequestInboxComponents {
  host: GridHost
  vo: VoMembership
  voStore: VoStore
  logger: Logger
  now?: () => number
}

export interface RequestInbox {
  start(): Promise<void>
  stop(): void
  /** Pending requests, oldest first. */
  pending(): Promise<PendingRequest[]>
  approve(id: string): Promise<{ peerId: string }>
  refuse(id: string): Promise<{ peerId: string }>
  onChange(listener: () => void): () => void
}

/**
 * The same id at every holder, and for every resend: derived from the VO and the requester, so a
 * request is deduplicated by construction and an admin can name it in a few characters.
 */
export function requestId(vo: string, subject: string): string {
  return createHash('sha256').update(`${vo} ${subject}`).digest('hex').slice(0, 10)
}

export function createRequestInbox({ host, vo, voStore, logger, now = Date.now }: RequestInboxComponents): RequestInbox {
  const listeners = new Set<() => void>()
  const limiter = createRateLimiter(PUBLIC_RATE)
  const changed = (): void => listeners.forEach((listener) => listener())
  let unsubscribe: (() => void) | undefined

  /** Held requests still in force; expired ones are dropped on the way. */
  const held = async (): Promise<HeldRequest[]> => {
    const all = await voStore.heldRequests()
    const expired = all.filter((r) => r.expiresAt <= now())
    for (const r of expired) await voStore.deleteHeldRequest(r.subject)
    return all.filter((r) => r.expiresAt > now())
  }

  const mustIssue = (): { id: string } => {
    const info = vo.info()
    if (info === null) throw new GridNodeError('NOT_IN_VO', 'This node is not in a VO.')
    if (!info.canIssue) throw new GridNodeError('NOT_ADMIN', 'Only admins (and super-peers they delegated to) decide join requests.')
    return info
  }

  const receive = async (message: JoinRequestMessage, subject: string) => {
    const info = vo.info()
    if (info === null || info.id !== message.vo) throw new GridNodeError('NOT_A_MEMBER', 'This node is not in that VO.')
    const known = (await held()).find((r) => r.subject === subject)
    if (message.type === 'poll') {
      if (known === undefined) throw new GridNodeError('JOIN_REQUEST_UNKNOWN', 'This node holds no join request of yours.')
      return { ok: true, charter: vo.charter()!, decision: known.decision }
    }
    mustIssue()
    if (vo.isRevoked(subject)) throw new GridNodeError('MEMBER_REVOKED', 'This node was revoked from the VO.')
    if (vo.provenMembership(subject) !== undefined) throw new GridNodeError('ALREADY_IN_VO', 'This node is already a member.')
    // An approval not yet collected stands; a refusal does not stop asking again.
    if (known?.decision?.state === 'approved') return { ok: true, id: known.id }
    if (known === undefined && (await held()).filter((r) => r.decision === null).length >= MAX_PENDING_REQUESTS) throw rateLimited()
    const request: HeldRequest = {
      id: requestId(message.vo, subject),
      subject,
      label: message.label,
      message: message.message,
      addrs: message.addrs,
      receivedAt: now(),
      expiresAt: now() + JOIN_REQUEST_LIFETIME_MS,
      decision: null,
    }
    await voStore.saveHeldRequest(request)
    logger.info({ subject, id: request.id, label: request.label }, 'received a join request')
    changed()
    return { ok: true, id: request.id }
  }

  const decide = async (id: string, make: (subject: string) => Promise<Decision>): Promise<{ peerId: string }> => {
    mustIssue()
    const request = (await held()).find((r) => r.id === id && r.decision === null)
    if (request === undefined) throw new GridNodeError('JOIN_REQUEST_UNKNOWN', `No pending join request has the id "${id}" (see gridnode vo requests).`)
    const decision = await make(request.subject)
    await voStore.saveHeldRequest({ ...request, decision })
    vo.announceDecision(request.subject, decision)
    logger.info({ subject: request.subject, id, decision: decision.state }, 'decided a join request')
    changed()
    return { peerId: request.subject }
  }

  /** Another issuer decided: this holder keeps the answer to hand over, and stops showing the request. */
  const learn = async (subject: string, decision: Decision): Promise<void> => {
    const request = (await held()).find((r) => r.subject === subject && r.decision === null)
    if (request === undefined) return
    await voStore.saveHeldRequest({ ...request, decision })
    changed()
  }

  return {
    async start() {
      await serve(
        host,
        VO_PROTOCOLS.request,
        JoinRequestMessageSchema,
        async (message, connection) => {
          const subject = connection.remotePeer.toString()
          try {
            if (!limiter.take(subject, now())) throw rateLimited()
            return await receive(message, subject)
          } catch (err) {
            logger.debug({ remote: subject, type: message.type, err: (err as Error).message }, 'join request refused')
            return failure(err)
          }
        },
        logger,
      )
      unsubscribe = vo.onDecision((subject, decision) => void learn(subject, decision).catch((err: unknown) => logger.warn({ err }, 'could not record a decision')))
    },
    stop() {
      unsubscribe?.()
      unsubscribe = undefined
    },
    async pending() {
      mustIssue()
      return (await held())
        .filter((r) => r.decision === null)
        .sort((a, b) => a.receivedAt - b.receivedAt)
        .map(({ id, subject, label, message, receivedAt, expiresAt }) => ({ id, peerId: subject, label, message, receivedAt, expiresAt }))
    },
    approve: (id) => decide(id, async (subject) => ({ state: 'approved', chain: await vo.issueFor(subject) })),
    refuse: (id) => decide(id, (subject) => vo.refuse(subject)),
    onChange(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}
