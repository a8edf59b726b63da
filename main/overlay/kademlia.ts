/**
 * Baseline 2, a Kademlia-style lookup (Maymounkov & Mazières, 2002) on the same nodes and load.
 * Node ids are random 32-bit numbers under the XOR metric; each node's k-buckets hold up to k
 * random nodes of each distance range (a converged, well-populated table — the best case for
 * Kademlia). Resources are indexed by provider records: a node providing a resource class
 * (cores offered, disk order of magnitude) is recorded at the k nodes closest to the class's key.
 * A query looks up the classes that satisfy it, least capable first, until `want` providers
 * match: each lookup is iterative, α RPCs per round to the closest not yet asked, until a
 * record holder answers or the k closest have all been asked. Hops are rounds; every RPC is two
 * messages (one if lost: the caller times out). Simplified: rounds are synchronous, records are
 * fresh (republishing is not counted), and a holder returns all of a class's providers at once.
 */
import { seededRandom } from '../util/random.ts'
import type { Topology } from './topology.ts'
import { nodeMatches, type QueryOutcome, type SimQuery } from './workload.ts'

export interface KademliaInit {
  seed: number
  loss: number
  /** Bucket size and replication (Kademlia's k). */
  k?: number
  /** Parallel RPCs per round. */
  alpha?: number
}

export interface Kademlia {
  run(query: SimQuery): QueryOutcome
}

const BITS = 32
const CORE_CLASSES = [1, 2, 4, 8, 16, 32]
const DISK_CLASSES = 4 // < 10 GB, < 100 GB, < 1 TB, ≥ 1 TB

const coreClass = (cores: number): number => CORE_CLASSES.reduce((c, v, i) => (cores >= v ? i : c), 0)
const diskClass = (bytes: number): number => Math.max(0, Math.min(DISK_CLASSES - 1, Math.floor(Math.log10(Math.max(bytes, 1) / 1e9))))

export function createKademlia(topology: Topology, init: KademliaInit): Kademlia {
  const random = seededRandom(init.seed)
  const k = init.k ?? 20
  const alpha = init.alpha ?? 3
  const n = topology.peers.length
  const taken = new Set<number>()
  const ids = new Uint32Array(n)
  for (let i = 0; i < n; i++) {
    let id: number
    do id = Math.floor(random() * 2 ** BITS)
    while (taken.has(id))
    taken.add(id)
    ids[i] = id
  }
  const sorted = Array.from({ length: n }, (_, i) => i).sort((a, b) => ids[a]! - ids[b]!)
  const sortedIds = Float64Array.from(sorted, (i) => ids[i]!)
  /** First position in sortedIds holding an id ≥ value. */
  const lowerBound = (value: number): number => {
    let lo = 0
    let hi = n
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (sortedIds[mid]! < value) lo = mid + 1
      else hi = mid
    }
    return lo
  }
  const distance = (a: number, key: number): number => (ids[a]! ^ key) >>> 0

  // Bucket b of node u: ids sharing u's bits above b and differing at b — one range of the sorted ids.
  const tables: Int32Array[] = new Array(n)
  for (let u = 0; u < n; u++) {
    const contacts: number[] = []
    for (let b = 0; b < BITS; b++) {
      const lo = ((Math.floor(ids[u]! / 2 ** b) ^ 1) >>> 0) * 2 ** b
      const from = lowerBound(lo)
      const size = lowerBound(lo + 2 ** b) - from
      if (size <= k) for (let j = 0; j < size; j++) contacts.push(sorted[from + j]!)
      else for (const j of sampleIndices(random, size, k)) contacts.push(sorted[from + j]!)
    }
    tables[u] = Int32Array.from(contacts)
  }

  // Provider records: class → its providers, held by the k nodes closest to the class key.
  const salt = Math.floor(random() * 2 ** BITS)
  const classKey = (c: number, d: number): number => (Math.imul(c * DISK_CLASSES + d + 1, 0x9e3779b1) ^ salt) >>> 0
  const providers = new Map<number, number[]>()
  for (let i = 0; i < n; i++) {
    const a = topology.availability[i]!
    const key = classKey(coreClass(a.cores), diskClass(a.diskBytes))
    const list = providers.get(key) ?? []
    list.push(i)
    providers.set(key, list)
  }
  const holders = new Map<number, Set<number>>()
  for (const key of providers.keys()) holders.set(key, new Set(closest(Array.from({ length: n }, (_, i) => i), key, k)))

  function closest(candidates: Iterable<number>, key: number, count: number): number[] {
    return [...candidates].sort((a, b) => distance(a, key) - distance(b, key)).slice(0, count)
  }

  /** One iterative lookup of `key`; adds matching providers to `found`. */
  function lookup(origin: number, key: number, query: SimQuery, found: Set<number>): { rounds: number; messages: number } {
    const holding = holders.get(key)
    const take = (holder: number): void => {
      if (!holding?.has(holder)) return
      for (const p of providers.get(key) ?? []) if (p !== origin && nodeMatches(topology, p, query.spec)) found.add(p)
    }
    take(origin)
    if (found.size >= query.want || holding === undefined) return { rounds: 0, messages: 0 }
    const shortlist = new Set<number>(closest(tables[origin]!, key, k))
    const asked = new Set<number>([origin])
    let rounds = 0
    let messages = 0
    for (;;) {
      const next = closest([...shortlist].filter((c) => !asked.has(c)), key, alpha)
      const best = closest(shortlist, key, k)
      if (next.length === 0 || best.every((c) => asked.has(c))) break
      rounds++
      for (const c of next) {
        asked.add(c)
        messages++
        if (random() < init.loss) continue // request lost: the caller times out
        messages++
        if (random() < init.loss) continue // reply lost
        take(c)
        for (const contact of closest(tables[c]!, key, k)) shortlist.add(contact)
      }
      if (found.size >= query.want) break
    }
    return { rounds, messages }
  }

  return {
    run(query) {
      const found = new Set<number>()
      let hops = 0
      let messages = 0
      const minDisk = query.spec.diskBytes === undefined ? 0 : diskClass(query.spec.diskBytes)
      for (let c = coreClass(query.spec.cores ?? 1); c < CORE_CLASSES.length && found.size < query.want; c++) {
        if (CORE_CLASSES[c]! < (query.spec.cores ?? 0)) continue
        for (let d = minDisk; d < DISK_CLASSES && found.size < query.want; d++) {
          const step = lookup(query.origin, classKey(c, d), query, found)
          hops += step.rounds
          messages += step.messages
        }
      }
      return { hops, messages, satisfied: found.size >= query.want }
    },
  }
}

/** `count` distinct indices of [0, size), uniformly (Floyd's algorithm). */
function sampleIndices(random: () => number, size: number, count: number): Set<number> {
  const picked = new Set<number>()
  for (let j = size - count; j < size; j++) {
    const t = Math.floor(random() * (j + 1))
    picked.add(picked.has(t) ? j : t)
  }
  return picked
}
