/** The discovery load every system in the simulator answers: the same queries, from the same origins. */
import type { QuerySpec } from './messages.ts'
import { pick, type Topology } from './topology.ts'

export interface SimQuery {
  origin: number
  spec: QuerySpec
  want: number
}

/** The outcome of one query in one system. */
export interface QueryOutcome {
  hops: number
  messages: number
  satisfied: boolean
}

/** Requested cores: mostly small, some for the rare big machines (which sends those queries out of their region). */
const WANT_CORES = [1, 2, 4, 8, 16, 32]
const WANT_CORES_SHARE = [0.2, 0.25, 0.25, 0.15, 0.1, 0.05]

export function makeQueries(topology: Topology, count: number, random: () => number): SimQuery[] {
  return Array.from({ length: count }, () => {
    const cores = pick(random, WANT_CORES, WANT_CORES_SHARE)
    const diskBytes = random() < 0.3 ? Math.round(10 ** (9 + 2.5 * random())) : undefined
    return {
      origin: Math.floor(random() * topology.peers.length),
      spec: diskBytes === undefined ? { cores } : { cores, diskBytes },
      want: 1 + Math.floor(random() * 5),
    }
  })
}

export function nodeMatches(topology: Topology, node: number, spec: QuerySpec): boolean {
  const a = topology.availability[node]!
  return a.cores >= (spec.cores ?? 0) && a.diskBytes >= (spec.diskBytes ?? 0)
}

/** Ground truth: whether the origin's own region holds `want` matches (the "satisfied in its region" class of the goals). */
export function satisfiableInRegion(topology: Topology, query: SimQuery): boolean {
  const region = topology.regionOf[query.origin]
  let found = 0
  for (let i = 0; i < topology.peers.length && found < query.want; i++) {
    if (i !== query.origin && topology.regionOf[i] === region && nodeMatches(topology, i, query.spec)) found++
  }
  return found >= query.want
}
