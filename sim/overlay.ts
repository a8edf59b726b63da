/**
 * `npm run sim -- overlay --nodes 10000 [--subgrid-size 50] [--regions 8] [--queries 200] [--loss 0.01] [--kills 20] [--seed 1] [--json]`
 * Runs the overlay's protocol cores for N simulated nodes and answers the same discovery load with
 * naive flooding and a Kademlia-style lookup; prints hops and messages per query for each, the
 * time to a new super-peer and region peer after kills, and issue 3's goals beside them.
 */
import { parseArgs } from 'node:util'
import { simulateOverlay, type OverlaySimResult } from '../main/overlay/simulator.ts'
import { median, percentile, printFigures } from '../scripts/figures.ts'

/** Issue 3's goals at 10,000 nodes. */
export const GOALS = { inRegionHops: 3, messagesVsFlooding: 0.1, reElectionIntervals: 3 } as const

type System = 'overlay' | 'flooding' | 'kademlia'
const SYSTEMS: System[] = ['overlay', 'flooding', 'kademlia']
const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length)

/** The figures of one run, goals included; shared by the CLI and the tests. */
export function overlayFigures(result: OverlaySimResult) {
  const H = result.config.heartbeatMs
  const systems = Object.fromEntries(
    SYSTEMS.map((system) => {
      const outcomes = result.queries.map((q) => q[system])
      const satisfiedHops = outcomes.filter((o) => o.satisfied).map((o) => o.hops)
      const inRegionHops = result.queries.filter((q) => q.inRegion && q[system].satisfied).map((q) => q[system].hops)
      const messages = outcomes.map((o) => o.messages)
      return [
        system,
        {
          satisfied: satisfiedHops.length / Math.max(1, outcomes.length),
          hopsMedian: median(satisfiedHops),
          hopsP99: percentile(satisfiedHops, 99),
          inRegionHopsMedian: median(inRegionHops),
          inRegionHopsP99: percentile(inRegionHops, 99),
          messagesMedian: median(messages),
          messagesMean: mean(messages),
        },
      ]
    }),
  ) as Record<System, { satisfied: number; hopsMedian: number; hopsP99: number; inRegionHopsMedian: number; inRegionHopsP99: number; messagesMedian: number; messagesMean: number }>
  const failover = (electedMs: number[], killed: number) => ({
    killed,
    replaced: electedMs.length,
    medianMs: median(electedMs),
    p99Ms: percentile(electedMs, 99),
    maxMs: electedMs.length === 0 ? NaN : Math.max(...electedMs),
    maxIntervals: electedMs.length === 0 ? NaN : Math.max(...electedMs) / H,
  })
  const superPeer = { ...failover(result.superPeerFailover.electedMs, result.superPeerFailover.killed), indexRebuiltMedianMs: median(result.superPeerFailover.rebuiltMs) }
  const regionPeer = failover(result.regionPeerFailover.electedMs, result.regionPeerFailover.killed)
  const ratio = systems.overlay.messagesMean / systems.flooding.messagesMean
  const everyoneReplaced = superPeer.replaced === superPeer.killed && regionPeer.replaced === regionPeer.killed
  const goals = {
    inRegionHops: { goal: `p99 ≤ ${GOALS.inRegionHops}`, value: systems.overlay.inRegionHopsP99, met: systems.overlay.inRegionHopsP99 <= GOALS.inRegionHops },
    messagesVsFlooding: { goal: `≤ ${GOALS.messagesVsFlooding}× flooding (mean)`, value: ratio, met: ratio <= GOALS.messagesVsFlooding },
    reElection: {
      goal: `every kill replaced within ${GOALS.reElectionIntervals} heartbeat intervals`,
      value: Math.max(superPeer.maxIntervals, regionPeer.maxIntervals),
      met: everyoneReplaced && Math.max(superPeer.maxIntervals, regionPeer.maxIntervals) <= GOALS.reElectionIntervals,
    },
  }
  const after = result.afterFailures
  return {
    config: result.config,
    systems,
    failover: { superPeer, regionPeer },
    afterFailures: { queries: after.length, satisfied: after.filter((o) => o.satisfied).length / Math.max(1, after.length) },
    overlayDiscoveryLatencyMs: { median: median(result.queries.map((q) => q.overlay.latencyMs)), p99: percentile(result.queries.map((q) => q.overlay.latencyMs), 99) },
    maintenancePerNodePerSecond: result.maintenancePerNodePerSecond,
    floodingDegree: result.floodingDegree,
    rejectedMessages: result.rejected,
    goals,
    events: result.events,
  }
}

