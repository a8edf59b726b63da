/**
 * The overlay's wire messages: one zod schema per type. The runtime parses every message from the
 * network with parseMessage before a core sees it; cores trust their input's shape.
 */
import { z } from 'zod'
import { LIMITS } from './constants.ts'

const peerId = z.string().min(1).max(LIMITS.idLength)
const groupId = z.string().min(1).max(LIMITS.groupLength)
const queryId = z.string().min(1).max(LIMITS.idLength)
const term = z.number().int().nonnegative()
const score = z.number().min(0).max(1)
const path = z.array(peerId).min(1).max(LIMITS.path)
/** Sub-grid level: a sub-grid elects its super-peer. Region level: a region's super-peers elect its region peer. */
const level = z.enum(['subgrid', 'region'])

/** What a member offers, as registered with its super-peer and returned by discovery. */
export const advertisementSchema = z.object({
  peer: peerId,
  subgrid: groupId,
  region: groupId,
  cores: z.number().int().nonnegative().max(4096),
  diskBytes: z.number().nonnegative(),
  /** CPU load, 0–1. */
  load: z.number().min(0).max(1),
  /** Amdahl parallel fraction estimated by health/, if any. */
  p: z.number().min(0).max(1).nullable(),
  addrs: z.array(z.string().max(256)).max(LIMITS.addrs),
  score,
})

/** Who leads which group, and since which term: merged entry by entry, newest term wins. */
const viewEntry = z.object({ group: groupId, peer: peerId, term })
export const viewSchema = z.object({
  /** The sender's region, which `superPeers` belong to. */
  region: groupId,
  /** Super-peers of that region, by sub-grid. */
  superPeers: z.array(viewEntry).max(LIMITS.view),
  /** Region peers, by region. */
  regionPeers: z.array(viewEntry).max(LIMITS.view),
})

const election = z.object({ type: z.literal('election'), level, group: groupId, term, score })
const answer = z.object({ type: z.literal('answer'), level, group: groupId, term, score })
/** Sent on winning and repeated every heartbeat interval: the heartbeat. The leader is the sender. */
const coordinator = z.object({ type: z.literal('coordinator'), level, group: groupId, term, score, view: viewSchema.optional() })
/**
 * `peer` leads `group` since `term`: a super-peer tells its region's super-peers (level subgrid),
 * a region peer tells other regions' region peers (level region). A receiver that is not the
 * intended kind relays it once up its own hierarchy (`relays` counts those).
 */
const announce = z.object({
  type: z.literal('announce'),
  level,
  region: groupId,
  group: groupId,
  peer: peerId,
  term,
  relays: z.number().int().min(0).max(2),
})
const view = z.object({ type: z.literal('view'), view: viewSchema })
const register = z.object({ type: z.literal('register'), ad: advertisementSchema })

export const querySpecSchema = z.object({ cores: z.number().int().positive().optional(), diskBytes: z.number().positive().optional() })
/**
 * coordinate: to the origin's super-peer, which runs the search; answer: reply with your index's
 * matches; region: a region peer answers and asks its region's super-peers to answer too.
 */
const query = z.object({
  type: z.literal('query'),
  id: queryId,
  scope: z.enum(['coordinate', 'answer', 'region']),
  origin: peerId,
  coordinator: peerId,
  spec: querySpecSchema,
  want: z.number().int().min(1).max(LIMITS.want),
  /** Hops the query may still take from its receiver. */
  ttl: z.number().int().min(0).max(LIMITS.ttl),
  /** Peers the query went through, origin first, the receiver not yet included. */
  path,
})
const matches = z.object({
  type: z.literal('matches'),
  id: queryId,
  candidates: z.array(advertisementSchema).max(LIMITS.candidates),
  /** The query's path to the answering peer, inclusive. */
  path,
  /** Further answers the coordinator should wait for (a region peer's fan-out). */
  expect: z.number().int().nonnegative().max(LIMITS.view),
})
const result = z.object({
  type: z.literal('result'),
  id: queryId,
  candidates: z.array(advertisementSchema).max(LIMITS.candidates),
  path,
  satisfied: z.boolean(),
})

export const overlayMessageSchema = z.discriminatedUnion('type', [election, answer, coordinator, announce, view, register, query, matches, result])

export type OverlayMessage = z.infer<typeof overlayMessageSchema>
export type Advertisement = z.infer<typeof advertisementSchema>
export type View = z.infer<typeof viewSchema>
export type ViewEntry = View['superPeers'][number]
export type QuerySpec = z.infer<typeof querySpecSchema>
export type Level = z.infer<typeof level>
export type ElectionMessage = Extract<OverlayMessage, { type: 'election' | 'answer' | 'coordinator' }>
export type DiscoveryMessage = Extract<OverlayMessage, { type: 'query' | 'matches' | 'result' }>
export type RegisterMessage = Extract<OverlayMessage, { type: 'register' }>

export type ParsedMessage = { ok: true; message: OverlayMessage } | { ok: false; error: string }

/** Validates a message from the network; never throws. A rejected message should close its stream. */
export function parseMessage(input: unknown): ParsedMessage {
  const parsed = overlayMessageSchema.safeParse(input)
  if (parsed.success) return { ok: true, message: parsed.data }
  const issue = parsed.error.issues[0]
  return { ok: false, error: issue === undefined ? 'invalid message' : `${issue.path.join('.') || 'message'}: ${issue.message}` }
}
