/** Schemas of Virtual Organization membership as the API carries it (issue 3). */
import { z } from 'zod'

export const VoRoleSchema = z.enum(['admin', 'member'])

export const VoInfoSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** This node's role in the VO. */
  role: VoRoleSchema,
  /** Whether this node may admit members (admins, and super-peers an admin delegated to). */
  canIssue: z.boolean(),
  /** When this node's membership certificate expires (ISO). */
  expiresAt: z.string(),
})
export type VoInfo = z.infer<typeof VoInfoSchema>

export const VoMemberSchema = z.object({
  peerId: z.string(),
  role: VoRoleSchema,
  expiresAt: z.string(),
  addrs: z.array(z.string()),
  /** Connected now, with its membership proven. */
  connected: z.boolean(),
  self: z.boolean(),
})
export type VoMember = z.infer<typeof VoMemberSchema>

/** Every invite token starts with this, so people and programs recognise one. */
export const INVITE_PREFIX = 'gridnode-invite:'

export const VoNameSchema = z.string().trim().min(1).max(80)

/** Issue 3: `--expires 7d` by default; at least a minute, at most a year. */
export const InviteInputSchema = z
  .object({
    role: VoRoleSchema.default('member'),
    expiresInSec: z.number().int().min(60).max(365 * 24 * 3600).default(7 * 24 * 3600),
    uses: z.number().int().min(1).max(10_000).default(1),
  })
  .strict()

export const InviteSchema = z.object({
  /** One line starting `gridnode-invite:`, to send to the person joining. */
  token: z.string(),
  id: z.string(),
  expiresAt: z.string(),
})

/** A VO heard on the local network (mDNS): its id and name only, never anything that lets one in. */
export const NearbyVoSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** How many of its nodes were heard. */
  peers: z.number().int().nonnegative(),
  /** Whether one of them takes join requests (an admin, or a super-peer an admin delegated to). */
  admits: z.boolean(),
  /** When one of its nodes last answered (ISO). */
  seenAt: z.string(),
})
export type NearbyVo = z.infer<typeof NearbyVoSchema>

/** This node's own join request: pending until an issuer decides, then gone (joined) or refused. */
export const OutgoingRequestSchema = z.object({
  vo: z.object({ id: z.string(), name: z.string() }),
  id: z.string(),
  label: z.string(),
  state: z.enum(['pending', 'refused', 'expired']),
  sentAt: z.string(),
  expiresAt: z.string(),
})
export type OutgoingRequest = z.infer<typeof OutgoingRequestSchema>

export const NearbySchema = z.object({
  /** Whether this node listens for the LAN at all (`gridnode start --no-mdns` turns it off). */
  mdns: z.boolean(),
  /** VOs heard recently, most recent first; empty once this node is in a VO. */
  vos: z.array(NearbyVoSchema),
  request: OutgoingRequestSchema.nullable(),
})
export type Nearby = z.infer<typeof NearbySchema>

/** A join request waiting for an issuer's decision. */
export const JoinRequestSchema = z.object({
  /** Short and the same at every issuer holding it: `gridnode vo approve ID`. */
  id: z.string(),
  peerId: z.string(),
  label: z.string(),
  message: z.string(),
  receivedAt: z.string(),
  expiresAt: z.string(),
})
export type JoinRequest = z.infer<typeof JoinRequestSchema>

/** Text a stranger sends, shown in terminals too: no control characters (escape sequences, newlines). */
export const PrintableSchema = z.string().regex(/^\P{Cc}*$/u, 'no control characters')

/** Who is asking to join, in the requester's words (the machine's name by default). */
export const RequestLabelSchema = PrintableSchema.trim().min(1).max(80)
export const RequestMessageSchema = PrintableSchema.trim().max(500)

export const RequestJoinInputSchema = z
  .object({
    voId: z.string().trim().min(1).max(64),
    label: RequestLabelSchema.optional(),
    message: RequestMessageSchema.default(''),
  })
  .strict()

export const RequestIdInputSchema = z.object({ id: z.string().trim().min(1).max(64) }).strict()