export default async function overlay(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      nodes: { type: 'string', default: '10000' },
      'subgrid-size': { type: 'string', default: '50' },
      regions: { type: 'string', default: '8' },
      queries: { type: 'string', default: '200' },
      loss: { type: 'string', default: '0.01' },
      kills: { type: 'string', default: '20' },
      seed: { type: 'string', default: '1' },
      json: { type: 'boolean', default: false },
    },
  })
  const started = performance.now()
  const result = simulateOverlay({
    nodes: Number(values.nodes),
    subgridSize: Number(values['subgrid-size']),
    regions: Number(values.regions),
    queries: Number(values.queries),
    loss: Number(values.loss),
    kills: Number(values.kills),
    seed: Number(values.seed),
  })
  const figures = { ...overlayFigures(result), elapsedMs: performance.now() - started }
  if (values.json) return printFigures(true, figures)
  const c = figures.config
  const fmt = (x: number, digits = 1): string => (Number.isFinite(x) ? x.toFixed(digits) : '—')
  console.log(`${c.nodes} nodes, sub-grids of ${c.subgridSize}, ${c.regions} regions, ${c.queries} queries, loss ${c.loss}, seed ${c.seed}; heartbeat ${c.heartbeatMs} ms`)
  console.table(
    Object.fromEntries(
      SYSTEMS.map((s) => {
        const f = figures.systems[s]
        return [s, { satisfied: `${fmt(100 * f.satisfied)}%`, 'hops median': f.hopsMedian, 'hops p99': f.hopsP99, 'in-region median': f.inRegionHopsMedian, 'in-region p99': f.inRegionHopsP99, 'msgs median': f.messagesMedian, 'msgs mean': fmt(f.messagesMean) }]
      }),
    ),
  )
  const { superPeer, regionPeer } = figures.failover
  console.table({
    'super-peer': { killed: superPeer.killed, replaced: superPeer.replaced, 'median ms': fmt(superPeer.medianMs, 0), 'p99 ms': fmt(superPeer.p99Ms, 0), 'max intervals': fmt(superPeer.maxIntervals, 2), 'index rebuilt median ms': fmt(superPeer.indexRebuiltMedianMs, 0) },
    'region peer': { killed: regionPeer.killed, replaced: regionPeer.replaced, 'median ms': fmt(regionPeer.medianMs, 0), 'p99 ms': fmt(regionPeer.p99Ms, 0), 'max intervals': fmt(regionPeer.maxIntervals, 2), 'index rebuilt median ms': '' },
  })
  console.log(`after the kills: ${figures.afterFailures.queries} queries, ${fmt(100 * figures.afterFailures.satisfied)}% satisfied`)
  console.log(`overlay discovery latency: median ${fmt(figures.overlayDiscoveryLatencyMs.median)} ms, p99 ${fmt(figures.overlayDiscoveryLatencyMs.p99)} ms (simulated)`)
  console.log(`overlay maintenance: ${fmt(figures.maintenancePerNodePerSecond, 2)} messages/node/s (heartbeats, elections, registrations, announcements); flooding degree ${fmt(figures.floodingDegree)}`)
  for (const [name, g] of Object.entries(figures.goals)) console.log(`goal ${name}: ${g.goal} → ${Number.isFinite(g.value) ? g.value.toPrecision(3) : '—'} ${g.met ? 'MET' : 'NOT MET'}`)
  console.log(`${figures.events} events in ${fmt(figures.elapsedMs / 1000)} s`)
}
