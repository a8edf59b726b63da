/**
 * The signed records of a VO and their schemas. Every record that arrives from the network or a
 * token is parsed by these before anything trusts it.
 */
import { z } from 'zod'
import type { Signed } from './signed.ts'

const bytes = z.custom<Uint8Array>((value) => value instanceof Uint8Array, 'bytes')
const time = z.number().int().nonnegative()
const peerId = z.string().min(1).max(128)
export const VoIdSchema = z.string().regex(/^vo[a-z2-7]{26}$/)
export const RoleSchema = z.enum(['admin', 'member'])
export type Role = z.infer<typeof RoleSchema>

const signed = <B extends z.ZodType>(body: B) => z.object({ body, sig: bytes.refine((sig) => sig.length === 64, 'an Ed25519 signature') })

/** The VO's founding record, signed by the VO key: its id, name, public key and lifetime. */
export const CharterBodySchema = z.object({
  kind: z.literal('gridnode/charter/v1'),
  vo: VoIdSchema,
  name: z.string().min(1).max(80),
  key: bytes.refine((key) => key.length === 32, 'an Ed25519 public key'),
  createdAt: time,
  expiresAt: time,
})
export type CharterBody = z.infer<typeof CharterBodySchema>
export const CharterSchema = signed(CharterBodySchema)
export type Charter = Signed<CharterBody>

/** Membership of one peer, signed by the VO key (issuer 'vo') or by an issuing member's node key. */
export const CertBodySchema = z.object({
  kind: z.literal('gridnode/cert/v1'),
  vo: VoIdSchema,
  subject: peerId,
  role: RoleSchema,
  /** May issue certificates to others: admins, and super-peers an admin delegated to. */
  canIssue: z.boolean(),
  issuer: z.union([z.literal('vo'), peerId]),
  issuedAt: time,
  expiresAt: time,
})
export type CertBody = z.infer<typeof CertBodySchema>
export const CertSchema = signed(CertBodySchema)
export type Cert = Signed<CertBody>

/** A node's own certificate first, then its issuer's, up to one issued by the VO key. */
export const ChainSchema = z.array(CertSchema).min(1)
export type Chain = Cert[]

export const InviteBodySchema = z.object({
  kind: z.literal('gridnode/invite/v1'),
  vo: VoIdSchema,
  id: z.string().regex(/^[0-9a-f]{32}$/),
  role: RoleSchema,
  uses: z.number().int().min(1).max(10_000),
  bootstrap: z.array(z.string().max(1024)).max(16),
  issuer: peerId,
  issuedAt: time,
  expiresAt: time,
})
export type InviteBody = z.infer<typeof InviteBodySchema>
export const InviteSchema = signed(InviteBodySchema)
export type Invite = Signed<InviteBody>

/** What a `gridnode-invite:` token carries: everything a stranger needs to check it offline. */
export const InviteTokenSchema = z.object({ charter: CharterSchema, invite: InviteSchema, chain: ChainSchema })
export type InviteToken = z.infer<typeof InviteTokenSchema>

export const RevocationBodySchema = z.object({
  kind: z.literal('gridnode/revocation/v1'),
  vo: VoIdSchema,
  subject: peerId,
  issuer: peerId,
  revokedAt: time,
})
export type RevocationBody = z.infer<typeof RevocationBodySchema>
/** A revocation carries its issuer's chain, so any member can check it was an admin's. */
export const RevocationSchema = z.object({ revocation: signed(RevocationBodySchema), chain: ChainSchema })
export type Revocation = z.infer<typeof RevocationSchema>

/** An issuer's "no" to a join request, signed, so a stranger cannot tell a requester it was refused. */
export const RefusalBodySchema = z.object({
  kind: z.literal('gridnode/refusal/v1'),
  vo: VoIdSchema,
  subject: peerId,
  issuer: peerId,
  refusedAt: time,
})
export type RefusalBody = z.infer<typeof RefusalBodySchema>
export const RefusalSchema = z.object({ refusal: signed(RefusalBodySchema), chain: ChainSchema })
export type Refusal = z.infer<typeof RefusalSchema>
