/**
 * Baseline 1, naive flooding (Gnutella-style) on an unstructured overlay built on the same
 * topology: every node links to a few peers of its sub-grid and a few random peers anywhere. The
 * origin sends the query to all its neighbours; each node forwards its first copy to all its
 * neighbours but the sender while the TTL lasts and drops later copies (duplicate suppression);
 * every match replies to the origin directly. Nothing recalls a query in flight, so it does not
 * stop once satisfied. Simplified: the flood is hop-synchronous (breadth-first), which gives the
 * same hop and message counts as a latency-ordered flood when no message is lost.
 */
import { seededRandom } from '../util/random.ts'
import type { Topology } from './topology.ts'
import { nodeMatches, type QueryOutcome, type SimQuery } from './workload.ts'

export interface FloodingInit {
  seed: number
  loss: number
  /** Gnutella's classic TTL. */
  ttl?: number
  /** Links per node within its sub-grid, and to random nodes anywhere. */
  localLinks?: number
  remoteLinks?: number
}

export interface Flooding {
  run(query: SimQuery): QueryOutcome
  /** Mean links per node. */
  degree: number
}

export function createFlooding(topology: Topology, init: FloodingInit): Flooding {
  const random = seededRandom(init.seed)
  const n = topology.peers.length
  const ttl = init.ttl ?? 7
  const links: Array<Set<number>> = Array.from({ length: n }, () => new Set())
  const link = (a: number, b: number): void => {
    if (a === b) return
    links[a]!.add(b)
    links[b]!.add(a)
  }
  for (let i = 0; i < n; i++) {
    const members = topology.subgrids[topology.subgridOf[i]!]!
    for (let j = 0; j < (init.localLinks ?? 3); j++) link(i, members[Math.floor(random() * members.length)]!)
    for (let j = 0; j < (init.remoteLinks ?? 2); j++) link(i, Math.floor(random() * n))
  }
  const graph = links.map((s) => Int32Array.from(s))
  const seenAt = new Int32Array(n).fill(-1)
  const parent = new Int32Array(n)
  const depth = new Int32Array(n)
  const queue = new Int32Array(n)
  let stamp = 0

  return {
    degree: graph.reduce((sum, g) => sum + g.length, 0) / n,
    run(query) {
      stamp++
      let head = 0
      let tail = 0
      let messages = 0
      let found = 0
      let hops = Infinity
      seenAt[query.origin] = stamp
      parent[query.origin] = -1
      depth[query.origin] = 0
      queue[tail++] = query.origin
      while (head < tail) {
        const u = queue[head++]!
        if (depth[u]! >= ttl) continue
        for (const v of graph[u]!) {
          if (v === parent[u]) continue
          messages++
          if (random() < init.loss || seenAt[v] === stamp) continue
          seenAt[v] = stamp
          parent[v] = u
          depth[v] = depth[u]! + 1
          queue[tail++] = v
          if (nodeMatches(topology, v, query.spec)) {
            messages++ // the match's reply to the origin
            if (++found === query.want) hops = depth[v]!
          }
        }
      }
      return { hops, messages, satisfied: found >= query.want }
    },
  }
}
