/**
 * An in-memory, seeded network of group members for in-process tests: messages are serialised and
 * parsed with the wire schema like the libp2p adapter would, and may be dropped, duplicated,
 * delayed and so reordered. A tiny adapter per node stands in for the integrator: it applies
 * updates to an in-memory copy (failing the run if they ever come out of order), acts as the data
 * path for full resyncs, stores persisted records for restarts, answers invites, and recruits
 * spare nodes when asked.
 */
import { createGroupMember, createGroupState, parseGroupMessage, type GroupEffect, type GroupInput, type GroupMember, type GroupState, type Json, type Output, type PersistedGroup, type ResourceId, type Update } from '../../main/groups/index.ts'
import type { GroupTiming } from '../../main/groups/constants.ts'
import { EventQueue, type Unsequenced } from '../../main/overlay/event-queue.ts'
import { seededRandom } from '../../main/util/random.ts'

export interface NetOptions {
  seed?: number
  /** Probability that a message is lost. */
  loss?: number
  /** Probability that a message is delivered twice. */
  duplicate?: number
  /** Delivery delay range (ms): messages overtake each other when it is wide. */
  delay?: [number, number]
  timing?: Partial<GroupTiming>
  logRetention?: number
}

/** What a node owns and can access, by resource id (its adapter's answers to step 2). */
export interface Access {
  owns?: ResourceId
  access?: readonly ResourceId[]
}

export interface SimNode {
  peer: string
  member: GroupMember | null
  alive: boolean
  access: Access
  /** The node's copy: copy[i] is update i + 1, as applied. */
  copy: Update[]
  persisted: PersistedGroup | null
  effects: GroupEffect[]
  acked: { epoch: number; seq: number; payload: Json; at: number }[]
  mirroring: Set<string>
  /** Messages it sent, by type and receiver (whether or not the network delivered them). */
  sent: { to: string; type: string }[]
  /** How long its store takes to apply an update (ms). */
  applyDelay: number
  /** The last update its store reported durable: a crash loses what follows. */
  durable: number
}

/** An input is for the member that caused it: one restarted since never sees it. */
type Event = { t: number; seq: number } & ({ kind: 'deliver'; from: string; to: string; raw: string } | { kind: 'input'; to: string; member: GroupMember | null; input: (now: number) => GroupInput | null })

