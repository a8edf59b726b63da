/**
 * The one API contract of a GridNode: every method with its input and output schema, and every
 * event the node pushes. HTTP, Electron IPC and the CLI all serve or call exactly this.
 */
import { z } from 'zod'
import { HealthHistorySchema, HealthResolutionSchema, HealthSampleSchema, ScalabilitySchema, WhatIfInputSchema, WhatIfSchema } from './health-schemas.ts'
import type { MethodName } from './method-names.ts'
import { DiscoverInputSchema, DiscoverResultSchema, OverlayInfoSchema } from './overlay-schemas.ts'
import { MultiaddrInputSchema, PeerSchema, StatusSchema } from './schemas.ts'
import { InviteInputSchema, InviteSchema, VoInfoSchema, VoMemberSchema, VoNameSchema } from './vo-schemas.ts'

interface MethodSpec<I extends z.ZodType, O extends z.ZodType> {
  readonly input: I
  readonly output: O
  /** One line for people: shown in API listings and CLI help. */
  readonly summary: string
}

function method<I extends z.ZodType, O extends z.ZodType>(spec: MethodSpec<I, O>): MethodSpec<I, O> {
  return spec
}

const NoInput = z.object({}).strict()

export const methods = {
  status: method({
    input: NoInput,
    output: StatusSchema,
    summary: "This node's identity, listen addresses and connected peers.",
  }),
  peers: method({
    input: NoInput,
    output: z.array(PeerSchema),
    summary: 'The peers this node is connected to, with their latency.',
  }),
  connect: method({
    input: z.object({ multiaddr: MultiaddrInputSchema }).strict(),
    output: PeerSchema,
    summary: 'Dial a peer by multiaddr and report it once connected.',
  }),
  health: method({
    input: z
      .object({
        resolution: HealthResolutionSchema.default('second'),
        /** Only samples after this time (ms since the epoch), to fetch just what is new. */
        since: z.number().nonnegative().optional(),
      })
      .strict(),
    output: HealthHistorySchema,
    summary: "This node's health samples over time and its scalability estimate.",
  }),
  scalability: method({
    input: NoInput,
    output: ScalabilitySchema,
    summary: 'CPU scalability (Amdahl p) estimated from contention, with its evidence and bounds.',
  }),
  whatIf: method({
    input: WhatIfInputSchema,
    output: WhatIfSchema,
    summary: 'Predicted speedup and throughput for other core and client counts.',
  }),
  voCreate: method({
    input: z.object({ name: VoNameSchema }).strict(),
    output: VoInfoSchema,
    summary: 'Create a Virtual Organization with this node as its first admin.',
  }),
  voInvite: method({
    input: InviteInputSchema,
    output: InviteSchema,
    summary: 'Make a signed invite (admins) that a new member redeems with voJoin.',
  }),
  voJoin: method({
    input: z.object({ token: z.string().trim().min(1).max(64 * 1024) }).strict(),
    output: VoInfoSchema,
    summary: "Redeem an invite: reach a bootstrap node and obtain this node's membership certificate.",
  }),
  voMembers: method({
    input: NoInput,
    output: z.array(VoMemberSchema),
    summary: 'The members of this VO this node knows, with their roles and whether they are connected.',
  }),
  voRevoke: method({
    input: z.object({ peerId: z.string().min(1).max(128) }).strict(),
    output: z.object({ revoked: z.literal(true) }),
    summary: "Revoke a member (admins): the revocation spreads and the member is cut off everywhere.",
  }),
  voLeave: method({
    input: NoInput,
    output: z.object({ left: z.literal(true) }),
    summary: 'Leave the VO: forget its membership and disconnect from its members.',
  }),
  overlay: method({
    input: NoInput,
    output: OverlayInfoSchema.nullable(),
    summary: "This node's place in the super-peer overlay (null outside a VO).",
  }),
  discover: method({
    input: DiscoverInputSchema,
    output: DiscoverResultSchema,
    summary: 'Find VO members offering at least the given cores and disk, ranked, with the path the query took.',
  }),
  stop: method({
    input: NoInput,
    output: z.object({ stopping: z.literal(true) }),
    summary: 'Stop the node (libp2p, database, API) and end its process.',
  }),
} as const satisfies Record<MethodName, MethodSpec<z.ZodType, z.ZodType>>

export type Methods = typeof methods
export { METHOD_NAMES, type MethodName } from './method-names.ts'
export type MethodInput<M extends MethodName> = z.input<Methods[M]['input']>
export type MethodOutput<M extends MethodName> = z.output<Methods[M]['output']>

export function isMethodName(value: string): value is MethodName {
  return Object.hasOwn(methods, value)
}

/**
 * Events the node pushes to subscribers, so no UI has to poll. Every subscription starts with a
 * `status` event carrying the current state, then one per change, and a `health` event a second.
 */
export const ApiEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('status'), data: StatusSchema }),
  /** One health sample a second. */
  z.object({ type: z.literal('health'), data: HealthSampleSchema }),
])
export type ApiEvent = z.infer<typeof ApiEventSchema>
