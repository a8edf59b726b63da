/**
 * VO membership at run time. Every connection must prove membership right after Noise: the dialer
 * sends its proof on the auth protocol, the listener checks it and answers with its own. Until a
 * peer has proven membership, every other protocol's streams wait at a gate (libp2p stream
 * middleware); a connection still unproven after PROOF_DEADLINE_MS is closed. Only the public
 * protocols (redeeming an invite, "which VO are you in", join requests) are open to strangers.
 *
 * Admins may delegate issuing to members (the overlay's super-peers), so invites are redeemed and
 * join requests decided while the admins are away. A revocation voids the revoked node's chain and
 * every chain it issued: members it admitted are cut off with it.
 */
import type { Connection, PeerId, PrivateKey, StreamMiddleware } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { GridNodeError, type ErrorCode } from '../../shared/errors.ts'
import { InstrumentedLock } from '../health/instrumented-lock.ts'
import type { Logger } from '../log/logger.ts'
import type { GridHost } from '../p2p/host.ts'
import { request, serve } from '../p2p/messaging.ts'
import { INVITE_MAX_BOOTSTRAPS, INVITE_OWN_BOOTSTRAPS, MAX_CHAIN_LENGTH, PROOF_DEADLINE_MS, VO_LIFETIME_MS } from './constants.ts'
import { createInviteToken, createRefusal, createRevocation, createVo, issueCert, parseInviteToken } from './issue.ts'
import type { Chain, Charter, Revocation, Role } from './records.ts'
import { encode } from './signed.ts'
import { verifyChain, verifyCharter, verifyInvite, verifyRefusal, verifyRevocation, type Membership, type VerifyContext } from './verify.ts'
import { failure, fromFailure } from './failure.ts'
import type { VoStore } from './vo-store.ts'
import {
  AuthResponseSchema,
  GossipAckSchema,
  GossipSchema,
  JoinRequestSchema,
  JoinResponseSchema,
  ProofSchema,
  VO_PROTOCOLS,
  type Decision,
  type Gossip,
} from './wire.ts'

export interface VoInfo {
  id: string
  name: string
  role: Role
  canIssue: boolean
  expiresAt: string
}

export interface VoMember {
  peerId: string
  role: Role
  expiresAt: string
  addrs: string[]
  connected: boolean
  self: boolean
}

export interface InviteOptions {
  role: Role
  expiresInMs: number
  uses: number
}

export interface VoMembershipComponents {
  host: GridHost
  voStore: VoStore
  privateKey: PrivateKey
  logger: Logger
  now?: () => number
}

export interface VoMembership {
  /** Loads the node's VO, serves the VO protocols, gates the others, reconnects to known members. */
  start(): Promise<void>
  stop(): void
  info(): VoInfo | null
  isProven(peerId: string): boolean
  /** Resolves once the peer on `connection` has proven membership; rejects after the deadline. */
  waitProven(connection: Connection): Promise<void>
  create(name: string): Promise<VoInfo>
  invite(options: InviteOptions): Promise<{ token: string; id: string; expiresAt: string }>
  join(token: string): Promise<VoInfo>
  members(): Promise<VoMember[]>
  revoke(peerId: string): Promise<void>
  leave(): Promise<void>
  /** Serialises admissions (invite uses are read, checked and written as one step). */
  readonly admissionLock: InstrumentedLock
  onChange(listener: () => void): () => void
  /** Gates a protocol served after start(): its streams wait for the peer's proof, like every other. */
  membersOnly(protocol: string): void
  /** Called once for each peer that newly proves membership, with the connection it proved on. */
  onProven(listener: (connection: Connection) => void): () => void
  /** The VO's charter, while this node is in one. */
  charter(): Charter | undefined
  /** What a connected peer has proven about itself (undefined until it has). */
  provenMembership(peerId: string): Membership | undefined
  isRevoked(peerId: string): boolean
  /**
   * Makes this node a member with a chain an issuer made for it (an approved join request), then
   * proves it on `connection`, the issuer's. Nothing is stored unless the chain is valid and its own.
   */
  adopt(charter: Charter, chain: Chain, bootstrap: string[], connection: Connection): Promise<VoInfo>
  /** Issues a member's certificate for `subject` (issuers only): an approved join request. */
  issueFor(subject: string): Promise<Chain>
  /** A signed refusal of `subject`'s join request (issuers only). */
  refuse(subject: string): Promise<Decision>
  /** Tells the VO how a join request was decided, so every holder of it can hand the answer over. */
  announceDecision(subject: string, decision: Decision): void
  /** Called with each verified decision another issuer announced. */
  onDecision(listener: (subject: string, decision: Decision) => void): () => void
  /** Grants issue rights to a connected member (admins): true once the member has its new chain. */
  delegate(peerId: string): Promise<boolean>
}

