/**
 * Schemas of the data the API carries. The `status` shape is an external contract
 * (`gridnode status --json`): later features add fields, never rename these.
 */
import { z } from 'zod'
import { JobCountsSchema } from './compute-schemas.ts'
import { ResourcesSchema } from './contribution-schemas.ts'
import { GroupSummarySchema } from './group-schemas.ts'
import { ScalabilitySchema } from './health-schemas.ts'
import { OverlayInfoSchema } from './overlay-schemas.ts'
import { VoInfoSchema } from './vo-schemas.ts'

export const PeerSchema = z.object({
  peerId: z.string(),
  /** Remote multiaddrs of the open connections to this peer. */
  addrs: z.array(z.string()),
  /** Round-trip time of the last successful ping, null until one succeeds. */
  latencyMs: z.number().nonnegative().nullable(),
})
export type Peer = z.infer<typeof PeerSchema>

export const NodeInfoSchema = z.object({
  peerId: z.string(),
  version: z.string(),
  uptimeSec: z.number().nonnegative(),
  /** Multiaddrs this node listens on, each ending in /p2p/<peerId>. */
  listen: z.array(z.string()),
  dataDir: z.string(),
  /** ISO time the node started, so a UI can count uptime without asking again. */
  startedAt: z.string(),
})
export type NodeInfo = z.infer<typeof NodeInfoSchema>

export const StatusSchema = z.object({
  node: NodeInfoSchema,
  peers: z.array(PeerSchema),
  /** The VO this node belongs to, or null before it creates or joins one (issue 3). */
  vo: VoInfoSchema.nullable(),
  /** This node's place in the super-peer overlay, or null outside a VO (issue 3). */
  overlay: OverlayInfoSchema.nullable(),
  /** CPU scalability estimated from contention (issue 6). */
  scalability: ScalabilitySchema,
  /** What this node contributes and whether it runs or is paused (issue 5); absent from older nodes. */
  resources: ResourcesSchema.optional(),
  /** This node's jobs by state, and the runs it executes for the VO (issue 5); absent from older nodes. */
  jobs: JobCountsSchema.optional(),
  /** The mirrored folders this node takes part in (issue 4); absent from older nodes. */
  groups: z.array(GroupSummarySchema).optional(),
})
export type Status = z.infer<typeof StatusSchema>

/** A multiaddr typed by a person or a program; parsed for real by the node. */
export const MultiaddrInputSchema = z.string().trim().min(1).max(1024)

/** A network self-test towards one member: how many bytes, at least 1 MiB and at most 4 GiB. */
export const SpeedtestInputSchema = z
  .object({
    peerId: z.string().min(1).max(128),
    bytes: z.number().int().min(2 ** 20).max(4 * 2 ** 30).default(256 * 2 ** 20),
  })
  .strict()

export const SpeedtestResultSchema = z.object({
  peerId: z.string(),
  bytes: z.number().int().nonnegative(),
  ms: z.number().nonnegative(),
  /** Megabytes (10^6 bytes) per second. */
  mbPerSec: z.number().nonnegative(),
})
export type SpeedtestResult = z.infer<typeof SpeedtestResultSchema>
