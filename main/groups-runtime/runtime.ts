/**
 * Runs this node's primary-backup group cores (main/groups/) for real: one core per group, fed
 * with the group messages peers send (parsed, see peer-links.ts), one timer per core at its next
 * deadline, and the transport's connection-closed events. Each core's outputs are carried out in
 * the order it gave them: a persist-state is committed to LevelDB before any message after it
 * leaves, log lines are stored with it (bounded per group), and every other effect goes to the
 * application (the mirror service) at once, in order.
 */
import type { GroupLogEntry } from '../../shared/api/group-schemas.ts'
import {
  createGroupMember,
  type GroupEffect,
  type GroupInput,
  type GroupMember,
  type GroupMemberInit,
  type GroupMessage,
  type GroupSnapshot,
  type LogStep,
  type Output,
  type PersistedGroup,
  type ResourceAccess,
  type ResourceId,
} from '../groups/index.ts'
import type { GroupTiming } from '../groups/constants.ts'
import type { Logger } from '../log/logger.ts'
import type { GridHost } from '../p2p/host.ts'
import type { Store, StoreOp } from '../store/store.ts'
import type { VoMembership } from '../vo/membership.ts'
import { GROUP_PROTOCOL } from './constants.ts'
import { createGroupStore } from './group-store.ts'
import { createPeerLinks } from './peer-links.ts'

type InviteMessage = Extract<GroupMessage, { type: 'invite' }>
/** How a core is made, less what the runtime fills in (self, time, timers). */
export type CoreInit = GroupMemberInit extends infer I ? (I extends GroupMemberInit ? Omit<I, 'self' | 'now' | 'timing'> : never) : never
/** An input without its time: the runtime stamps it. */
export type RuntimeInput = GroupInput extends infer I ? (I extends GroupInput ? Omit<I, 'now'> : never) : never

export interface GroupApplication {
  /** An effect other than persist-state and log, in the order the core gave it. */
  onEffect(group: string, effect: Exclude<GroupEffect, { type: 'persist-state' | 'log' }>): void
  /** A line the core logged (already stored in the group's log). */
  onLog(group: string, line: Extract<GroupEffect, { type: 'log' }>): void
  /** An invite for a group this node has no core for: accept it with `join`, or ignore it. */
  onInvite(from: string, invite: InviteMessage): void
  /** The group's snapshot may have changed (status pushes follow). */
  onChange(group: string): void
}

export interface GroupRuntimeComponents {
  host: GridHost
  vo: VoMembership
  store: Store
  logger: Logger
}

export interface JoinOptions {
  access: ResourceAccess
  contact?: string
  invitedFor?: ResourceId
}

export interface GroupRuntime {
  /** Serves the group protocol; returns the persisted records to bring back (the application knows each one's access). */
  start(app: GroupApplication): Promise<Map<string, PersistedGroup>>
  stop(): void
  /** Creates (or brings back) a group's core and feeds it `join`. */
  join(init: CoreInit, options: JoinOptions): void
  input(group: string, input: RuntimeInput): void
  has(group: string): boolean
  ids(): string[]
  snapshot(group: string): GroupSnapshot | undefined
  /** Sends a message of the application's own making (a reader's invite). */
  send(to: string, message: GroupMessage): void
  /** A line in the group's event log from the application (scan problems, restores). */
  log(group: string, entry: Omit<GroupLogEntry, 'at'>): void
  readLog(group: string, limit: number): Promise<GroupLogEntry[]>
  /** Forgets a group here: its core, record and log; `dissolved` keeps a tombstone to answer stragglers. */
  remove(group: string, dissolved: boolean): Promise<void>
}

const WARN_STEPS: ReadonlySet<LogStep> = new Set(['rejected', 'quota', 'failover'])

interface Entry {
  member: GroupMember
  queue: Output[]
  pumping: boolean
  timer: NodeJS.Timeout | undefined
  pendingLog: GroupLogEntry[]
}

