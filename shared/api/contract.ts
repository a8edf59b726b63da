/**
 * The one API contract of a GridNode: every method with its input and output schema, and every
 * event the node pushes. HTTP, Electron IPC and the CLI all serve or call exactly this.
 */
import { z } from 'zod'
import {
  AccountingSchema,
  DemoInputSchema,
  DemoSchema,
  JOB_LIMITS,
  JobDetailSchema,
  JobIdInputSchema,
  JobResultSchema,
  JobSubmitInputSchema,
  JobSummarySchema,
  base64Length,
} from './compute-schemas.ts'
import { ContributeInputSchema, ResourcesSchema } from './contribution-schemas.ts'
import { HealthHistorySchema, HealthResolutionSchema, HealthSampleSchema, ScalabilitySchema, WhatIfInputSchema, WhatIfSchema } from './health-schemas.ts'
import { GroupDetailSchema, GroupIdSchema, GroupLogEntrySchema, GroupSummarySchema, RestoreInputSchema, RestoreResultSchema, ShareInputSchema } from './group-schemas.ts'
import type { MethodName } from './method-names.ts'
import { DiscoverInputSchema, DiscoverResultSchema, OverlayInfoSchema } from './overlay-schemas.ts'
import { MultiaddrInputSchema, PeerSchema, SpeedtestInputSchema, SpeedtestResultSchema, StatusSchema } from './schemas.ts'
import {
  InviteInputSchema,
  InviteSchema,
  JoinRequestSchema,
  NearbySchema,
  OutgoingRequestSchema,
  RequestIdInputSchema,
  RequestJoinInputSchema,
  VoInfoSchema,
  VoMemberSchema,
  VoNameSchema,
} from './vo-schemas.ts'

interface MethodSpec<I extends z.ZodType, O extends z.ZodType> {
  readonly input: I
  readonly output: O
  /** One line for people: shown in API listings and CLI help. */
  readonly summary: string
  /** Largest request body the HTTP adapter reads for this method, when more than its default. */
  readonly maxBodyBytes?: number
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
  voNearby: method({
    input: NoInput,
    output: NearbySchema,
    summary: "VOs heard on the local network (id and name), and this node's own join request.",
  }),
  voRequestJoin: method({
    input: RequestJoinInputSchema,
    output: OutgoingRequestSchema,
    summary: 'Ask to join a VO heard on the local network; its admins approve or refuse.',
  }),
  voRequests: method({
    input: NoInput,
    output: z.array(JoinRequestSchema),
    summary: 'Join requests waiting for a decision (admins, and super-peers they delegated to).',
  }),
  voApprove: method({
    input: RequestIdInputSchema,
    output: z.object({ approved: z.literal(true), peerId: z.string() }),
    summary: 'Approve a join request: the requester gets its certificate and joins.',
  }),
  voRefuse: method({
    input: RequestIdInputSchema,
    output: z.object({ refused: z.literal(true), peerId: z.string() }),
    summary: 'Refuse a join request: the requester is told, and nothing is stored for it.',
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
  speedtest: method({
    input: SpeedtestInputSchema,
    output: SpeedtestResultSchema,
    summary: 'Measure how fast one libp2p stream carries bytes from this node to a connected VO member.',
  }),
  contribution: method({
    input: NoInput,
    output: ResourcesSchema,
    summary: 'What this node contributes: cores or CPU %, only when idle, disk quota, and whether it is running or paused.',
  }),
  contribute: method({
    input: ContributeInputSchema,
    output: ResourcesSchema,
    summary: 'Change what this node contributes (cores or CPU %, only when idle, disk quota); the rest stays as it is.',
  }),
  share: method({
    input: ShareInputSchema,
    output: GroupSummarySchema,
    summary: 'Share a folder as a mirrored resource: a primary-backup group whose backups other members host.',
  }),
  groups: method({
    input: NoInput,
    output: z.array(GroupSummarySchema),
    summary: 'The mirrored folders this node takes part in, with the state of every copy.',
  }),
  group: method({
    input: z.object({ id: GroupIdSchema }).strict(),
    output: GroupDetailSchema,
    summary: "One group's members, subgroups, hosts, backup order and copies.",
  }),
  groupLog: method({
    input: z.object({ id: GroupIdSchema, limit: z.number().int().min(1).max(10_000).default(500) }).strict(),
    output: z.array(GroupLogEntrySchema),
    summary: "A group's event log, oldest first: the join protocol's steps, updates, failovers, problems.",
  }),
  unshare: method({
    input: z.object({ id: GroupIdSchema }).strict(),
    output: z.object({ unshared: z.literal(true) }),
    summary: 'Stop mirroring a folder: the group is dissolved and its backup hosts drop their copies.',
  }),
  restore: method({
    input: RestoreInputSchema,
    output: RestoreResultSchema,
    summary: 'Restore a mirrored folder from any live copy into an empty folder, verifying every chunk.',
  }),
  jobSubmit: method({
    input: JobSubmitInputSchema,
    output: JobDetailSchema,
    summary: 'Submit a WebAssembly job to run on the VO: validated now, queued until nodes with free cores run it.',
    // The module and input travel as base64 in the JSON body.
    maxBodyBytes: base64Length(JOB_LIMITS.payloadBytes) + 64 * 1024,
  }),
  jobs: method({
    input: NoInput,
    output: z.array(JobSummarySchema),
    summary: "This node's jobs, oldest first, with their state and progress.",
  }),
  job: method({
    input: JobIdInputSchema,
    output: JobDetailSchema,
    summary: "One job in detail: its runs on nodes, checkpoints and the checkpoint policy, and its verified result.",
  }),
  jobCancel: method({
    input: JobIdInputSchema,
    output: JobDetailSchema,
    summary: 'Cancel a job: its running replicas are stopped and it never runs again.',
  }),
  jobResult: method({
    input: JobIdInputSchema,
    output: JobResultSchema,
    summary: "A done job's verified output (base64) and its SHA-256.",
  }),
  jobDemo: method({
    input: DemoInputSchema,
    output: DemoSchema,
    summary: 'Start a demo over the VO: the Mandelbrot set rendered as one job per tile.',
  }),
  accounting: method({
    input: NoInput,
    output: AccountingSchema,
    summary: 'The audit log of CPU this node spent and bytes it stores for each member, with totals.',
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

/** The request body a method may send beyond a transport's default limit, if it needs more. */
export function maxBodyBytes(method: MethodName): number | undefined {
  const spec: MethodSpec<z.ZodType, z.ZodType> = methods[method]
  return spec.maxBodyBytes
}

/**
 * Events the node pushes to subscribers, so no UI has to poll. Every subscription starts with a
 * `status` event carrying the current state, then one per change, and a `health` event a second.
 */
export const ApiEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('status'), data: StatusSchema }),
  /** One health sample a second. */
  z.object({ type: z.literal('health'), data: HealthSampleSchema }),
  /** One of this node's jobs changed (state, progress, runs), coalesced per job. */
  z.object({ type: z.literal('job'), data: JobSummarySchema }),
  /** VOs heard on the LAN, or this node's join request, changed. */
  z.object({ type: z.literal('nearby'), data: NearbySchema }),
  /** The join requests waiting for this node's decision changed. */
  z.object({ type: z.literal('joinRequests'), data: z.array(JoinRequestSchema) }),
])
export type ApiEvent = z.infer<typeof ApiEventSchema>
