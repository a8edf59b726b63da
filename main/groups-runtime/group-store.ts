/**
 * What the group runtime keeps in LevelDB: each group core's persisted record (written before any
 * message that depends on it leaves), the group's event log (bounded, oldest pruned), and the ids
 * of groups dissolved here (so a member that was away is told when it comes back).
 */
import type { GroupLogEntry } from '../../shared/api/group-schemas.ts'
import { GroupLogEntrySchema } from '../../shared/api/group-schemas.ts'
import { parsePersistedGroup, type PersistedGroup } from '../groups/index.ts'
import type { Logger } from '../log/logger.ts'
import type { Store, StoreOp } from '../store/store.ts'
import { GROUP_LOG_LIMIT } from './constants.ts'

export interface GroupStore {
  /** Every persisted group record; damaged ones are logged and left out. */
  load(): Promise<Map<string, PersistedGroup>>
  tombstones(): Promise<Set<string>>
  /** The ops that persist a record, for one commit with others. */
  persistOps(group: string, record: PersistedGroup): StoreOp[]
  /** The ops that append log entries (and prune the oldest beyond the limit). */
  logOps(group: string, entries: GroupLogEntry[]): Promise<StoreOp[]>
  /** The newest `limit` entries, oldest first. */
  readLog(group: string, limit: number): Promise<GroupLogEntry[]>
  /** Deletes a group's record and log; `tombstone` remembers it was dissolved. */
  remove(group: string, tombstone: boolean): Promise<void>
  commit(ops: StoreOp[]): Promise<void>
}

const SEQ_DIGITS = 12
const logKey = (group: string, seq: number): string => `${group}!${String(seq).padStart(SEQ_DIGITS, '0')}`
const range = (group: string) => ({ gt: `${group}!`, lt: `${group}!~` })

export function createGroupStore(store: Store, logger: Logger): GroupStore {
  const records = store.sublevel('groups')
  const log = store.sublevel('group-log')
  /** Per group: the next log sequence number and the oldest kept, learnt from the store on first use. */
  const bounds = new Map<string, { next: number; first: number }>()

  const boundsOf = async (group: string): Promise<{ next: number; first: number }> => {
    const known = bounds.get(group)
    if (known !== undefined) return known
    const keys = await log.keys(range(group)).all()
    const seqOf = (key: string): number => Number(key.slice(key.lastIndexOf('!') + 1))
    const found = { next: keys.length === 0 ? 0 : seqOf(keys.at(-1)!) + 1, first: keys.length === 0 ? 0 : seqOf(keys[0]!) }
    bounds.set(group, found)
    return found
  }

  return {
    async load() {
      const out = new Map<string, PersistedGroup>()
      for await (const [id, value] of records.iterator()) {
        const parsed = parsePersistedGroup(value)
        if (parsed.ok) out.set(id, parsed.value)
        else logger.warn({ group: id, err: parsed.error }, 'a persisted group record is damaged; the group is left out')
      }
      return out
    },
    async tombstones() {
      return new Set(await store.sublevel('group-tombstones').keys().all())
    },
    persistOps: (group, record) => [{ type: 'put', sublevel: 'groups', key: group, value: record }],
    async logOps(group, entries) {
      const b = await boundsOf(group)
      const ops: StoreOp[] = entries.map((entry) => ({ type: 'put', sublevel: 'group-log', key: logKey(group, b.next++), value: entry }))
      while (b.next - b.first > GROUP_LOG_LIMIT) ops.push({ type: 'del', sublevel: 'group-log', key: logKey(group, b.first++) })
      return ops
    },
    async readLog(group, limit) {
      const values = await log.values({ ...range(group), reverse: true, limit }).all()
      return values.reverse().flatMap((value) => {
        const parsed = GroupLogEntrySchema.safeParse(value)
        return parsed.success ? [parsed.data] : []
      })
    },
    async remove(group, tombstone) {
      const keys = await log.keys(range(group)).all()
      bounds.delete(group)
      await store.commit([
        { type: 'del', sublevel: 'groups', key: group },
        ...keys.map((key): StoreOp => ({ type: 'del', sublevel: 'group-log', key })),
        ...(tombstone ? [{ type: 'put', sublevel: 'group-tombstones', key: group, value: { at: new Date().toISOString() } } as StoreOp] : []),
      ])
    },
    commit: (ops) => store.commit(ops),
  }
}
