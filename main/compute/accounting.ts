/**
 * The seed's logging and auditing of resource usage: an audit log, kept in the store, of the CPU
 * this node spent running jobs for each member and of the bytes its contributed store holds for
 * each (the mirror records those through recordStored), with running totals per member.
 */
import { AuditEntrySchema, MemberUsageSchema, type Accounting as AccountingView, type AuditEntry, type MemberUsage } from '../../shared/api/compute-schemas.ts'
import type { Logger } from '../log/logger.ts'
import type { Store } from '../store/store.ts'
import { AUDIT_TAIL } from './constants.ts'

export interface CpuRecord {
  member: string
  job: string
  run: string
  cpuMs: number
  outcome: 'done' | 'failed' | 'stopped'
}

export interface Accounting {
  /** Loads the totals. */
  start(): Promise<void>
  recordCpu(record: CpuRecord): Promise<void>
  /** The contributed store now holds `bytes` more (or fewer, when negative) for `member`. */
  recordStored(member: string, bytes: number, what: string): Promise<void>
  usage(): Promise<AccountingView>
}

const MEMBER = 'member/'
const LOG = 'log/'
/** Log keys sort by time: the time zero-padded, then a sequence number for entries of the same millisecond. */
const logKey = (at: number, seq: number): string => `${LOG}${String(at).padStart(15, '0')}/${String(seq).padStart(6, '0')}`

export function createAccounting({ store, logger }: { store: Store; logger: Logger }): Accounting {
  const totals = new Map<string, MemberUsage>()
  const sublevel = store.sublevel('accounting')
  let seq = 0
  // Entries are written one after another, so totals read and written never interleave.
  let writes: Promise<void> = Promise.resolve()

  const record = (entry: AuditEntry): Promise<void> => {
    const run = writes.then(async () => {
      const previous = totals.get(entry.member) ?? { member: entry.member, cpuSeconds: 0, runs: 0, storedBytes: 0, lastAt: entry.at }
      const next: MemberUsage =
        entry.kind === 'cpu'
          ? { ...previous, cpuSeconds: previous.cpuSeconds + entry.cpuMs / 1000, runs: previous.runs + 1, lastAt: entry.at }
          : { ...previous, storedBytes: Math.max(0, previous.storedBytes + entry.bytes), lastAt: entry.at }
      await store.commit([
        { type: 'put', sublevel: 'accounting', key: logKey(entry.at, seq++ % 1e6), value: entry },
        { type: 'put', sublevel: 'accounting', key: `${MEMBER}${entry.member}`, value: next },
      ])
      totals.set(entry.member, next)
    })
    writes = run.catch((err: unknown) => logger.warn({ err }, 'audit entry not recorded'))
    return run
  }

  return {
    async start() {
      for await (const value of sublevel.values({ gte: MEMBER, lt: `${MEMBER}\xff` })) {
        const parsed = MemberUsageSchema.safeParse(value)
        if (parsed.success) totals.set(parsed.data.member, parsed.data)
        else logger.warn({ value }, 'unreadable accounting total skipped')
      }
    },
    recordCpu: (cpu) => record({ kind: 'cpu', at: Date.now(), ...cpu }),
    recordStored: (member, bytes, what) => record({ kind: 'stored', at: Date.now(), member, bytes, what }),
    async usage() {
      await writes
      const log: AuditEntry[] = []
      for await (const value of sublevel.values({ gte: LOG, lt: `${LOG}\xff`, reverse: true, limit: AUDIT_TAIL })) {
        const parsed = AuditEntrySchema.safeParse(value)
        if (parsed.success) log.push(parsed.data)
      }
      return { members: [...totals.values()].sort((a, b) => b.cpuSeconds - a.cpuSeconds), log }
    },
  }
}