export function createGroupRuntime(components: GroupRuntimeComponents, timing: Partial<GroupTiming> = {}): GroupRuntime {
  const { host, vo, logger } = components
  const self = host.peerId.toString()
  const groupStore = createGroupStore(components.store, logger)
  const entries = new Map<string, Entry>()
  let tombstones = new Set<string>()
  /** When each straggler was last told its group is dissolved: once a heartbeat interval is plenty. */
  const toldDissolved = new Map<string, number>()
  let app: GroupApplication | undefined
  let running = false

  const links = createPeerLinks({ host, logger, onMessage: (from, message) => onMessage(from, message) })

  const onMessage = (from: string, message: GroupMessage): void => {
    const entry = entries.get(message.group)
    if (entry !== undefined) return handle(message.group, entry, { type: 'message', from, message })
    if (message.type === 'invite') return app?.onInvite(from, message)
    if (tombstones.has(message.group) && message.type !== 'dissolve') {
      const key = `${message.group}/${from}`
      if (performance.now() - (toldDissolved.get(key) ?? -Infinity) < 1000) return
      toldDissolved.set(key, performance.now())
      links.send(from, { type: 'dissolve', group: message.group, epoch: message.epoch })
    }
  }

  const onDisconnect = (event: CustomEvent<{ toString(): string }>): void => {
    const peer = event.detail.toString()
    links.forget(peer)
    for (const [group, entry] of entries) handle(group, entry, { type: 'connection-closed', peer })
  }

  const rearm = (group: string, entry: Entry): void => {
    clearTimeout(entry.timer)
    entry.timer = undefined
    const at = entry.member.nextDeadline()
    if (!running || !Number.isFinite(at)) return
    entry.timer = setTimeout(() => handle(group, entry, { type: 'tick' }), Math.max(0, at - Date.now()))
    entry.timer.unref()
  }

  const flushLog = async (group: string, entry: Entry, record?: PersistedGroup): Promise<void> => {
    // A group removed meanwhile (left, dissolved) must not come back through a late write.
    if (entries.get(group) !== entry) return
    const lines = entry.pendingLog.splice(0)
    const ops: StoreOp[] = [...(record === undefined ? [] : groupStore.persistOps(group, record)), ...(lines.length === 0 ? [] : await groupStore.logOps(group, lines))]
    if (ops.length > 0) await groupStore.commit(ops)
  }

  /** Carries out queued outputs in order; only a persist waits (for its commit), so messages after it leave after it is stored. */
  const pump = async (group: string, entry: Entry): Promise<void> => {
    if (entry.pumping) return
    entry.pumping = true
    try {
      while (entry.queue.length > 0) {
        const output = entry.queue.shift()!
        if (output.type === 'send') {
          links.send(output.to, output.message)
          continue
        }
        const effect = output.effect
        if (effect.type === 'log') {
          const level = WARN_STEPS.has(effect.step) ? 'warn' : 'info'
          entry.pendingLog.push({ at: new Date().toISOString(), level, kind: effect.step, text: effect.text })
          app?.onLog(group, effect)
        } else if (effect.type === 'persist-state') {
          // A later persist already queued before the next send supersedes this one.
          const next = entry.queue.find((o) => o.type === 'send' || (o.type === 'effect' && o.effect.type === 'persist-state'))
          if (next?.type === 'effect') continue
          await flushLog(group, entry, effect.state).catch((err: unknown) => logger.error({ err, group }, 'group record not persisted'))
        } else {
          app?.onEffect(group, effect)
        }
      }
      await flushLog(group, entry).catch((err: unknown) => logger.warn({ err, group }, 'group log not stored'))
    } finally {
      entry.pumping = false
    }
  }

  function handle(group: string, entry: Entry, input: RuntimeInput): void {
    if (!running || entries.get(group) !== entry) return
    entry.queue.push(...entry.member.handle({ ...input, now: Date.now() } as GroupInput))
    void pump(group, entry)
    rearm(group, entry)
    app?.onChange(group)
  }

  return {
    async start(application) {
      app = application
      running = true
      tombstones = await groupStore.tombstones()
      await links.start()
      vo.membersOnly(GROUP_PROTOCOL)
      host.addEventListener('peer:disconnect', onDisconnect as EventListener)
      return groupStore.load()
    },
    stop() {
      running = false
      host.removeEventListener('peer:disconnect', onDisconnect as EventListener)
      for (const entry of entries.values()) clearTimeout(entry.timer)
      links.stop()
    },
    join(init, options) {
      const member = createGroupMember({ ...init, self, now: Date.now(), timing } as GroupMemberInit)
      const group = member.snapshot().id
      const entry: Entry = { member, queue: [], pumping: false, timer: undefined, pendingLog: [] }
      const previous = entries.get(group)
      if (previous !== undefined) clearTimeout(previous.timer)
      entries.set(group, entry)
      tombstones.delete(group)
      handle(group, entry, { type: 'join', ...options })
    },
    input(group, input) {
      const entry = entries.get(group)
      if (entry !== undefined) handle(group, entry, input)
    },
    has: (group) => entries.has(group),
    ids: () => [...entries.keys()],
    snapshot: (group) => entries.get(group)?.member.snapshot(),
    send: (to, message) => links.send(to, message),
    log(group, line) {
      const entry = entries.get(group)
      if (entry === undefined) return
      entry.pendingLog.push({ at: new Date().toISOString(), ...line })
      if (!entry.pumping) void flushLog(group, entry).catch((err: unknown) => logger.warn({ err, group }, 'group log not stored'))
    },
    readLog: (group, limit) => groupStore.readLog(group, limit),
    async remove(group, dissolved) {
      const entry = entries.get(group)
      if (entry !== undefined) clearTimeout(entry.timer)
      entries.delete(group)
      if (dissolved) tombstones.add(group)
      await groupStore.remove(group, dissolved)
    },
  }
}
