/**
 * The audit log's "bytes stored for each member" (issue 5, the seed's accounting of resource use):
 * the contributed store keeps one namespace per group, so what this node holds for a member is
 * the size of its groups' namespaces. Each reading is compared with the last one recorded and the
 * difference goes to the audit log, so the totals follow copies as they fill, shrink and are dropped.
 */
import type { Accounting } from '../compute/accounting.ts'

export interface StoredCopy {
  group: string
  name: string
  /** The member whose folder this is. */
  owner: string
  bytes: number
}

export interface StoredBytesAudit {
  /**
   * What the store holds at start: recorded before this run, so it is only remembered. (A change
   * in the last moment before a crash is not in the log: its totals drift by that much.)
   */
  prime(copies: StoredCopy[]): void
  /** Records what changed since the last call; copies missing now were dropped. */
  update(copies: StoredCopy[]): Promise<void>
}

export function createStoredBytesAudit(audit: Pick<Accounting, 'recordStored'>): StoredBytesAudit {
  const recorded = new Map<string, StoredCopy>()
  return {
    prime(copies) {
      for (const copy of copies) recorded.set(copy.group, copy)
    },
    async update(copies) {
      const now = new Map(copies.map((copy) => [copy.group, copy]))
      for (const copy of copies) {
        const delta = copy.bytes - (recorded.get(copy.group)?.bytes ?? 0)
        if (delta !== 0) await audit.recordStored(copy.owner, delta, `backup copy of "${copy.name}"`)
        recorded.set(copy.group, copy)
      }
      for (const [group, gone] of recorded) {
        if (now.has(group)) continue
        if (gone.bytes !== 0) await audit.recordStored(gone.owner, -gone.bytes, `backup copy of "${gone.name}" dropped`)
        recorded.delete(group)
      }
    },
  }
}
