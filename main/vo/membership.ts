/**
 * VO membership at run time. Every connection must prove membership right after Noise: the dialer
 * sends its proof on the auth protocol, the listener checks it and answers with its own. Until a
 * peer has proven membership, every other protocol's streams wait at a gate (libp2p stream
 * middleware); a connection still unproven after PROOF_DEADLINE_MS is closed. Only the join
 * protocol, which redeems an invite, is open to strangers.
 */
import type { Connection, PeerId, PrivateKey, StreamMiddleware } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { GridNodeError, isErrorCode, toGridNodeError } from '../../shared/errors.ts'
import { InstrumentedLock } from '../health/instrumented-lock.ts'
import type { Logger } from '../log/logger.ts'
import type { GridHost } from '../p2p/host.ts'
import { request, serve } from '../p2p/messaging.ts'
import { PROOF_DEADLINE_MS, VO_LIFETIME_MS } from './constants.ts'
import { createInviteToken, createRevocation, createVo, issueCert, parseInviteToken } from './issue.ts'
import type { Chain, Charter, Revocation, Role } from './records.ts'
import { encode } from './signed.ts'
import { verifyChain, verifyCharter, verifyInvite, verifyRevocation, type Membership, type VerifyContext } from './verify.ts'
import type { VoStore } from './vo-store.ts'
import { AuthResponseSchema, GossipAckSchema, GossipSchema, JoinRequestSchema, JoinResponseSchema, ProofSchema, VO_PROTOCOLS, type Failure, type Gossip } from './wire.ts'

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
}

interface Current {
  charter: Charter
  chain: Chain
  membership: Membership
  bootstrap: string[]
}

/** Open to strangers: everything else waits for proof. */
const OPEN_PROTOCOLS: readonly string[] = [VO_PROTOCOLS.join, VO_PROTOCOLS.auth]
/** Reconnecting on start dials at most this many known members (the overlay finds the rest). */
const RECONNECT_FANOUT = 16

const failure = (err: unknown): Failure => {
  const error = toGridNodeError(err)
  return { ok: false, error: { code: error.code, message: error.message } }
}
const fromFailure = (f: Failure, fallback: 'JOIN_FAILED' | 'NOT_A_MEMBER'): GridNodeError =>
  new GridNodeError(isErrorCode(f.error.code) ? f.error.code : fallback, f.error.message)
const sameCharter = (a: Charter, b: Charter): boolean => Buffer.from(encode(a)).equals(Buffer.from(encode(b)))
const iso = (ms: number): string => new Date(ms).toISOString()

export function createVoMembership({ host, voStore, privateKey, logger, now = Date.now }: VoMembershipComponents): VoMembership {
  const self = host.peerId.toString()
  const proven = new Map<string, Membership>()
  const waiting = new Map<string, PromiseWithResolvers<void>>()
  const deadlines = new Map<string, NodeJS.Timeout>()
  const revoked = new Map<string, Revocation>()
  const listeners = new Set<() => void>()
  const provenListeners = new Set<(connection: Connection) => void>()
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
    await voStore.saveMember({ peerId, role: membership.role, expiresAt: membership.expiresAt, addrs })
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
      current = undefined
      await voStore.clearMembership()
      changed()
      return
    }
    logger.info({ subject }, 'membership revoked')
    const subjectConnections = host.getConnections(peerIdFromString(subject))
    // Tell the member itself (once) before cutting it off, so it can show why rather than look stranded.
    const reachable = subjectConnections[0]?.remotePeer
    if (reachable !== undefined) await send(reachable, { type: 'revocation', revocation })
    proven.delete(subject)
    await Promise.all(subjectConnections.map((c) => c.close().catch(() => undefined)))
    spread({ type: 'revocation', revocation }, from)
    changed()
  }

  const receiveGossip = async (message: Gossip, connection: Connection): Promise<{ ok: boolean }> => {
    const from = connection.remotePeer.toString()
    if (message.type === 'revocation') {
      await applyRevocation(message.revocation, from)
      return { ok: true }
    }
    const member = await verifyChain(message.chain, mustBeIn().charter, context())
    const known = (await voStore.members()).some((m) => m.peerId === member.peerId)
    await voStore.saveMember({ peerId: member.peerId, role: member.role, expiresAt: member.expiresAt, addrs: message.addrs })
    if (!known) {
      spread(message, from)
      changed()
    }
    return { ok: true }
  }

  /** Redeems an invite for a stranger on `connection`: checks it, counts the use, issues a certificate. */
  const admit = (token: string, connection: Connection): Promise<Chain> =>
    admissionLock.run(async () => {
      const vo = mustBeIn()
      if (!vo.membership.canIssue) throw new GridNodeError('NOT_ADMIN', 'This node cannot admit members; ask an admin.')
      const { charter, invite, chain } = parseInviteToken(token)
      if (!sameCharter(charter, vo.charter)) throw new GridNodeError('INVITE_FOREIGN', 'The invite is for another VO.')
      await verifyInvite(invite, chain, vo.charter, context())
      if (invite.body.role === 'admin' && vo.membership.role !== 'admin') throw new GridNodeError('NOT_ADMIN', 'Only an admin can admit an admin.')
      const uses = (await voStore.inviteUses(invite.body.id)) ?? { usesLeft: invite.body.uses, expiresAt: invite.body.expiresAt }
      if (uses.usesLeft <= 0) throw new GridNodeError('INVITE_USED_UP', 'The invite has been used as many times as it allows.')
      const subject = connection.remotePeer.toString()
      if (revoked.has(subject)) throw new GridNodeError('MEMBER_REVOKED', 'This peer was revoked from the VO.')
      const issued = await issueCert(privateKey, vo.chain, { subject, role: invite.body.role, canIssue: invite.body.role === 'admin', now: now() })
      await voStore.saveInviteUses(invite.body.id, uses.usesLeft - 1, uses.expiresAt)
      logger.info({ subject, role: invite.body.role, invite: invite.body.id }, 'admitted a member')
      return issued
    })

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
      const created = await createInviteToken(vo.charter, privateKey, vo.chain, { role, uses, expiresAt, bootstrap: listenAddrs(), now: now() })
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
          const membership = await verifyChain(answer.chain, charter, { now: now(), isRevoked: () => false })
          if (membership.peerId !== self || membership.role !== invite.body.role) throw new GridNodeError('JOIN_FAILED', 'The bootstrap node issued a certificate that does not match the invite.')
          await voStore.saveMembership({ charter, chain: answer.chain, bootstrap: invite.body.bootstrap })
          current = { charter, chain: answer.chain, membership, bootstrap: invite.body.bootstrap }
          logger.info({ vo: charter.body.vo, via: connection.remotePeer.toString() }, 'joined a VO')
          await authenticate(connection)
          changed()
          return info()!
        } catch (err) {
          await connection?.close().catch(() => undefined)
          // A verdict on the invite is final; an unreachable bootstrap or a garbled answer is not.
          if (err instanceof GridNodeError && err.code !== 'JOIN_FAILED' && err.code !== 'BAD_REQUEST') throw err
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
