/** How the API shows a group (shared/api/group-schemas.ts), from its core's snapshot and this node's record. */
import type { GroupCopy, GroupDetail, GroupSummary } from '../../../shared/api/group-schemas.ts'
import type { GroupSnapshot } from '../../groups/index.ts'
import type { FolderRecord } from './folder-records.ts'

export interface GroupFacts {
  snapshot: GroupSnapshot
  record: FolderRecord
  /** The last update sequenced, as far as this node has seen. */
  head: number
  /** Files touched by updates from `seq` on (for "files to go"). */
  filesFrom(seq: number): number
  /** Why a copy failed, by resource. */
  reasons: ReadonlyMap<string, string>
  /** The folder's files and bytes (owner), or as of the last manifest this copy holds. */
  stats: { files: number; bytes: number }
  /** The owner has not proposed its first scan yet: every copy is still to be filled. */
  firstScanPending: boolean
}

function copyOf(facts: GroupFacts, resource: string): GroupCopy {
  const { snapshot } = facts
  const host = snapshot.resources.find((r) => r.id === resource)?.host ?? null
  const report = snapshot.copies.find((c) => c.resource === resource)
  if (host === snapshot.self && snapshot.acting) return { host, state: 'in-sync', behindUpdates: 0, behindBytes: 0, behindFiles: 0, reason: null }
  if (report === undefined || report.state === 'no-host' || host === null) {
    return { host, state: 'failed', behindUpdates: 0, behindBytes: 0, behindFiles: 0, reason: host === null ? 'no host yet: looking for a member with enough disk' : 'no report from the acting primary yet' }
  }
  const behindFiles = report.behindUpdates === 0 ? 0 : facts.filesFrom(facts.head - report.behindUpdates + 1)
  const filling = (report.state === 'behind' && report.behindUpdates >= facts.head && facts.head > 0) || (facts.firstScanPending && report.state === 'in-sync')
  const state = report.state === 'failed' ? 'failed' : filling ? 'filling' : report.state
  const reason = report.state === 'failed' ? (facts.reasons.get(resource) ?? 'its host has been unreachable past the grace period') : null
  return { host, state, behindUpdates: report.behindUpdates, behindBytes: report.behindBytes, behindFiles, reason }
}

export function toSummary(facts: GroupFacts): GroupSummary {
  const { snapshot, record } = facts
  const backups = snapshot.backupOrder.map((resource) => copyOf(facts, resource))
  const primaryHost = snapshot.resources.find((r) => r.kind === 'primary')?.host ?? null
  return {
    id: snapshot.id,
    name: record.name,
    role: snapshot.role === 'primary' || snapshot.role === 'backup' ? snapshot.role : 'reader',
    copies: Math.max(1, snapshot.wanted),
    inSync: backups.filter((b) => b.state === 'in-sync').length,
    backups,
    epoch: snapshot.epoch,
    seq: Math.max(facts.head, snapshot.applied.seq),
    primary: snapshot.primary,
    acting: snapshot.primary !== null && snapshot.primary !== primaryHost,
    path: record.path,
    files: facts.stats.files,
    bytes: facts.stats.bytes,
  }
}

export function toDetail(facts: GroupFacts): GroupDetail {
  const { snapshot, record } = facts
  return {
    ...toSummary(facts),
    members: snapshot.members.map((m) => ({ peerId: m.peer, subgroups: m.subgroups, hosts: m.hosts, online: !m.suspected })),
    resources: snapshot.resources.map((r) => ({ id: r.id, kind: r.kind, host: r.host, order: r.kind === 'primary' ? 0 : snapshot.backupOrder.indexOf(r.id) + 1 })),
    readers: Object.keys(record.readers),
  }
}
