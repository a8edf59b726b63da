/**
 * The group protocol's wire messages and its replicated and persisted state, one zod schema each.
 * The adapter parses every message from the network with parseGroupMessage, and the persisted
 * record read back from LevelDB with parsePersistedGroup, before a core sees them; cores trust the
 * shape of their input and check only its meaning (group, membership, epoch).
 *
 * Every message names its group and carries the sender's epoch: the highest primary epoch it has
 * seen or voted in. Update payloads and resource configurations are the integrator's JSON, opaque
 * here (the mirror's manifest change; a resource's address and wrapped key).
 */
import { z } from 'zod'
import { LIMITS } from './constants.ts'

const peerId = z.string().min(1).max(LIMITS.idLength)
const groupId = z.string().min(1).max(LIMITS.idLength)
const resourceId = z.string().min(1).max(LIMITS.idLength)
const epoch = z.number().int().nonnegative()
const count = z.number().int().nonnegative()
const json = z.json()
const boundedRecord = <V extends z.ZodType>(key: z.ZodString, value: V, max: number) =>
  z.record(key, value).refine((r) => Object.keys(r).length <= max, { message: `at most ${max} entries` })

/** A point in the update sequence: the epoch of the primary that sequenced update `seq`. (0, 0) is before the first update. */
export const positionSchema = z.object({ epoch, seq: count })

export const resourceSchema = z.object({ id: resourceId, kind: z.enum(['primary', 'backup']) })

/** A member's own record, written only by that member: a higher incarnation replaces a lower one. */
export const memberRecordSchema = z.object({
  incarnation: count,
  /** The resources this member can access or hosts: the subgroups it belongs to. */
  subgroups: z.array(resourceId).max(LIMITS.copies + 1),
  left: z.boolean(),
})

/** Who hosts a resource: a higher version replaces a lower one (a recruited host replaces a lost one). */
export const hostEntrySchema = z.object({ peer: peerId.nullable(), version: count })

/** The group state every member holds a copy of (seed patent: resources, members, subgroups, hosts, backup order) plus the epoch. */
export const groupStateSchema = z
  .object({
    id: groupId,
    name: z.string().min(1).max(LIMITS.nameLength),
    /** The primary (production) resource first, then the backup resources. */
    resources: z.array(resourceSchema).min(1).max(LIMITS.copies + 1),
    /** Backup resource ids in the order their hosts take over from a failed primary host. */
    backupOrder: z.array(resourceId).max(LIMITS.copies),
    members: boundedRecord(peerId, memberRecordSchema, LIMITS.members),
    hosts: boundedRecord(resourceId, hostEntrySchema, LIMITS.copies + 1),
    /** The acting primary (the sequencer) and its epoch; null before the primary host first joined. */
    primary: z.object({ epoch: epoch.min(1), peer: peerId }).nullable(),
  })
  .superRefine((s, ctx) => {
    const ids = s.resources.map((r) => r.id)
    const backups = s.resources.filter((r) => r.kind === 'backup').map((r) => r.id)
    const fail = (message: string) => ctx.addIssue({ code: 'custom', message })
    if (s.resources[0]?.kind !== 'primary' || backups.length !== s.resources.length - 1) fail('the first resource, and only it, is the primary resource')
    if (new Set(ids).size !== ids.length) fail('resource ids repeat')
    if (s.backupOrder.length !== backups.length || !backups.every((id) => s.backupOrder.includes(id))) fail('backupOrder must list each backup resource once')
    if (Object.keys(s.hosts).some((id) => !ids.includes(id))) fail('a host entry names an unknown resource')
    if (Object.values(s.members).some((m) => m.subgroups.some((id) => !ids.includes(id)))) fail('a subgroup names an unknown resource')
  })

export const updateSchema = z.object({
  epoch: epoch.min(1),
  seq: count.min(1),
  /** Epoch of update seq − 1 (0 for the first update): a backup applies this update only right after that one. */
  prevEpoch: epoch,
  /** Bytes the update adds to transfer and store (the integrator's figure), for "behind by N bytes". */
  size: count,
  payload: json,
})

/** One copy's state as the acting primary sees it (issue: in-sync / behind by N updates and bytes / failed). */
export const copyReportSchema = z.object({
  resource: resourceId,
  host: peerId.nullable(),
  state: z.enum(['in-sync', 'behind', 'failed', 'no-host']),
  behindUpdates: count,
  behindBytes: count,
})

/** What each member knows of the state, for anti-entropy: incarnations of members and the host entries. */
const clockSchema = z.object({ members: boundedRecord(peerId, count, LIMITS.members), hosts: boundedRecord(resourceId, hostEntrySchema, LIMITS.copies + 1) })

const base = { group: groupId, epoch }
const primaryRef = z.object({ epoch: epoch.min(1), peer: peerId }).nullable()

