/**
 * A deterministic discrete-event simulation of the overlay: the same node cores the runtime drives
 * over libp2p, for N nodes on a simulated topology (sub-grids, regions, per-message latency and
 * loss), under a discovery load that the two baselines (flooding and Kademlia) answer too.
 *
 * Timeline, in heartbeat intervals H: nodes start within the first H; the overlay forms until
 * WARMUP; the queries run; then a sample of super-peers is killed, later the region peers, and
 * timed until a successor takes office; a last batch of queries checks discovery after the kills.
 *
 * Peers' knowledge of each other comes in two models. By default every node starts knowing its
 * sub-grid and a few contacts elsewhere. With `incrementalJoins`, nodes learn each other the way
 * the runtime makes them (runtime.ts): a node starts knowing only the bootstrap node (node 0, which
 * every other node joins through, as a VO forms through its creator); the first message between
 * two nodes stands for their connection, over which the sender says hello with up to
 * HELLO_DIRECTORY_LIMIT peers it knows and the receiver answers with its own, each side feeding
 * peer-up for every peer new to it; a killed node's connections drop, so the nodes it had met
 * (and only those) get peer-down and forget it, while directories elsewhere may still name it.
 */
import { seededRandom } from '../util/random.ts'
import { HEARTBEAT_INTERVAL_MS } from './constants.ts'
import type { Output } from './core.ts'
import { EventQueue } from './event-queue.ts'
import { createFlooding } from './flooding.ts'
import { createKademlia } from './kademlia.ts'
import { parseMessage, type OverlayMessage } from './messages.ts'
import { createOverlayNode, type OverlayNode, type PeerInfo } from './node.ts'
import { buildTopology, latency } from './topology.ts'
import { HELLO_DIRECTORY_LIMIT } from './wire.ts'
import { makeQueries, satisfiableInRegion, type QueryOutcome, type SimQuery } from './workload.ts'

export interface OverlaySimInit {
  nodes: number
  /** Nodes per sub-grid. */
  subgridSize?: number
  regions?: number
  queries?: number
  /** Probability that any one message is lost. */
  loss?: number
  seed?: number
  /** Super-peers killed; up to this many region peers are killed too. */
  kills?: number
  /** Parse every delivered message with parseMessage, as the runtime will (slower; for tests). */
  validate?: boolean
  /** Nodes learn each other incrementally through a bootstrap node and hellos, as in the runtime (see above). */
  incrementalJoins?: boolean
}

export interface OverlayQueryOutcome extends QueryOutcome {
  /** Simulated ms from the query to its result. */
  latencyMs: number
}

export interface OverlaySimResult {
  config: Required<Omit<OverlaySimInit, 'validate' | 'incrementalJoins'>> & { heartbeatMs: number }
  /** Per query of the main load, the outcome in each system; inRegion: the origin's region holds enough matches. */
  queries: Array<{ inRegion: boolean; overlay: OverlayQueryOutcome; flooding: QueryOutcome; kademlia: QueryOutcome }>
  /** Overlay queries after the kills. */
  afterFailures: OverlayQueryOutcome[]
  /** Per killed super-peer: ms from the kill to a successor in office, and to its index holding 90% of the live members. */
  superPeerFailover: { electedMs: number[]; rebuiltMs: number[]; killed: number }
  /** Per killed region peer: ms from the kill to a successor in office. */
  regionPeerFailover: { electedMs: number[]; killed: number }
  /** Overlay messages other than discovery (heartbeats, elections, registrations, announcements), per node per second. */
  maintenancePerNodePerSecond: number
  /**
   * Sub-grids at the end of the run, and those whose live members all follow one live super-peer;
   * regions, and those whose live members all name one live region peer that holds the office.
   */
  converged: { subgrids: number; agreed: number; regions: number; regionsAgreed: number }
  /** Messages parseMessage rejected (validate only; the cores must only ever send valid ones). */
  rejected: number
  floodingDegree: number
  events: number
}

const H = HEARTBEAT_INTERVAL_MS
/** Phase starts, in heartbeat intervals. */
/**
 * In heartbeat intervals. From `settle` on the network stops losing messages: under loss a member
 * may be mid-re-election at any instant, so convergence is judged once messages flow again.
 */
