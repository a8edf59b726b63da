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
