/**
 * Primary-backup groups (issue 4): a shared folder is a group whose members are organised into
 * subgroups, one per resource — the primary (production) resource and K backup resources — by
 * which resources each member can access or hosts. Members join by the seed patent's join
 * protocol (Figs. 4A/4B; join.ts), the acting primary sequences updates and mirrors them to every
 * other host in order (sequencer.ts, local-copy.ts), and when the primary host fails the first
 * reachable host in backup order with a complete copy takes over in a new epoch (failover.ts).
 *
 * Everything here is a pure state machine (sans-IO), one per (node, group): createGroupMember.
 * The adapter (libp2p + LevelDB + the mirror's data path) does the rest:
 *
 * Creating and joining
 *   - `gridnode share`: state = createGroupState({ id, name, copies }); member =
 *     createGroupMember({ self, now, state }); feed `join` with the access predicate (the sharer
 *     owns 'primary'). The member recruits its K backups (recruit-backup-needed effects).
 *   - Restart: createGroupMember({ self, now, persisted, log? }) from the last persist-state
 *     record (parsePersistedGroup), then `join` again (a member always rejoins after a restart; it
 *     never resumes sequencing in its old epoch).
 *   - An `invite` message for a group the node has no member for is the adapter's to answer
 *     (the core never sees it): check the quota, then createGroupMember({ self, now, group }) and
 *     feed `join` with contact = the inviter and invitedFor = invite.resource.
 *
 * Inputs (GroupInput, core.ts): join, message (parse with parseGroupMessage first; route by
 *   message.group), tick (at nextDeadline()), connection-closed, propose (a manifest change with
 *   its byte size, on the acting primary), applied (the local copy stored updates up to seq),
 *   snapshot-installed (a full resync finished), quota-full, recruited (discovery found a host),
 *   leave, unshare.
 *
 * Outputs, in the order they must happen: { type: 'send', to, message } and { type: 'effect' }:
 *   persist-state (store it before sending what follows), log (the group's event log; join steps
 *   are join-1 … join-5), start-mirroring / stop-mirroring (host, resource), full-resync-needed
 *   (host, resource, at), apply-update (apply in order, then feed `applied`), ack-to-user (seq),
 *   become-acting-primary / stepped-down (epoch; re-propose the unacked seqs' changes to the new
 *   primary), recruit-backup-needed (resource, exclude), refused-stale, resource-config,
 *   propose-refused, drop-copy, group-left, group-dissolved.
 *
 * Outputs are never changed after they are returned, so the adapter may queue them. The data
 * path's part of the contract: apply updates in the order given and say when each is durable
 * (`applied`); a newer full-resync-needed for the same host and resource supersedes an older one;
 * a failed transfer ends in connection-closed (the core then orders it again when the host is
 * back).
 *
 * snapshot() gives what `gridnode group ID` and `status --json` show: role, members, subgroups,
 * hosts, backup order, epoch, and each copy's state (in-sync / behind by N updates and bytes /
 * failed / no-host).
 *
 * Quorums: electing an acting primary, acknowledging an update (stored here, on every in-sync
 * backup, and on at least half of the other hosts) and recruiting all need a majority of the
 * hosts. So any single host failure loses no acknowledged update and leaves a primary, but a
 * group with K = 1 cannot fail over on its own (the backup host alone is not a majority of two),
 * and a group that lost most of its hosts at once waits for one to come back.
 */
export * from './constants.ts'
export type { GroupEffect, GroupInput, LogStep, Output, PeerId, RejectReason, ResourceAccess, ResourceId } from './core.ts'
export { createGroupMember } from './member.ts'
export type { GroupMember, GroupMemberInit, GroupSnapshot } from './member.ts'
export { groupMessageSchema, groupStateSchema, parseGroupMessage, parsePersistedGroup, persistedGroupSchema, updateSchema } from './messages.ts'
export type { CopyReport, GroupMessage, GroupState, Json, PersistedGroup, Position, Resource, Update } from './messages.ts'
export { createGroupState } from './state.ts'
export type { NewGroup } from './state.ts'