interface Current {
  charter: Charter
  chain: Chain
  membership: Membership
  bootstrap: string[]
}

/** Open to strangers: everything else waits for proof. */
const OPEN_PROTOCOLS: readonly string[] = [VO_PROTOCOLS.join, VO_PROTOCOLS.auth]
/** Join failures that say nothing about the invite: the next bootstrap may still redeem it. */
const RETRY_NEXT_BOOTSTRAP: readonly ErrorCode[] = ['JOIN_FAILED', 'BAD_REQUEST', 'NOT_ADMIN', 'NOT_IN_VO']
/** Reconnecting on start dials at most this many known members (the overlay finds the rest). */
const RECONNECT_FANOUT = 16

const sameCharter = (a: Charter, b: Charter): boolean => Buffer.from(encode(a)).equals(Buffer.from(encode(b)))
const iso = (ms: number): string => new Date(ms).toISOString()
/** One decision: a requester refused once may ask again and be decided again. */
const decisionKey = (subject: string, decision: Decision): string =>
  `${subject} ${decision.state} ${decision.state === 'approved' ? decision.chain[0]!.body.issuedAt : decision.refusal.refusal.body.refusedAt}`

export function createVoMembership({ host, voStore, privateKey, logger, now = Date.now }: VoMembershipComponents): VoMembership {
  const self = host.peerId.toString()
  const proven = new Map<string, Membership>()
  const waiting = new Map<string, PromiseWithResolvers<void>>()
  const deadlines = new Map<string, NodeJS.Timeout>()
  const revoked = new Map<string, Revocation>()
  const listeners = new Set<() => void>()
  const provenListeners = new Set<(connection: Connection) => void>()
  const decisionListeners = new Set<(subject: string, decision: Decision) => void>()
  /** Decisions already passed on, so gossip about one stops after a round. */
  const seenDecisions = new Set<string>()
  const admissionLock = new InstrumentedLock()
  let current: Current | undefined

  const changed = (): void => listeners.forEach((listener) => listener())
  const context = (): VerifyContext => ({ now: now(), isRevoked: (peerId) => revoked.has(peerId) })
  const mustBeIn = (): Current => {
    if (current === undefined) throw new GridNodeError('NOT_IN_VO', 'This node is not in a VO: create one or join with an invite.')
    return current
  }
  const waiter = (peerId: string): PromiseWithResolvers<void> => {
    const existing = waiting.get(peerId) ?? Promise.withResolvers<void>()
    existing.promise.catch(() => undefined)
    waiting.set(peerId, existing)
    return existing
  }
  const listenAddrs = (): string[] => host.getMultiaddrs().map((addr) => addr.toString())
  const ownProof = (vo: Current) => ({ charter: vo.charter, chain: vo.chain, addrs: listenAddrs() })

  const markProven = async (connection: Connection, membership: Membership, addrs: string[]): Promise<void> => {
    const peerId = connection.remotePeer.toString()
    const isNew = !proven.has(peerId)
    proven.set(peerId, membership)
    clearTimeout(deadlines.get(connection.id))
    deadlines.delete(connection.id)
    waiter(peerId).resolve()
    await voStore.saveMember({ peerId, role: membership.role, canIssue: membership.canIssue, expiresAt: membership.expiresAt, addrs })
    if (isNew) {
      // Anti-entropy: a peer that was away learns the revocations it missed.
      for (const revocation of revoked.values()) void send(connection.remotePeer, { type: 'revocation', revocation })
      provenListeners.forEach((listener) => listener(connection))
      changed()
    }
  }

  /** Checks a peer's proof against this node's VO; the chain must name the peer Noise authenticated. */
  const acceptProof = async (proof: { charter: Charter; chain: Chain; addrs: string[] }, connection: Connection): Promise<void> => {
    const vo = mustBeIn()
    if (!sameCharter(proof.charter, vo.charter)) throw new GridNodeError('NOT_A_MEMBER', 'The peer belongs to another VO.')
    const membership = await verifyChain(proof.chain, vo.charter, context())
    if (membership.peerId !== connection.remotePeer.toString()) throw new GridNodeError('CERT_INVALID', "The peer presented someone else's certificate.")
    await markProven(connection, membership, proof.addrs)
  }

  const authenticate = async (connection: Connection): Promise<void> => {
    const vo = mustBeIn()
    try {
      const answer = await request(connection, VO_PROTOCOLS.auth, ownProof(vo), AuthResponseSchema)
      if (!answer.ok) throw fromFailure(answer, 'NOT_A_MEMBER')
      await acceptProof(answer, connection)
    } catch (err) {
      logger.info({ remote: connection.remotePeer.toString(), err: (err as Error).message }, 'peer failed membership proof')
      waiter(connection.remotePeer.toString()).reject(err)
      await connection.close().catch(() => undefined)
    }
  }

  const send = async (peer: PeerId, message: Gossip): Promise<void> => {
    const connection = host.getConnections(peer)[0]
    if (connection === undefined) return
    await request(connection, VO_PROTOCOLS.gossip, message, GossipAckSchema).catch((err: unknown) =>
      logger.debug({ remote: peer.toString(), err: (err as Error).message }, 'gossip not delivered'),
    )
  }
  const spread = (message: Gossip, except?: string): void => {
    for (const connection of host.getConnections()) {
      const peer = connection.remotePeer
      if (proven.has(peer.toString()) && peer.toString() !== except) void send(peer, message)
    }
  }

  const applyRevocation = async (revocation: Revocation, from?: string): Promise<void> => {
    const subject = revocation.revocation.body.subject
    if (revoked.has(subject)) return
    await verifyRevocation(revocation, mustBeIn().charter, context())
    revoked.set(subject, revocation)
    await voStore.saveRevocation(revocation)
    if (subject === self) {
      // This node was expelled: it forgets the VO (keeping the revocation, so it knows why).
      logger.warn({ by: revocation.revocation.body.issuer }, "this node's membership was revoked")
      await forget()
      return
    }
    logger.info({ subject }, 'membership revoked')
    // The revoked node, and every member whose chain it issued, are cut off.
    const voided = [...proven.entries()].filter(([peer, m]) => peer === subject || m.issuedBy.includes(subject)).map(([peer]) => peer)
    await Promise.all(voided.map((peer) => cutOff(peer, revocation)))
    spread({ type: 'revocation', revocation }, from)
    if (current?.membership.issuedBy.includes(subject) === true) {
      logger.warn({ issuer: subject }, 'the node that admitted this one was revoked, and its membership with it')
      await forget()
      return
    }
    changed()
  }

  /** Tells a voided member why (once), so it does not look stranded, then disconnects it. */
  const cutOff = async (peer: string, revocation: Revocation): Promise<void> => {
    const connections = host.getConnections(peerIdFromString(peer))
    const reachable = connections[0]?.remotePeer
    if (reachable !== undefined) await send(reachable, { type: 'revocation', revocation })
    proven.delete(peer)
    await Promise.all(connections.map((c) => c.close().catch(() => undefined)))
  }

  /** Forgets the membership only, keeping the revocations that explain it. */
  const forget = async (): Promise<void> => {
    current = undefined
    await voStore.clearMembership()
    changed()
  }

  const receiveGossip = async (message: Gossip, connection: Connection): Promise<{ ok: boolean }> => {
    const from = connection.remotePeer.toString()
    if (message.type === 'revocation') {
      await applyRevocation(message.revocation, from)
      return { ok: true }
    }
    if (message.type === 'delegation') return { ok: await receiveDelegation(message.chain) }
    if (message.type === 'decision') {
      await receiveDecision(message.subject, message.decision, from)
      return { ok: true }
    }
    if (message.type === 'invite-use') {
      await countInviteUse(message.id, message.usesLeft, message.expiresAt, from)
      return { ok: true }
    }
    const member = await verifyChain(message.chain, mustBeIn().charter, context())
    const known = (await voStore.members()).find((m) => m.peerId === member.peerId)
    await voStore.saveMember({ peerId: member.peerId, role: member.role, canIssue: member.canIssue, expiresAt: member.expiresAt, addrs: message.addrs })
    if (known === undefined || known.canIssue !== member.canIssue) {
      spread(message, from)
      changed()
    }
    return { ok: true }
  }

  /** An admin made this node an issuer: its new chain replaces the old one. */
  const receiveDelegation = async (chain: Chain): Promise<boolean> => {
    const vo = mustBeIn()
    const membership = await verifyChain(chain, vo.charter, context())
    if (membership.peerId !== self || !membership.canIssue) throw new GridNodeError('CERT_INVALID', 'The delegation is not an issuing certificate for this node.')
    if (vo.membership.canIssue) return true
    await voStore.saveMembership({ charter: vo.charter, chain, bootstrap: vo.bootstrap })
    current = { ...vo, chain, membership }
    logger.info({ by: chain[0]!.body.issuer }, 'this node may now admit members (delegated)')
    spread({ type: 'member', chain, addrs: listenAddrs() })
    changed()
    return true
  }

  const receiveDecision = async (subject: string, decision: Decision, from?: string): Promise<void> => {
    const key = decisionKey(subject, decision)
    if (seenDecisions.has(key)) return
    const { charter } = mustBeIn()
    if (decision.state === 'approved') {
      if ((await verifyChain(decision.chain, charter, context())).peerId !== subject) throw new GridNodeError('CERT_INVALID', 'The approval is for another node.')
    } else {
      await verifyRefusal(decision.refusal, subject, charter, context())
    }
    seenDecisions.add(key)
    decisionListeners.forEach((listener) => listener(subject, decision))
    spread({ type: 'decision', subject, decision }, from)
  }

  /** Another issuer counted a use of an invite: keep the lower count, and pass it on if it was news. */
  const countInviteUse = async (id: string, usesLeft: number, expiresAt: number, from?: string): Promise<void> => {
    const known = await voStore.inviteUses(id)
    if (known !== undefined && known.usesLeft <= usesLeft) return
    await voStore.saveInviteUses(id, usesLeft, expiresAt)
    spread({ type: 'invite-use', id, usesLeft, expiresAt }, from)
  }

  /** Redeems an invite for a stranger on `connection`: checks it, counts the use, issues a certificate. */
  const admit = (token: string, connection: Connection): Promise<Chain> =>
    admissionLock.run(async () => {
      const vo = mustIssue()
      const { charter, invite, chain } = parseInviteToken(token)
      if (!sameCharter(charter, vo.charter)) throw new GridNodeError('INVITE_FOREIGN', 'The invite is for another VO.')
      await verifyInvite(invite, chain, vo.charter, context())
      if (invite.body.role === 'admin' && vo.membership.role !== 'admin') throw new GridNodeError('NOT_ADMIN', 'Only an admin can admit an admin.')
      const uses = (await voStore.inviteUses(invite.body.id)) ?? { usesLeft: invite.body.uses, expiresAt: invite.body.expiresAt }
      if (uses.usesLeft <= 0) throw new GridNodeError('INVITE_USED_UP', 'The invite has been used as many times as it allows.')
      const subject = connection.remotePeer.toString()
      if (revoked.has(subject)) throw new GridNodeError('MEMBER_REVOKED', 'This peer was revoked from the VO.')
      const issued = await issueCert(privateKey, vo.chain, { subject, role: invite.body.role, canIssue: invite.body.role === 'admin', now: now() })
      await countInviteUse(invite.body.id, uses.usesLeft - 1, uses.expiresAt)
      logger.info({ subject, role: invite.body.role, invite: invite.body.id }, 'admitted a member')
      return issued
    })

  /** Where an invite is redeemed: this node, then the other issuers it knows, connected ones first. */
  const inviteBootstrap = async (): Promise<string[]> => {
    const issuers = (await voStore.members())
      .filter((m) => m.canIssue && m.peerId !== self && !revoked.has(m.peerId) && m.expiresAt > now())
      .sort((a, b) => Number(proven.has(b.peerId)) - Number(proven.has(a.peerId)))
    const own = listenAddrs().slice(0, INVITE_OWN_BOOTSTRAPS)
    // One address of each issuer before a second of any, so more issuers fit.
    const others = [0, 1].flatMap((i) => issuers.flatMap((m) => m.addrs.slice(i, i + 1)))
    return [...own, ...others].slice(0, INVITE_MAX_BOOTSTRAPS)
  }

  /** Becomes a member with `chain`, issued to this node; verifies it first, stores it only then. */
  const enter = async (charter: Charter, chain: Chain, bootstrap: string[]): Promise<Membership> => {
    if (current !== undefined) throw new GridNodeError('ALREADY_IN_VO', `This node is already in the VO "${current.charter.body.name}"; leave it first.`)
    await verifyCharter(charter, now())
    const membership = await verifyChain(chain, charter, { now: now(), isRevoked: () => false })
    if (membership.peerId !== self) throw new GridNodeError('JOIN_FAILED', 'The issuer made a certificate for another node.')
    await voStore.saveMembership({ charter, chain, bootstrap })
    current = { charter, chain, membership, bootstrap }
    return membership
  }

  const mustIssue = (): Current => {
    const vo = mustBeIn()
    if (!vo.membership.canIssue) throw new GridNodeError('NOT_ADMIN', 'This node cannot admit members; ask an admin.')
    return vo
  }

  const gate: StreamMiddleware = async (stream, connection, next) => {
    try {
      await waitProven(connection)
      next(stream, connection)
    } catch {
      stream.abort(new Error('the peer has not proven VO membership'))
    }
  }

  const waitProven = (connection: Connection): Promise<void> => {
    const peerId = connection.remotePeer.toString()
    if (proven.has(peerId)) return Promise.resolve()
    let timer: NodeJS.Timeout | undefined
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new GridNodeError('NOT_A_MEMBER', `${peerId} did not prove membership of this node's VO in time.`)), PROOF_DEADLINE_MS)
    })
    return Promise.race([waiter(peerId).promise, deadline]).finally(() => clearTimeout(timer))
  }

  const onConnectionOpen = (event: CustomEvent<Connection>): void => {
    const connection = event.detail
    const peerId = connection.remotePeer.toString()
    if (proven.has(peerId)) return
    deadlines.set(
      connection.id,
      setTimeout(() => {
        deadlines.delete(connection.id)
        if (proven.has(peerId)) return
        logger.info({ remote: peerId }, 'closing a connection that did not prove VO membership')
        void connection.close().catch(() => undefined)
      }, PROOF_DEADLINE_MS).unref(),
    )
    if (connection.direction === 'outbound' && current !== undefined) void authenticate(connection)
  }
  const onConnectionClose = (event: CustomEvent<Connection>): void => {
    clearTimeout(deadlines.get(event.detail.id))
    deadlines.delete(event.detail.id)
  }
  const onPeerDisconnect = (event: CustomEvent<PeerId>): void => {
    const peerId = event.detail.toString()
    waiting.delete(peerId)
    if (proven.delete(peerId)) changed()
  }

  const dialKnown = (addrs: string[]): void => {
    for (const addr of addrs.slice(0, RECONNECT_FANOUT)) {
      void host.dial(multiaddr(addr), { signal: AbortSignal.timeout(PROOF_DEADLINE_MS * 5) }).catch((err: unknown) => logger.debug({ addr, err: (err as Error).message }, 'reconnect failed'))
    }
  }

  const info = (): VoInfo | null => {
    if (current === undefined) return null
    const { charter, membership } = current
    return { id: charter.body.vo, name: charter.body.name, role: membership.role, canIssue: membership.canIssue, expiresAt: iso(membership.expiresAt) }
  }

  return {
    admissionLock,
    charter: () => current?.charter,
    provenMembership: (peerId) => proven.get(peerId),
    isRevoked: (peerId) => revoked.has(peerId),
    async adopt(charter, chain, bootstrap, connection) {
      await enter(charter, chain, bootstrap)
      logger.info({ vo: charter.body.vo, via: connection.remotePeer.toString() }, 'joined a VO (join request approved)')
      await authenticate(connection)
      changed()
      return info()!
    },
    issueFor: (subject) =>
      admissionLock.run(async () => {
        const vo = mustIssue()
        if (revoked.has(subject)) throw new GridNodeError('MEMBER_REVOKED', 'This peer was revoked from the VO.')
        const chain = await issueCert(privateKey, vo.chain, { subject, role: 'member', canIssue: false, now: now() })
        logger.info({ subject }, 'admitted a member (join request)')
        return chain
      }),
    async refuse(subject) {
      const vo = mustIssue()
      return { state: 'refused', refusal: await createRefusal(privateKey, vo.chain, subject, now()) }
    },
    announceDecision(subject, decision) {
      seenDecisions.add(decisionKey(subject, decision))
      spread({ type: 'decision', subject, decision })
    },
    onDecision(listener) {
      decisionListeners.add(listener)
      return () => decisionListeners.delete(listener)
    },
    async delegate(peerId) {
      const vo = mustBeIn()
      const member = proven.get(peerId)
      // A delegate's members must still fit in a chain: this admin's, the delegate's, theirs.
      if (vo.membership.role !== 'admin' || member === undefined || member.canIssue || vo.chain.length + 2 > MAX_CHAIN_LENGTH) return false
      const chain = await issueCert(privateKey, vo.chain, { subject: peerId, role: member.role, canIssue: true, now: now() })
      const connection = host.getConnections(peerIdFromString(peerId))[0]
      if (connection === undefined) return false
      const answer = await request(connection, VO_PROTOCOLS.gossip, { type: 'delegation', chain }, GossipAckSchema)
      if (!answer.ok) return false
      const delegated = { ...member, canIssue: true }
      proven.set(peerId, delegated)
      const known = (await voStore.members()).find((m) => m.peerId === peerId)
      await voStore.saveMember({ peerId, role: delegated.role, canIssue: true, expiresAt: delegated.expiresAt, addrs: known?.addrs ?? [] })
      logger.info({ peer: peerId }, 'delegated issuing to a super-peer')
      changed()
      return true
    },
    async start() {
      for (const revocation of await voStore.revocations()) revoked.set(revocation.revocation.body.subject, revocation)
      const stored = await voStore.membership()
      if (stored !== undefined) {
        await verifyCharter(stored.charter, now()).catch((err: unknown) => logger.warn({ err: (err as Error).message }, 'the VO has expired'))
        const membership = await verifyChain(stored.chain, stored.charter, context()).catch((err: unknown) => {
          logger.warn({ err: (err as Error).message }, 'this node no longer holds a valid membership')
          return undefined
        })
        if (membership !== undefined) current = { charter: stored.charter, chain: stored.chain, membership, bootstrap: stored.bootstrap }
      }
      await serve(host, VO_PROTOCOLS.auth, ProofSchema, async (proof, connection) => {
        try {
          await acceptProof(proof, connection)
          return { ok: true, ...ownProof(mustBeIn()) }
        } catch (err) {
          logger.info({ remote: connection.remotePeer.toString(), err: (err as Error).message }, 'refused a membership proof')
          return failure(err)
        }
      }, logger)
      await serve(host, VO_PROTOCOLS.join, JoinRequestSchema, async ({ token }, connection) => {
        try {
          return { ok: true, chain: await admit(token, connection) }
        } catch (err) {
          logger.info({ remote: connection.remotePeer.toString(), err: (err as Error).message }, 'refused a join')
          return failure(err)
        }
      }, logger)
      await serve(host, VO_PROTOCOLS.gossip, GossipSchema, (message, connection) => receiveGossip(message, connection), logger)
      for (const protocol of host.getProtocols()) if (!OPEN_PROTOCOLS.includes(protocol)) host.use(protocol, gate)
      host.addEventListener('connection:open', onConnectionOpen)
      host.addEventListener('connection:close', onConnectionClose)
      host.addEventListener('peer:disconnect', onPeerDisconnect)
      if (current !== undefined) {
        const members = (await voStore.members()).filter((m) => m.peerId !== self && !revoked.has(m.peerId))
        dialKnown([...current.bootstrap, ...members.flatMap((m) => m.addrs.slice(0, 1))])
      }
    },
    stop() {
      host.removeEventListener('connection:open', onConnectionOpen)
      host.removeEventListener('connection:close', onConnectionClose)
      host.removeEventListener('peer:disconnect', onPeerDisconnect)
      for (const timer of deadlines.values()) clearTimeout(timer)
      deadlines.clear()
    },
    info,
    isProven: (peerId) => proven.has(peerId),
    waitProven,
    async create(name) {
      if (current !== undefined) throw new GridNodeError('ALREADY_IN_VO', `This node is already in the VO "${current.charter.body.name}"; leave it first.`)
      const vo = await createVo(name, self, now(), VO_LIFETIME_MS)
      await voStore.saveRootKey(vo.voKey)
      await voStore.saveMembership({ charter: vo.charter, chain: vo.chain, bootstrap: [] })
      current = { charter: vo.charter, chain: vo.chain, membership: await verifyChain(vo.chain, vo.charter, context()), bootstrap: [] }
      logger.info({ vo: vo.charter.body.vo, name }, 'created a VO')
      changed()
      return info()!
    },
    async invite({ role, expiresInMs, uses }) {
      const vo = mustBeIn()
      if (!vo.membership.canIssue || (role === 'admin' && vo.membership.role !== 'admin')) throw new GridNodeError('NOT_ADMIN', 'Only admins can invite.')
      const expiresAt = now() + expiresInMs
      const created = await createInviteToken(vo.charter, privateKey, vo.chain, { role, uses, expiresAt, bootstrap: await inviteBootstrap(), now: now() })
      await voStore.saveInviteUses(created.id, uses, expiresAt)
      return { ...created, expiresAt: iso(Math.min(expiresAt, vo.membership.expiresAt)) }
    },
    async join(token) {
      if (current !== undefined) throw new GridNodeError('ALREADY_IN_VO', `This node is already in the VO "${current.charter.body.name}"; leave it first.`)
      // Everything that can be checked offline is, before any connection or any write.
      const { charter, invite, chain } = parseInviteToken(token)
      await verifyCharter(charter, now())
      await verifyInvite(invite, chain, charter, { now: now(), isRevoked: () => false })
      const problems: string[] = []
      for (const addr of invite.body.bootstrap) {
        let connection: Connection | undefined
        try {
          connection = await host.dial(multiaddr(addr), { signal: AbortSignal.timeout(PROOF_DEADLINE_MS) })
          const answer = await request(connection, VO_PROTOCOLS.join, { token }, JoinResponseSchema)
          if (!answer.ok) throw fromFailure(answer, 'JOIN_FAILED')
          if (answer.chain[0]!.body.role !== invite.body.role) throw new GridNodeError('JOIN_FAILED', 'The bootstrap node issued a certificate that does not match the invite.')
          await enter(charter, answer.chain, invite.body.bootstrap)
          logger.info({ vo: charter.body.vo, via: connection.remotePeer.toString() }, 'joined a VO')
          await authenticate(connection)
          changed()
          return info()!
        } catch (err) {
          await connection?.close().catch(() => undefined)
          // A verdict on the invite is final; an unreachable bootstrap, a garbled answer, or a node
          // that can no longer admit (it left, or lost its delegation) is not.
          if (err instanceof GridNodeError && !RETRY_NEXT_BOOTSTRAP.includes(err.code)) throw err
          problems.push(`${addr}: ${(err as Error).message}`)
        }
      }
      throw new GridNodeError('JOIN_FAILED', `Could not join through any of the invite's bootstrap nodes (${problems.join('; ') || 'none listed'}).`)
    },
    async members() {
      const vo = mustBeIn()
      const known = (await voStore.members()).filter((m) => m.peerId !== self && !revoked.has(m.peerId) && m.expiresAt > now())
      return [
        { peerId: self, role: vo.membership.role, expiresAt: iso(vo.membership.expiresAt), addrs: listenAddrs(), connected: true, self: true },
        ...known.map((m) => ({ peerId: m.peerId, role: m.role, expiresAt: iso(m.expiresAt), addrs: m.addrs, connected: proven.has(m.peerId), self: false })),
      ]
    },
    async revoke(peerId) {
      const vo = mustBeIn()
      if (vo.membership.role !== 'admin') throw new GridNodeError('NOT_ADMIN', 'Only admins can revoke memberships.')
      if (peerId === self) throw new GridNodeError('INVALID_INPUT', 'An admin cannot revoke itself; leave the VO instead.')
      await applyRevocation(await createRevocation(privateKey, vo.chain, peerId, now()))
    },
    async leave() {
      mustBeIn()
      await voStore.clear()
      current = undefined
      revoked.clear()
      proven.clear()
      await Promise.all(host.getConnections().map((c) => c.close().catch(() => undefined)))
      logger.info('left the VO')
      changed()
    },
    onChange(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    membersOnly(protocol) {
      host.use(protocol, gate)
    },
    onProven(listener) {
      provenListeners.add(listener)
      return () => provenListeners.delete(listener)
    },
  }
}
