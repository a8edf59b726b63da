/**
 * `npm run bench -- overlay [--nodes 8] [--queries 30] [--kills 5] [--json]`: the super-peer
 * overlay on real node processes on 127.0.0.1 (issue 3). Prints the discovery latency (median,
 * p95) against the baseline of one plain API round trip to the same node, and the time from
 * SIGKILL of the super-peer to a new one answering discovery (median, p95) against the failure
 * timeout the election waits for. Goal: failover p95 ≤ 3 s.
 */
import { rm } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { FAILURE_TIMEOUT_MS, HEARTBEAT_INTERVAL_MS } from '../main/overlay/constants.ts'
import { formVo, startNode, type NodeProcess } from '../test/harness/node-process.ts'
import { agreedSuperPeer } from '../test/harness/overlay.ts'
import { median, percentile, printFigures } from '../scripts/figures.ts'

const FAILOVER_GOAL_MS = 3000

async function timed<T>(run: () => Promise<T>): Promise<[number, T]> {
  const started = performance.now()
  const value = await run()
  return [performance.now() - started, value]
}

export default async function overlay(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean' }, nodes: { type: 'string', default: '8' }, queries: { type: 'string', default: '30' }, kills: { type: 'string', default: '5' } } })
  const count = Number(values.nodes)
  const nodes: NodeProcess[] = []
  try {
    for (let i = 0; i < count; i++) nodes.push(await startNode({ name: `n${i}` }))
    await formVo(nodes)
    let leader = await agreedSuperPeer(nodes)

    // Discovery: every query wants all other members, so it must consult the super-peer's index.
    const baseline: number[] = []
    const discovery: number[] = []
    const hops: number[] = []
    let unsatisfied = 0
    for (let q = 0; q < Number(values.queries); q++) {
      const asker = nodes.filter((n) => n.peerId !== leader)[q % (count - 1)]!
      baseline.push((await timed(() => asker.client.status({})))[0])
      const [ms, result] = await timed(() => asker.client.discover({ want: count - 1 }))
      discovery.push(ms)
      hops.push(result.hops)
      if (!result.satisfied) unsatisfied++
    }

    // Failover: kill the super-peer, time until the survivors agree on a new one and it answers
    // a discovery; then restart the killed node (it reconnects by itself) for the next trial.
    const failover: number[] = []
    for (let k = 0; k < Number(values.kills); k++) {
      const victim = nodes.find((n) => n.peerId === leader)!
      const survivors = nodes.filter((n) => n !== victim)
      const killedAt = performance.now()
      await victim.signal('SIGKILL')
      leader = await agreedSuperPeer(survivors)
      const asker = survivors.find((n) => n.peerId !== leader)!
      await asker.client.discover({ want: 1 })
      failover.push(performance.now() - killedAt)
      const back = await startNode({ name: victim.name, dataDir: victim.dataDir })
      nodes[nodes.indexOf(victim)] = back
      leader = await agreedSuperPeer(nodes)
    }

    printFigures(values.json === true, {
      bench: 'overlay',
      nodes: count,
      discoveryMs: {
        median: median(discovery),
        p95: percentile(discovery, 95),
        baselineMedian: median(baseline),
        ratio: median(discovery) / median(baseline),
        hopsMedian: median(hops),
        unsatisfied,
      },
      failoverMs: {
        median: median(failover),
        p95: percentile(failover, 95),
        trials: failover.length,
        failureTimeoutMs: FAILURE_TIMEOUT_MS,
        heartbeatMs: HEARTBEAT_INTERVAL_MS,
        ratioToFailureTimeout: percentile(failover, 95) / FAILURE_TIMEOUT_MS,
        goal: FAILOVER_GOAL_MS,
        met: percentile(failover, 95) <= FAILOVER_GOAL_MS,
      },
    })
  } finally {
    await Promise.all(nodes.map((node) => node.stop()))
    await Promise.all(nodes.map((node) => rm(node.dataDir, { recursive: true, force: true })))
  }
}
