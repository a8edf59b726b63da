/** The VO's libp2p protocols and the schemas of what they carry. */
import { z } from 'zod'
import { ChainSchema, CharterSchema, RevocationSchema } from './records.ts'

export const VO_PROTOCOLS = {
  /** Redeem an invite: the only protocol a peer may run before proving membership. */
  join: '/gridnode/vo/join/1.0.0',
  /** Prove membership to each other, right after Noise. */
  auth: '/gridnode/vo/auth/1.0.0',
  /** Spread revocations and new members through the VO. */
  gossip: '/gridnode/vo/gossip/1.0.0',
} as const

const addrs = z.array(z.string().max(1024)).max(16)
export const FailureSchema = z.object({ ok: z.literal(false), error: z.object({ code: z.string().max(64), message: z.string().max(1000) }) })
export type Failure = z.infer<typeof FailureSchema>

export const JoinRequestSchema = z.object({ token: z.string().max(64 * 1024) })
export const JoinResponseSchema = z.discriminatedUnion('ok', [z.object({ ok: z.literal(true), chain: ChainSchema }), FailureSchema])

/** A member's proof: the VO's charter, its certificate chain, and where it listens (for reconnecting). */
export const ProofSchema = z.object({ charter: CharterSchema, chain: ChainSchema, addrs })
export const AuthResponseSchema = z.discriminatedUnion('ok', [ProofSchema.extend({ ok: z.literal(true) }), FailureSchema])

export const GossipSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('revocation'), revocation: RevocationSchema }),
  z.object({ type: z.literal('member'), chain: ChainSchema, addrs }),
])
export type Gossip = z.infer<typeof GossipSchema>
export const GossipAckSchema = z.object({ ok: z.boolean() })