export function createNetwork(options: NetOptions = {}) {
  const random = seededRandom(options.seed ?? 1)
  const [minDelay, maxDelay] = options.delay ?? [1, 5]
  const queue = new EventQueue<Event>()
  const nodes = new Map<string, SimNode>()
  const blocked = new Set<string>()
  /** The latest full resync ordered for each host/resource. */
  const resyncs = new Map<string, number>()
  /** Problems the adapter saw (updates out of order, resyncs from an incomplete copy): a correct core leaves this empty. */
  const violations: string[] = []
  /** Every become-acting-primary, by epoch: two peers in one epoch would be split brain. */
  const primaries = new Map<number, Set<string>>()
  let now = 0
  let loss = options.loss ?? 0
  let duplicate = options.duplicate ?? 0
  /** Spare nodes the recruit policy may hand out, in order. */
  const spares: string[] = []

  const node = (peer: string): SimNode => {
    const n = nodes.get(peer)
    if (n === undefined) throw new Error(`no node ${peer}`)
    return n
  }
  const schedule = (e: Unsequenced<Event>): void => queue.push(e)
  const later = (): number => now + minDelay + random() * (maxDelay - minDelay)

  function resourceAccess(n: SimNode) {
    return {
      canAccess: (r: { id: string }) => n.access.access?.includes(r.id) ?? false,
      owns: (r: { id: string }) => (r.id === n.access.owns ? { host: n.peer, resource: r.id } : null),
    }
  }

  function addNode(peer: string, access: Access): SimNode {
    const n: SimNode = { peer, member: null, alive: true, access, copy: [], persisted: null, effects: [], acked: [], mirroring: new Set(), sent: [], applyDelay: 0, durable: 0 }
    nodes.set(peer, n)
    return n
  }

  function input(peer: string, make: (now: number) => GroupInput): void {
    const n = node(peer)
    if (!n.alive || n.member === null) return
    process(n, n.member.handle(make(now)))
  }

  function send(from: SimNode, o: Extract<Output, { type: 'send' }>): void {
    from.sent.push({ to: o.to, type: o.message.type })
    if (blocked.has(`${from.peer}>${o.to}`) || random() < loss) return
    const raw = JSON.stringify(o.message)
    const copies = random() < duplicate ? 2 : 1
    for (let i = 0; i < copies; i++) schedule({ t: later(), kind: 'deliver', from: from.peer, to: o.to, raw })
  }

  function onEffect(n: SimNode, e: GroupEffect): void {
    n.effects.push(e)
    switch (e.type) {
      case 'persist-state':
        n.persisted = JSON.parse(JSON.stringify(e.state)) as PersistedGroup
        return
      case 'apply-update':
        if (e.update.seq !== n.copy.length + 1) violations.push(`${n.peer} applied ${e.update.seq} after ${n.copy.length}`)
        n.copy[e.update.seq - 1] = e.update
        n.copy.length = e.update.seq
        return schedule({
          t: now + n.applyDelay,
          kind: 'input',
          to: n.peer,
          member: n.member,
          input: (t) => {
            n.durable = Math.max(n.durable, e.update.seq)
            return { type: 'applied', now: t, seq: e.update.seq }
          },
        })
      case 'full-resync-needed': {
        const target = nodes.get(e.host)
        if (n.copy.length < e.at.seq) violations.push(`${n.peer} resyncs ${e.host} as of ${e.at.seq} but holds ${n.copy.length}`)
        const snapshot = n.copy.slice(0, e.at.seq)
        if (target === undefined) return
        // A newer order for the same copy supersedes this one, as the data path must ensure.
        const key = `${e.host}/${e.resource}`
        const order = (resyncs.get(key) ?? 0) + 1
        resyncs.set(key, order)
        return schedule({
          t: later(),
          kind: 'input',
          to: e.host,
          member: target.member,
          input: (t) => {
            if (resyncs.get(key) !== order) return null
            target.copy = snapshot.slice()
            target.durable = e.at.seq
            return { type: 'snapshot-installed', now: t, at: e.at }
          },
        })
      }
      case 'recruit-backup-needed': {
        const spare = spares.find((p) => !e.exclude.includes(p) && nodes.get(p)?.alive && nodes.get(p)?.member === null)
        if (spare === undefined) return
        spares.splice(spares.indexOf(spare), 1)
        node(spare).access = { owns: e.resource }
        return schedule({ t: now, kind: 'input', to: n.peer, member: n.member, input: (t) => ({ type: 'recruited', now: t, resource: e.resource, host: spare }) })
      }
      case 'ack-to-user':
        n.acked.push({ epoch: e.epoch, seq: e.seq, payload: n.copy[e.seq - 1]?.payload ?? null, at: now })
        return
      case 'become-acting-primary': {
        const set = primaries.get(e.epoch) ?? new Set()
        set.add(n.peer)
        primaries.set(e.epoch, set)
        return
      }
      case 'start-mirroring':
        n.mirroring.add(`${e.host}/${e.resource}`)
        return
      case 'stop-mirroring':
        n.mirroring.delete(`${e.host}/${e.resource}`)
        return
      case 'drop-copy':
        n.copy = []
        n.durable = 0
        return
      default:
        return
    }
  }

  function process(n: SimNode, outputs: Output[]): void {
    for (const o of outputs) {
      if (o.type === 'send') send(n, o)
      else onEffect(n, o.effect)
    }
  }

  /** The adapter's part of an invite: a node with no member for the group joins it, owning the resource. */
  function onInvite(to: SimNode, from: string, message: Extract<ReturnType<typeof parseGroupMessage>, { ok: true }>['value']): void {
    if (message.type !== 'invite' || to.member !== null) return
    to.access = { owns: message.resource }
    to.member = createGroupMember({ self: to.peer, now, group: message.group, timing: options.timing, logRetention: options.logRetention })
    process(to, to.member.handle({ type: 'join', now, access: resourceAccess(to), contact: from, invitedFor: message.resource }))
  }

  function step(e: Event): void {
    const to = nodes.get(e.to)
    if (to === undefined || !to.alive) return
    if (e.kind === 'input') {
      const input = to.member !== null && to.member === e.member ? e.input(now) : null
      if (input !== null) process(to, to.member!.handle(input))
      return
    }
    if (!nodes.get(e.from)?.alive || blocked.has(`${e.from}>${e.to}`)) return
    const parsed = parseGroupMessage(JSON.parse(e.raw))
    if (!parsed.ok) {
      violations.push(`${e.from} sent an invalid message: ${parsed.error}`)
      return
    }
    if (to.member === null) return onInvite(to, e.from, parsed.value)
    process(to, to.member.handle({ type: 'message', now, from: e.from, message: parsed.value }))
  }

  let pending: Event | undefined

  return {
    nodes,
    violations,
    primaries,
    spares,
    node,
    get now() {
      return now
    },
    setLoss(l: number, d = duplicate) {
      loss = l
      duplicate = d
    },
    /** A node that creates the group (first member) from a new group state. */
    create(peer: string, state: GroupState, access: Access): SimNode {
      const n = addNode(peer, access)
      n.member = createGroupMember({ self: peer, now, state, timing: options.timing, logRetention: options.logRetention })
      return n
    },
    /** A node with no member yet: joins with `join`, or waits as a spare for an invite. */
    add(peer: string, access: Access = {}): SimNode {
      return addNode(peer, access)
    },
    /** Feeds `join` to a node (creating its member for `group` if it has none). */
    join(peer: string, group: string, contact?: string): void {
      const n = node(peer)
      n.member ??= createGroupMember({ self: peer, now, group, timing: options.timing, logRetention: options.logRetention })
      process(n, n.member.handle({ type: 'join', now, access: resourceAccess(n), ...(contact === undefined ? {} : { contact }) }))
    },
    input,
    propose(peer: string, payload: Json): void {
      input(peer, (t) => ({ type: 'propose', now: t, payload, size: JSON.stringify(payload).length }))
    },
    /** SIGKILL: the node stops; its persisted record and the durable part of its copy survive. Peers see the connection close if `closeConnections`. */
    kill(peer: string, closeConnections = false): void {
      const n = node(peer)
      n.alive = false
      n.copy.length = Math.min(n.copy.length, n.durable)
      if (!closeConnections) return
      for (const other of nodes.values()) if (other.peer !== peer) input(other.peer, (t) => ({ type: 'connection-closed', now: t, peer }))
    },
    /** Starts a killed node again from what it persisted, and rejoins. */
    restart(peer: string): void {
      const n = node(peer)
      n.alive = true
      if (n.persisted === null) return
      const persisted = n.persisted
      n.member = createGroupMember({ self: peer, now, persisted, log: n.copy.slice(-16), timing: options.timing, logRetention: options.logRetention })
      process(n, n.member.handle({ type: 'join', now, access: resourceAccess(n) }))
    },
    /** Drops every message from `a` to `b` (one way) until healed. */
    block(a: string, b: string): void {
      blocked.add(`${a}>${b}`)
    },
    partition(a: string, b: string): void {
      blocked.add(`${a}>${b}`)
      blocked.add(`${b}>${a}`)
    },
    heal(): void {
      blocked.clear()
    },
    run(until: number): void {
      for (let guard = 0; ; guard++) {
        if (guard > 2_000_000) throw new Error('the network never went quiet')
        pending ??= queue.pop()
        let tick = Infinity
        for (const n of nodes.values()) if (n.alive && n.member !== null) tick = Math.min(tick, n.member.nextDeadline())
        const t = Math.min(pending?.t ?? Infinity, tick)
        if (t > until) break
        now = Math.max(now, t)
        if (pending !== undefined && pending.t <= tick) {
          const e = pending
          pending = undefined
          step(e)
          continue
        }
        for (const n of nodes.values()) {
          if (n.alive && n.member !== null && n.member.nextDeadline() <= now) process(n, n.member.handle({ type: 'tick', now }))
        }
      }
      now = Math.max(now, until)
    },
    /** Runs until `done` holds (checked every 10 ms) or `limit` ms pass; returns whether it held. */
    runUntil(done: () => boolean, limit = 30_000): boolean {
      const end = now + limit
      while (now < end) {
        if (done()) return true
        this.run(now + 10)
      }
      return done()
    },
    logs(peer: string, step?: string) {
      return node(peer).effects.filter((e): e is Extract<GroupEffect, { type: 'log' }> => e.type === 'log' && (step === undefined || e.step === step))
    },
    effectsOf<T extends GroupEffect['type']>(peer: string, type: T) {
      return node(peer).effects.filter((e): e is Extract<GroupEffect, { type: T }> => e.type === type)
    },
    /** Live nodes that sequence now. */
    acting(): string[] {
      return [...nodes.values()].filter((n) => n.alive && n.member?.snapshot().acting).map((n) => n.peer)
    },
  }
}

export type Network = ReturnType<typeof createNetwork>

/** The usual group: P hosts the primary resource, B1 … BK the backups (K = 2 unless said), joined through P, in sync, and known to each other. */
export function startGroup(net: Network, copies = 2): void {
  net.create('P', createGroupState({ id: 'g1', name: 'Photos', copies }), { owns: 'primary' })
  net.join('P', 'g1')
  const backups = Array.from({ length: copies }, (_, i) => `B${i + 1}`)
  for (const peer of backups) {
    net.add(peer, { owns: `backup-${peer.slice(1)}` })
    net.join(peer, 'g1', 'P')
  }
  const formed = () =>
    net.node('P').member!.snapshot().copies.filter((c) => c.state === 'in-sync').length === copies &&
    ['P', ...backups].every((p) => net.node(p).member!.snapshot().members.length === copies + 1)
  if (!net.runUntil(formed, 30_000)) throw new Error('the group never formed')
}

/** Payloads of a node's copy, in order. */
export const payloads = (net: Network, peer: string): Json[] => net.node(peer).copy.map((u) => u.payload)