/** Step 1: a joining member asks (the primary, or any member) for its copy of the group state. */
const joinRequest = z.object({ type: z.literal('join-request'), ...base })
/** Anti-entropy: a member that heard of newer state asks the member that has it. */
const stateRequest = z.object({ type: z.literal('state-request'), ...base })
const state = z.object({ type: z.literal('state'), ...base, state: groupStateSchema })
/** Step 3: the sender's own record and the resources it hosts (or stopped hosting); also a leave. */
const announce = z.object({
  type: z.literal('announce'),
  ...base,
  record: memberRecordSchema,
  hosts: boundedRecord(resourceId, hostEntrySchema, LIMITS.copies + 1),
  applied: positionSchema,
})
/** Steps 4 and 5: a resource's host sends its configuration to a member of the resource's subgroup. */
const resourceConfig = z.object({ type: z.literal('resource-config'), ...base, resource: resourceId, config: json, step: z.union([z.literal(4), z.literal(5)]) })
const heartbeat = z.object({
  type: z.literal('heartbeat'),
  ...base,
  primary: primaryRef,
  /** The sender is sequencing updates now (it is `primary.peer` in `primary.epoch`). */
  acting: z.boolean(),
  applied: positionSchema,
  clock: clockSchema,
  /** From the acting primary: the state of every copy. */
  copies: z.array(copyReportSchema).max(LIMITS.copiesReport).optional(),
})
const update = z.object({ type: z.literal('update'), ...base, update: updateSchema })
/** A backup has stored every update up to `applied`; `diverged` when what it was sent does not follow what it holds. */
const ack = z.object({ type: z.literal('ack'), ...base, applied: positionSchema, diverged: z.boolean() })
/** A backup missing updates from `from` on (a gap in what arrived). */
const resend = z.object({ type: z.literal('resend'), ...base, from: count.min(1) })
/** A backup host's quota is full: it cannot store this resource any more. */
const full = z.object({ type: z.literal('full'), ...base, resource: resourceId })
/** A candidate asks to become acting primary in `epoch`; `handover` when the acting primary hands the role back to the primary host. */
const claim = z.object({ type: z.literal('claim'), ...base, last: positionSchema, handover: z.boolean() })
const vote = z.object({ type: z.literal('vote'), ...base, claim: epoch.min(1), granted: z.boolean(), last: positionSchema })
/** The acting primary tells the caught-up primary host to take its role back. */
const handover = z.object({ type: z.literal('handover'), ...base, last: positionSchema })
/** The receiver refused the sender's message as of an older epoch; here is the newer primary. */
const stale = z.object({ type: z.literal('stale'), ...base, primary: primaryRef })
/** The acting primary asks a recruited host (found by discovery) to join the group and host `resource`. */
const invite = z.object({ type: z.literal('invite'), ...base, resource: resourceId, name: z.string().min(1).max(LIMITS.nameLength) })
/** The primary host unshared the folder: the group ends and its copies are dropped. */
const dissolve = z.object({ type: z.literal('dissolve'), ...base })

export const groupMessageSchema = z.discriminatedUnion('type', [
  joinRequest,
  stateRequest,
  state,
  announce,
  resourceConfig,
  heartbeat,
  update,
  ack,
  resend,
  full,
  claim,
  vote,
  handover,
  stale,
  invite,
  dissolve,
])

/** What a member keeps on disk (the adapter stores it on every persist-state effect and passes it back on restart). */
export const persistedGroupSchema = z.object({
  v: z.literal(1),
  state: groupStateSchema,
  /** The newest epoch this member voted in, and for whom: at most one vote per epoch, across restarts. */
  vote: z.object({ epoch: epoch.min(1), peer: peerId }).nullable(),
  /** The last update this member has durably applied. */
  applied: positionSchema,
  /** Configurations of the resources this member hosts (sent to their subgroups, steps 4–5). */
  configs: boundedRecord(resourceId, json, LIMITS.copies + 1),
})

export type Json = z.infer<typeof json>
export type Position = z.infer<typeof positionSchema>
export type Resource = z.infer<typeof resourceSchema>
export type MemberRecord = z.infer<typeof memberRecordSchema>
export type HostEntry = z.infer<typeof hostEntrySchema>
export type GroupState = z.infer<typeof groupStateSchema>
export type Update = z.infer<typeof updateSchema>
export type CopyReport = z.infer<typeof copyReportSchema>
export type Clock = z.infer<typeof clockSchema>
export type GroupMessage = z.infer<typeof groupMessageSchema>
export type PersistedGroup = z.infer<typeof persistedGroupSchema>
export type MessageOf<T extends GroupMessage['type']> = Extract<GroupMessage, { type: T }>
/** A message as a core composes it: group and epoch are filled in when it is sent. */
export type MessageBody = GroupMessage extends infer M ? (M extends GroupMessage ? Omit<M, 'group' | 'epoch'> : never) : never

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string }

function parseWith<T>(schema: z.ZodType<T>, input: unknown): Parsed<T> {
  const parsed = schema.safeParse(input)
  if (parsed.success) return { ok: true, value: parsed.data }
  const issue = parsed.error.issues[0]
  return { ok: false, error: issue === undefined ? 'invalid' : `${issue.path.join('.') || 'message'}: ${issue.message}` }
}

/** Validates a message from the network; never throws. A rejected message should close its stream. */
export const parseGroupMessage = (input: unknown): Parsed<GroupMessage> => parseWith(groupMessageSchema, input)

/** Validates a persisted record read back from the store; never throws. */
export const parsePersistedGroup = (input: unknown): Parsed<PersistedGroup> => parseWith(persistedGroupSchema, input)
