/**
 * The simulated grid: N nodes in sub-grids (low-latency clusters, e.g. a LAN), sub-grids grouped
 * into regions, each node with a seeded random availability; the latency between two nodes
 * depends on whether they share a sub-grid, a region, or neither.
 */
import { seededRandom } from '../util/random.ts'
import type { Availability } from './score.ts'

export interface TopologyInit {
  nodes: number
  subgridSize: number
  regions: number
  seed: number
}

export interface Topology {
  peers: string[]
  subgridOf: Int32Array
  regionOf: Int32Array
  /** Members of each sub-grid, by node index. */
  subgrids: number[][]
  subgridRegion: number[]
  availability: Availability[]
  p: Array<number | null>
}

/** One-way latency ranges, ms: [base, jitter]. Jitter is drawn per message, so messages can overtake each other. */
export const LATENCY_MS = { subgrid: [0.5, 1], region: [10, 10], world: [50, 50] } as const

/** Offered cores and how common they are (a desktop-heavy population). */
const CORES = [1, 2, 4, 8, 16, 32]
const CORES_SHARE = [0.25, 0.3, 0.25, 0.14, 0.05, 0.01]

export function pick<T>(random: () => number, values: readonly T[], shares: readonly number[]): T {
  let u = random()
  for (let i = 0; i < values.length; i++) {
    u -= shares[i]!
    if (u < 0) return values[i]!
  }
  return values[values.length - 1]!
}

export function buildTopology(init: TopologyInit): Topology {
  const random = seededRandom(init.seed)
  const n = init.nodes
  const subgridCount = Math.max(1, Math.ceil(n / init.subgridSize))
  const regions = Math.max(1, Math.min(init.regions, subgridCount))
  const width = String(n - 1).length
  const peers = Array.from({ length: n }, (_, i) => `node-${String(i).padStart(width, '0')}`)
  const subgridOf = new Int32Array(n)
  const regionOf = new Int32Array(n)
  const subgrids: number[][] = Array.from({ length: subgridCount }, () => [])
  const subgridRegion = Array.from({ length: subgridCount }, (_, g) => Math.floor((g * regions) / subgridCount))
  for (let i = 0; i < n; i++) {
    const g = Math.floor(i / init.subgridSize)
    subgridOf[i] = g
    regionOf[i] = subgridRegion[g]!
    subgrids[g]!.push(i)
  }
  const availability = peers.map(() => ({
    uptimeMs: -12 * 3600_000 * Math.log(1 - random()),
    cores: pick(random, CORES, CORES_SHARE),
    diskBytes: Math.round(10 ** (9 + 3 * random())),
    load: 0.8 * random(),
    onMains: random() < 0.6,
  }))
  const p = peers.map(() => (random() < 0.5 ? null : 0.5 + 0.49 * random()))
  return { peers, subgridOf, regionOf, subgrids, subgridRegion, availability, p }
}

/** One message's one-way latency between nodes a and b. */
export function latency(topology: Topology, a: number, b: number, random: () => number): number {
  const [base, jitter] =
    topology.subgridOf[a] === topology.subgridOf[b] ? LATENCY_MS.subgrid : topology.regionOf[a] === topology.regionOf[b] ? LATENCY_MS.region : LATENCY_MS.world
  return base + jitter * random()
}
