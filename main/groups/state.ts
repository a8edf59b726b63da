/**
 * The replicated group state and the pure questions asked of it. Copies converge by merging: a
 * member's record by its incarnation (only the member writes it), a resource's host by its
 * version (a recruit replaces a lost host with a higher one), the acting primary by its epoch.
 * Merging is commutative and idempotent, so announcements, state copies and anti-entropy can
 * arrive in any order, twice, or late.
 */
import { DEFAULT_COPIES } from './constants.ts'
import type { PeerId, ResourceId } from './core.ts'
import type { Clock, GroupState, HostEntry, MemberRecord, Position } from './messages.ts'

export interface NewGroup {
  id: string
  name: string
  /** Backup copies wanted (K). */
  copies?: number
}

/** A new group's state, for its first member: one primary resource, K backup resources in backup order, no members yet. */
export function createGroupState(init: NewGroup): GroupState {
  const backups = Array.from({ length: init.copies ?? DEFAULT_COPIES }, (_, i) => `backup-${i + 1}`)
  return {
    id: init.id,
    name: init.name,
    resources: [{ id: 'primary', kind: 'primary' }, ...backups.map((id) => ({ id, kind: 'backup' as const }))],
    backupOrder: backups,
    members: {},
    hosts: {},
    primary: null,
  }
}

export const primaryResource = (s: GroupState): ResourceId => s.resources[0]!.id
export const hostOf = (s: GroupState, resource: ResourceId): PeerId | null => s.hosts[resource]?.peer ?? null
export const hostedBy = (s: GroupState, peer: PeerId): ResourceId[] => s.resources.filter((r) => hostOf(s, r.id) === peer).map((r) => r.id)
export const isMember = (s: GroupState, peer: PeerId): boolean => s.members[peer]?.left === false
/** Live members, sorted by peer id: every copy lists them alike, whatever order it learnt them in. */
export const liveMembers = (s: GroupState): PeerId[] => Object.keys(s.members).filter((p) => isMember(s, p)).sort()
export const subgroupOf = (s: GroupState, resource: ResourceId): PeerId[] => liveMembers(s).filter((p) => s.members[p]!.subgroups.includes(resource))

/** Hosts in takeover order: the primary host, then the backup hosts in backup order (each once). They are also the voters. */
export function hostsInOrder(s: GroupState): PeerId[] {
  const order = [primaryResource(s), ...s.backupOrder].map((r) => hostOf(s, r)).filter((p): p is PeerId => p !== null && isMember(s, p))
  return [...new Set(order)]
}

export const comparePositions = (a: Position, b: Position): number => a.epoch - b.epoch || a.seq - b.seq

/** The same group: id and resources agree (the parts no member ever changes). */
export function sameGroup(a: GroupState, b: GroupState): boolean {
  return a.id === b.id && JSON.stringify([a.resources, a.backupOrder]) === JSON.stringify([b.resources, b.backupOrder])
}

export type StateChange =
  | { kind: 'member'; peer: PeerId; before: MemberRecord | undefined; after: MemberRecord }
  | { kind: 'host'; resource: ResourceId; before: PeerId | null; after: PeerId | null }
  | { kind: 'primary'; before: GroupState['primary']; after: NonNullable<GroupState['primary']> }

/** A host entry replaces another if newer; at one version a host beats no host, then the smaller peer id wins (any order, the same result). */
function hostWins(a: HostEntry, b: HostEntry | undefined): boolean {
  if (b === undefined || a.version !== b.version) return b === undefined || a.version > b.version
  if ((a.peer === null) !== (b.peer === null)) return a.peer !== null
  return a.peer !== null && b.peer !== null && a.peer < b.peer
}

/** Merges one member's record and host entries into `s` (in place); returns what changed. */
export function mergeParts(s: GroupState, members: Record<PeerId, MemberRecord>, hosts: Record<ResourceId, HostEntry>): StateChange[] {
  const changes: StateChange[] = []
  for (const [peer, record] of Object.entries(members)) {
    const before = s.members[peer]
    if (before !== undefined && before.incarnation >= record.incarnation) continue
    s.members[peer] = record
    changes.push({ kind: 'member', peer, before, after: record })
  }
  for (const [resource, entry] of Object.entries(hosts)) {
    const before = s.hosts[resource]
    if (!hostWins(entry, before)) continue
    s.hosts[resource] = entry
    if ((before?.peer ?? null) !== entry.peer) changes.push({ kind: 'host', resource, before: before?.peer ?? null, after: entry.peer })
  }
  return changes
}

/** Merges another copy of the same group into `s` (in place); returns what changed. */
export function mergeState(s: GroupState, theirs: GroupState): StateChange[] {
  const changes = mergeParts(s, theirs.members, theirs.hosts)
  if (theirs.primary !== null && theirs.primary.epoch > (s.primary?.epoch ?? 0)) {
    changes.push({ kind: 'primary', before: s.primary, after: theirs.primary })
    s.primary = theirs.primary
  }
  return changes
}

export function clockOf(s: GroupState): Clock {
  return {
    members: Object.fromEntries(Object.entries(s.members).map(([p, m]) => [p, m.incarnation])),
    hosts: { ...s.hosts },
  }
}

/** Compares a peer's clock with our state: does it know something we do not, and does it lack our own record? */
export function compareClock(s: GroupState, clock: Clock, self: PeerId): { theirsNewer: boolean; lacksMine: boolean } {
  const theirsNewer =
    Object.entries(clock.members).some(([p, inc]) => inc > (s.members[p]?.incarnation ?? -1)) ||
    Object.entries(clock.hosts).some(([r, h]) => hostWins(h, s.hosts[r]))
  const mine = s.members[self]
  return { theirsNewer, lacksMine: mine !== undefined && (clock.members[self] ?? -1) < mine.incarnation }
}
