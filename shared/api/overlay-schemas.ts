/** Schemas of the super-peer overlay as the API carries it (issue 3). */
import { z } from 'zod'

export const OverlayInfoSchema = z.object({
  subgrid: z.string(),
  region: z.string(),
  /** This node's role: a plain member, its sub-grid's super-peer, or its region's region peer. */
  role: z.enum(['member', 'super-peer', 'region-peer']),
  superPeer: z.string().nullable(),
  regionPeer: z.string().nullable(),
  /** Advertisements this node's index holds (0 unless it is a super-peer). */
  indexSize: z.number().int().nonnegative(),
  /** The super-peer of each sub-grid of this node's region, as far as this node knows. */
  superPeers: z.array(z.object({ subgrid: z.string(), peer: z.string() })),
  /** The region peer of each region, as far as this node knows. */
  regionPeers: z.array(z.object({ region: z.string(), peer: z.string() })),
})
export type OverlayInfo = z.infer<typeof OverlayInfoSchema>

export const CandidateSchema = z.object({
  peer: z.string(),
  subgrid: z.string(),
  region: z.string(),
  cores: z.number().int().nonnegative(),
  diskBytes: z.number().nonnegative(),
  load: z.number().min(0).max(1),
  p: z.number().nullable(),
  addrs: z.array(z.string()),
  score: z.number(),
})

export const DiscoverInputSchema = z
  .object({
    cores: z.number().int().positive().max(4096).optional(),
    diskBytes: z.number().positive().optional(),
    /** How many candidates are enough: the query stops once it has them. */
    want: z.number().int().min(1).max(100).default(5),
  })
  .strict()

export const DiscoverResultSchema = z.object({
  /** Ranked best first. */
  candidates: z.array(CandidateSchema),
  /** The nodes the query went through. */
  path: z.array(z.string()),
  hops: z.number().int().nonnegative(),
  satisfied: z.boolean(),
})
export type DiscoverResult = z.infer<typeof DiscoverResultSchema>