const PHASE = { queries: 20, queryWindow: 10, killSuperPeers: 35, killRegionPeers: 50, after: 65, settle: 70, end: 75 } as const
/** A rebuilt index holds at least this share of the sub-grid's live members. */
const REBUILT_SHARE = 0.9

type SimEvent =
  | { t: number; seq: number; kind: 'deliver'; to: number; from: number; message: OverlayMessage }
  | { t: number; seq: number; kind: 'tick'; to: number }
  | { t: number; seq: number; kind: 'call'; run: () => void }

export function simulateOverlay(init: OverlaySimInit): OverlaySimResult {
  const config = { nodes: init.nodes, subgridSize: init.subgridSize ?? 50, regions: init.regions ?? 8, queries: init.queries ?? 200, loss: init.loss ?? 0.01, seed: init.seed ?? 1, kills: init.kills ?? 20 }
  const topology = buildTopology(config)
  let loss = config.loss
  const n = topology.peers.length
  const random = seededRandom(config.seed + 1)
  const index = new Map(topology.peers.map((peer, i) => [peer, i]))
  const info: PeerInfo[] = topology.peers.map((peer, i) => ({ peer, subgrid: `s${topology.subgridOf[i]}`, region: `r${topology.regionOf[i]}` }))
  const nodes: Array<OverlayNode | undefined> = new Array(n)
  const alive = new Uint8Array(n)
  const scheduled = new Float64Array(n).fill(Infinity)
  const queue = new EventQueue<SimEvent>()
  let now = 0
  let events = 0
  let rejected = 0
  let maintenance = 0
  const perQuery = new Map<string, number>()
  const started = new Map<string, number>()
  const outcomes = new Map<string, OverlayQueryOutcome>()
  const watchSubgrid = new Map<number, { killedAt: number; successor: number | null; rebuilt: boolean }>()
  const watchRegion = new Map<number, number>()
  const failover = { electedMs: [] as number[], rebuiltMs: [] as number[], killed: 0 }
  const regionFailover = { electedMs: [] as number[], killed: 0 }

  const at = (t: number, run: () => void): void => queue.push({ t, kind: 'call', run })

  function emit(from: number, outputs: Output[]): void {
    for (const o of outputs) {
      if (o.type === 'send') {
        const m = o.message
        if (m.type === 'query' || m.type === 'matches' || m.type === 'result') perQuery.set(m.id, (perQuery.get(m.id) ?? 0) + 1)
        else maintenance++
        const to = index.get(o.to)
        if (to === undefined || random() < loss) continue
        queue.push({ t: now + latency(topology, from, to, random), kind: 'deliver', to, from, message: m })
        continue
      }
      const e = o.effect
      if (e.type === 'discovery-result') {
        outcomes.set(e.id, { hops: e.hops, messages: 0, satisfied: e.satisfied, latencyMs: now - (started.get(e.id) ?? now) })
      } else if (e.leader === topology.peers[from]) {
        onElected(from, e.level)
      }
    }
    const node = nodes[from]
    const deadline = node?.nextDeadline() ?? Infinity
    if (deadline < scheduled[from]!) {
      scheduled[from] = Math.max(deadline, now)
      queue.push({ t: scheduled[from]!, kind: 'tick', to: from })
    }
  }

  function onElected(node: number, level: 'subgrid' | 'region'): void {
    if (level === 'subgrid') {
      const watch = watchSubgrid.get(topology.subgridOf[node]!)
      if (watch === undefined || watch.successor !== null) return
      watch.successor = node
      failover.electedMs.push(now - watch.killedAt)
      return
    }
    const killedAt = watchRegion.get(topology.regionOf[node]!)
    if (killedAt === undefined) return
    watchRegion.delete(topology.regionOf[node]!)
    regionFailover.electedMs.push(now - killedAt)
  }

  function checkRebuilt(node: number): void {
    const watch = watchSubgrid.get(topology.subgridOf[node]!)
    if (watch === undefined || watch.successor !== node || watch.rebuilt) return
    const live = topology.subgrids[topology.subgridOf[node]!]!.filter((m) => alive[m] === 1).length
    if (nodes[node]!.snapshot(now).indexSize >= REBUILT_SHARE * live) {
      watch.rebuilt = true
      failover.rebuiltMs.push(now - watch.killedAt)
    }
  }

  /** incrementalJoins: whom each node knows (insertion order, as the runtime's directory) and whom it is connected to. */
  const directory: Array<Set<number>> = Array.from({ length: n }, () => new Set())
  const connected: Array<Set<number>> = Array.from({ length: n }, () => new Set())

  function learn(node: number, peer: number): void {
    if (peer === node || directory[node]!.has(peer)) return
    directory[node]!.add(peer)
    const core = nodes[node]
    if (core !== undefined) emit(node, core.handle({ type: 'peer-up', now, ...info[peer]! }))
  }

  /** `dialer` connects to `listener`: hello with the dialer's directory, answered with the listener's. */
  function connect(dialer: number, listener: number): void {
    connected[dialer]!.add(listener)
    connected[listener]!.add(dialer)
    const hello = [...directory[dialer]!].slice(0, HELLO_DIRECTORY_LIMIT)
    const answer = [...directory[listener]!].slice(0, HELLO_DIRECTORY_LIMIT)
    for (const peer of [dialer, ...hello]) learn(listener, peer)
    for (const peer of [listener, ...answer]) learn(dialer, peer)
  }

  function kill(node: number): void {
    alive[node] = 0
    nodes[node] = undefined
    if (init.incrementalJoins !== true) return
    for (const peer of connected[node]!) {
      connected[peer]!.delete(node)
      directory[peer]!.delete(node)
      const core = nodes[peer]
      if (core !== undefined) emit(peer, core.handle({ type: 'peer-down', now, peer: topology.peers[node]! }))
    }
    connected[node]!.clear()
  }

  // Nodes start within the first heartbeat interval, knowing their sub-grid and two contacts in every other sub-grid of their region and every other region.
  const contactsOf = (members: number[]): PeerInfo[] => [0, 1].map(() => info[members[Math.floor(random() * members.length)]!]!)
  const regionMembers = Array.from({ length: config.regions }, (_, r) => topology.subgrids.filter((_, g) => topology.subgridRegion[g] === r).flat())
  for (let i = 0; i < n && init.incrementalJoins !== true; i++) {
    const g = topology.subgridOf[i]!
    const r = topology.regionOf[i]!
    const peers = [
      ...topology.subgrids[g]!.map((m) => info[m]!),
      ...topology.subgrids.flatMap((members, other) => (other !== g && topology.subgridRegion[other] === r ? contactsOf(members) : [])),
      ...regionMembers.flatMap((members, other) => (other !== r && members.length > 0 ? contactsOf(members) : [])),
    ]
    at(random() * H, () => {
      alive[i] = 1
      nodes[i] = createOverlayNode({ ...info[i]!, self: info[i]!.peer, peers, availability: topology.availability[i]!, addrs: [], p: topology.p[i]!, now, random: seededRandom(config.seed * 7919 + i) })
      emit(i, [])
    })
  }
  // incrementalJoins: the bootstrap starts first; each other node starts within the first interval and joins through it.
  for (let i = 0; i < n && init.incrementalJoins === true; i++) {
    at(i === 0 ? 0 : random() * H, () => {
      alive[i] = 1
      nodes[i] = createOverlayNode({ ...info[i]!, self: info[i]!.peer, peers: [], availability: topology.availability[i]!, addrs: [], p: topology.p[i]!, now, random: seededRandom(config.seed * 7919 + i) })
      emit(i, [])
      if (i !== 0) connect(i, 0)
    })
  }

  function query(id: string, q: SimQuery): void {
    const node = nodes[q.origin]
    if (node === undefined) return
    started.set(id, now)
    emit(q.origin, node.handle({ type: 'discover', now, id, spec: q.spec, want: q.want }))
  }

  const load = makeQueries(topology, config.queries, random)
  load.forEach((q, i) => at((PHASE.queries + (i * PHASE.queryWindow) / load.length) * H, () => query(`q${i}`, q)))

  const officeHolders = (role: 'super-peer' | 'region-peer'): number[] =>
    topology.peers.flatMap((_, i) => (nodes[i] !== undefined && nodes[i]!.snapshot(now).role === role ? [i] : []))

  at(PHASE.killSuperPeers * H, () => {
    const victims = shuffle(officeHolders('super-peer'), random).slice(0, config.kills)
    for (const v of victims) {
      watchSubgrid.set(topology.subgridOf[v]!, { killedAt: now, successor: null, rebuilt: false })
      kill(v)
    }
    failover.killed = victims.length
  })
  at(PHASE.killRegionPeers * H, () => {
    const byRegion = new Map<number, number>()
    for (const v of officeHolders('region-peer')) if (!byRegion.has(topology.regionOf[v]!)) byRegion.set(topology.regionOf[v]!, v)
    for (const [region, v] of [...byRegion].slice(0, config.kills)) {
      watchRegion.set(region, now)
      kill(v)
    }
    regionFailover.killed = Math.min(byRegion.size, config.kills)
  })
  const afterLoad = makeQueries(topology, Math.max(1, Math.floor(config.queries / 4)), random)
  afterLoad.forEach((q, i) => at((PHASE.after + (i * 5) / afterLoad.length) * H, () => alive[q.origin] === 1 && query(`a${i}`, q)))

  at(PHASE.settle * H, () => (loss = 0))
  const end = PHASE.end * H
  for (let e = queue.pop(); e !== undefined && e.t <= end; e = queue.pop()) {
    now = e.t
    events++
    if (e.kind === 'call') {
      e.run()
      continue
    }
    const node = nodes[e.to]
    if (node === undefined) continue
    if (e.kind === 'tick') {
      if (scheduled[e.to] !== e.t) continue // superseded by an earlier deadline
      scheduled[e.to] = Infinity
      emit(e.to, node.handle({ type: 'tick', now }))
      continue
    }
    if (init.incrementalJoins === true && !connected[e.from]!.has(e.to) && alive[e.from] === 1) connect(e.from, e.to)
    let message = e.message
    if (init.validate === true) {
      const parsed = parseMessage(JSON.parse(JSON.stringify(message)))
      if (!parsed.ok) {
        rejected++
        continue
      }
      message = parsed.message
    }
    emit(e.to, node.handle({ type: 'message', now, from: topology.peers[e.from]!, message }))
    if (message.type === 'register') checkRebuilt(e.to)
  }

  const agreed = topology.subgrids.filter((members) => {
    const live = members.filter((m) => alive[m] === 1)
    const leader = live.length > 0 ? nodes[live[0]!]!.snapshot(now).superPeer : null
    const at = leader === null ? undefined : index.get(leader)
    return at !== undefined && alive[at] === 1 && nodes[at]!.snapshot(now).role !== 'member' && live.every((m) => nodes[m]!.snapshot(now).superPeer === leader)
  }).length
  const regionCount = new Set(topology.subgridRegion).size
  const regionsAgreed = Array.from({ length: regionCount }, (_, r) => topology.peers.flatMap((_, i) => (alive[i] === 1 && topology.regionOf[i] === r ? [i] : []))).filter((live) => {
    const leader = live.length > 0 ? nodes[live[0]!]!.snapshot(now).regionPeer : null
    const at = leader === null ? undefined : index.get(leader)
    return at !== undefined && alive[at] === 1 && nodes[at]!.snapshot(now).role === 'region-peer' && live.every((m) => nodes[m]!.snapshot(now).regionPeer === leader)
  }).length
  const outcome = (id: string): OverlayQueryOutcome => ({ ...(outcomes.get(id) ?? { hops: Infinity, satisfied: false, latencyMs: Infinity }), messages: perQuery.get(id) ?? 0 })
  const flooding = createFlooding(topology, { seed: config.seed + 2, loss: config.loss })
  const kademlia = createKademlia(topology, { seed: config.seed + 3, loss: config.loss })
  const seconds = end / 1000
  return {
    config: { ...config, heartbeatMs: H },
    queries: load.map((q, i) => ({ inRegion: satisfiableInRegion(topology, q), overlay: outcome(`q${i}`), flooding: flooding.run(q), kademlia: kademlia.run(q) })),
    afterFailures: afterLoad.flatMap((_, i) => (started.has(`a${i}`) ? [outcome(`a${i}`)] : [])),
    superPeerFailover: failover,
    regionPeerFailover: regionFailover,
    maintenancePerNodePerSecond: maintenance / n / seconds,
    converged: { subgrids: topology.subgrids.length, agreed, regions: regionCount, regionsAgreed },
    rejected,
    floodingDegree: flooding.degree,
    events,
  }
}

function shuffle<T>(values: T[], random: () => number): T[] {
  for (let i = values.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[values[i], values[j]] = [values[j]!, values[i]!]
  }
  return values
}
