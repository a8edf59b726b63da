/**
 * Schemas of mirrored folders (primary-backup groups) as the API carries them (issue 4). The
 * `groups[]` entry of `status --json` is an external contract: fields are added, never renamed.
 */
import { z } from 'zod'

/** Wanted backup copies: at least one (else nothing is mirrored), at most what a small VO can host. */
export const MAX_COPIES = 8

export const GroupRoleSchema = z.enum(['primary', 'backup', 'reader'])

/**
 * One backup copy of a shared folder, as the primary host sees it: in sync, behind by some updates
 * and bytes, being filled for the first time, or failed (host gone past its grace, full, corrupt).
 */
export const CopyStateSchema = z.enum(['in-sync', 'behind', 'filling', 'failed'])

export const GroupCopySchema = z.object({
  /** Peer id of the member hosting this copy (null while one is being recruited). */
  host: z.string().nullable(),
  state: CopyStateSchema,
  /** Updates the primary has sequenced that this copy has not stored yet. */
  behindUpdates: z.number().int().nonnegative(),
  /** Bytes those updates still need to move. */
  behindBytes: z.number().nonnegative(),
  /** Files those updates touch: with behindBytes, what a progress bar shows as still to go. */
  behindFiles: z.number().int().nonnegative(),
  /** Why a copy failed, in words (null otherwise). */
  reason: z.string().nullable(),
})
export type GroupCopy = z.infer<typeof GroupCopySchema>

/** A group as `status.groups[]` and `gridnode groups` show it. */
export const GroupSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  /** This node's role: it hosts the production folder, hosts a backup copy, or may read the folder. */
  role: GroupRoleSchema,
  /** Backup copies wanted. */
  copies: z.number().int().min(1).max(MAX_COPIES),
  /** Backup copies in sync now. */
  inSync: z.number().int().nonnegative(),
  /** Every backup copy, in backup order. */
  backups: z.array(GroupCopySchema),
  /** The group's epoch: it grows with every change of primary host. */
  epoch: z.number().int().nonnegative(),
  /** The last update the primary sequenced in this epoch: an update is (epoch, seq). */
  seq: z.number().int().nonnegative(),
  /** Peer id of the node acting as primary host now (null while none is reachable). */
  primary: z.string().nullable(),
  /** Whether the primary host is the folder's owner, or a backup acting for it after a failover. */
  acting: z.boolean(),
  /** The shared folder's path on this node (primary hosts and readers only). */
  path: z.string().nullable(),
  files: z.number().int().nonnegative(),
  bytes: z.number().nonnegative(),
})
export type GroupSummary = z.infer<typeof GroupSummarySchema>

export const GroupMemberSchema = z.object({
  peerId: z.string(),
  /** The resources this member can access or host: `primary`, `backup-1` … */
  subgroups: z.array(z.string()),
  /** The resources it hosts. */
  hosts: z.array(z.string()),
  online: z.boolean(),
})

export const GroupResourceSchema = z.object({
  id: z.string(),
  kind: z.enum(['primary', 'backup']),
  host: z.string().nullable(),
  /** Position in backup order (0 for the primary resource). */
  order: z.number().int().nonnegative(),
})

export const GroupDetailSchema = GroupSummarySchema.extend({
  members: z.array(GroupMemberSchema),
  resources: z.array(GroupResourceSchema),
  readers: z.array(z.string()),
})
export type GroupDetail = z.infer<typeof GroupDetailSchema>

export const GroupLogEntrySchema = z.object({
  /** ISO time. */
  at: z.string(),
  level: z.enum(['info', 'warn', 'error']),
  /** The join protocol's step (e.g. "4A.3 announce subgroups") or another event kind. */
  kind: z.string(),
  text: z.string(),
})
export type GroupLogEntry = z.infer<typeof GroupLogEntrySchema>

export const GroupIdSchema = z.string().min(1).max(128)

export const ShareInputSchema = z
  .object({
    /** Absolute path of the folder to share, on the node's machine. */
    path: z.string().min(1).max(4096),
    name: z.string().trim().min(1).max(128).optional(),
    copies: z.number().int().min(1).max(MAX_COPIES).default(2),
    /** Members given the folder key: they may browse and restore it. */
    readers: z.array(z.string().min(1).max(128)).max(64).default([]),
  })
  .strict()

export const RestoreInputSchema = z
  .object({
    id: GroupIdSchema,
    /** Absolute path of an empty (or missing) folder to restore into. */
    dest: z.string().min(1).max(4096),
  })
  .strict()

export const RestoreResultSchema = z.object({
  files: z.number().int().nonnegative(),
  bytes: z.number().nonnegative(),
  /** Chunks that a copy served corrupt or not at all and another copy repaired. */
  repairedChunks: z.number().int().nonnegative(),
  /** Peer ids of the copies read from, first choice first. */
  sources: z.array(z.string()),
  ms: z.number().nonnegative(),
})
export type RestoreResult = z.infer<typeof RestoreResultSchema>
