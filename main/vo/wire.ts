/** The VO's libp2p protocols and the schemas of what they carry. */
import { z } from 'zod'
import { PrintableSchema, RequestLabelSchema, RequestMessageSchema } from '../../shared/api/vo-schemas.ts'
import { ChainSchema, CharterSchema, RefusalSchema, RevocationSchema, VoIdSchema } from './records.ts'

export const VO_PROTOCOLS = {
  /** Redeem an invite: open to strangers. */
  join: '/gridnode/vo/join/1.0.0',
  /** Prove membership to each other, right after Noise. */
  auth: '/gridnode/vo/auth/1.0.0',
  /** Spread revocations, new members, delegations and join-request decisions through the VO. */
  gossip: '/gridnode/vo/gossip/1.0.0',
  /** "Which VO are you in?": open to strangers, answered with the VO's id and name only. */
  nearby: '/gridnode/vo/nearby/1.0.0',
  /** Ask to join a VO, and later ask how that request was decided: open to strangers. */
  request: '/gridnode/vo/request/1.0.0',
} as const

const addrs = z.array(z.string().max(1024)).max(16)
export const FailureSchema = z.object({ ok: z.literal(false), error: z.object({ code: z.string().max(64), message: z.string().max(1000) }) })
export type Failure = z.infer<typeof FailureSchema>

export const JoinRequestSchema = z.object({ token: z.string().max(64 * 1024) })
export const JoinResponseSchema = z.discriminatedUnion('ok', [z.object({ ok: z.literal(true), chain: ChainSchema }), FailureSchema])

/** A member's proof: the VO's charter, its certificate chain, and where it listens (for reconnecting). */
export const ProofSchema = z.object({ charter: CharterSchema, chain: ChainSchema, addrs })
export const AuthResponseSchema = z.discriminatedUnion('ok', [ProofSchema.extend({ ok: z.literal(true) }), FailureSchema])

/** How an issuer decided a join request: the requester's certificate chain, or a signed refusal. */
export const DecisionSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('approved'), chain: ChainSchema }),
  z.object({ state: z.literal('refused'), refusal: RefusalSchema }),
])
export type Decision = z.infer<typeof DecisionSchema>

export const GossipSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('revocation'), revocation: RevocationSchema }),
  z.object({ type: z.literal('member'), chain: ChainSchema, addrs }),
  /** An admin grants its receiver issue rights: the receiver's new chain, with canIssue. */
  z.object({ type: z.literal('delegation'), chain: ChainSchema }),
  /** An issuer decided `subject`'s join request: every holder of the request can hand this over. */
  z.object({ type: z.literal('decision'), subject: z.string().min(1).max(128), decision: DecisionSchema }),
  /** An invite was redeemed at one issuer: the others count the use too. */
  z.object({ type: z.literal('invite-use'), id: z.string().regex(/^[0-9a-f]{32}$/), usesLeft: z.number().int().nonnegative(), expiresAt: z.number().int().nonnegative() }),
])
export type Gossip = z.infer<typeof GossipSchema>
export const GossipAckSchema = z.object({ ok: z.boolean() })

export const NearbyQuerySchema = z.object({}).strict()
export const NearbyAnswerSchema = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    /** The VO's id and name only: a stranger learns nothing that lets it in. */
    vo: z.object({ id: VoIdSchema, name: PrintableSchema.min(1).max(80) }).strict().nullable(),
    /** Whether this node takes join requests (admins, and super-peers an admin delegated to). */
    admits: z.boolean(),
  }),
  FailureSchema,
])
export type NearbyAnswer = z.infer<typeof NearbyAnswerSchema>

export const JoinRequestMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('submit'), vo: VoIdSchema, label: RequestLabelSchema, message: RequestMessageSchema, addrs }).strict(),
  z.object({ type: z.literal('poll'), vo: VoIdSchema }).strict(),
])
export type JoinRequestMessage = z.infer<typeof JoinRequestMessageSchema>
export const SubmitAnswerSchema = z.discriminatedUnion('ok', [z.object({ ok: z.literal(true), id: z.string().max(32) }), FailureSchema])
/** The charter comes along so a requester, who knows the VO by id only, can check the decision. */
export const PollAnswerSchema = z.discriminatedUnion('ok', [z.object({ ok: z.literal(true), charter: CharterSchema, decision: DecisionSchema.nullable() }), FailureSchema])
