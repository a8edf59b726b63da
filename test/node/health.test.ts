/**
 * Issue 6 on real processes: a node samples its health every second and pushes it, keeps the
 * history, says honestly that it has no scalability estimate before any contention, answers
 * what-if questions, counts its libp2p traffic, and serves /metrics as Prometheus text.
 */
import assert from 'node:assert/strict'
import { availableParallelism } from 'node:os'
import { test } from 'node:test'
import parsePrometheusTextFormat from 'parse-prometheus-text-format'
import type { HealthSample, Scalability } from '../../shared/api/health-schemas.ts'
import type { Status } from '../../shared/api/schemas.ts'
import { GridNodeError } from '../../shared/errors.ts'
import { cliErrorCode, runCli, runCliJson } from '../harness/cli.ts'
import { formVo, startNodes, WAIT_TIMEOUT_MS, type NodeProcess } from '../harness/node-process.ts'

/** Health samples pushed by the node until `count` satisfy `predicate` (bounded wait). */
async function healthSamples(node: NodeProcess, count: number, predicate: (s: HealthSample) => boolean = () => true): Promise<HealthSample[]> {
  const abort = new AbortController()
  const seen: HealthSample[] = []
  const timer = setTimeout(() => abort.abort(), WAIT_TIMEOUT_MS)
  try {
    await new Promise<void>((resolve, reject) => {
      node.client
        .subscribe((event) => {
          if (event.type !== 'health' || !predicate(event.data)) return
          seen.push(event.data)
          if (seen.length >= count) resolve()
        }, abort.signal)
        .then(() => reject(new Error(`${node.name}: ${seen.length} of ${count} health samples within ${WAIT_TIMEOUT_MS} ms`)), reject)
    })
    return seen
  } finally {
    clearTimeout(timer)
    abort.abort()
  }
}

async function scrape(node: NodeProcess, token: string | undefined): Promise<Response> {
  return fetch(`${node.api.url}/metrics`, { headers: token === undefined ? {} : { authorization: `Bearer ${token}` } })
}

test('health is sampled every second, pushed live and kept as history', async (t) => {
  const [node] = await startNodes(t, ['health'])
  assert.ok(node)
  const [first, second] = await healthSamples(node, 2)
  assert.ok(first && second)
  assert.ok(second.at > first.at, 'samples move forward in time')
  assert.equal(second.cpu.cores, availableParallelism())
  assert.equal(second.cpu.perCore.length, availableParallelism())
  assert.ok(second.memory.processRssBytes > 0 && second.memory.totalBytes > second.memory.freeBytes)
  assert.ok(second.disk.totalBytes > 0 && second.disk.freeBytes > 0)
  assert.equal(second.peers, 0)

  const history = await node.client.health({})
  assert.equal(history.resolution, 'second')
  const ats = history.samples.map((s) => s.at)
  assert.ok(ats.includes(first.at) && ats.includes(second.at), 'the pushed samples are in the history')
  assert.deepEqual(ats, [...ats].sort((a, b) => a - b), 'oldest first')
  const newer = await node.client.health({ since: first.at })
  assert.ok(newer.samples.every((s) => s.at > first.at))

  const cli = await runCliJson<{ latest: HealthSample }>(['health', '--data', node.dataDir])
  assert.ok(cli.latest.at >= second.at)
})

test('without contention the node has no estimate and says so everywhere', async (t) => {
  const [node] = await startNodes(t, ['no-contention'])
  assert.ok(node)
  const status = await runCliJson<Status>(['status', '--data', node.dataDir])
  for (const scalability of [status.scalability, await runCliJson<Scalability>(['scalability', '--data', node.dataDir])]) {
    assert.equal(scalability.p, null)
    assert.equal(scalability.reason, 'no-contention-yet')
    assert.equal(scalability.samples, 0)
    assert.deepEqual(scalability.speedup, [])
  }
  for (const command of ['scalability', 'status']) {
    const human = await runCli([command, '--data', node.dataDir])
    assert.match(human.stdout, /no estimate/i, command)
  }

  await assert.rejects(node.client.whatIf({ cpus: [4], clients: [10] }), (err) => err instanceof GridNodeError && err.code === 'NO_ESTIMATE')
  const assumed = await node.client.whatIf({ cpus: [1, 2, 4], clients: [10], p: 0.5, demandMs: 10 })
  assert.equal(assumed.source, 'given')
  assert.deepEqual(assumed.rows.map((row) => row.cpus), [1, 2, 4])
  const [one, two, four] = assumed.rows
  assert.ok(one && two && four)
  assert.ok(Math.abs(four.speedup - 1 / (0.5 + 0.5 / 4)) < 1e-9, "Amdahl's law at p = 0.5")
  assert.ok(two.simulatedThroughput > one.simulatedThroughput, 'more cores help a half-parallel workload')

  const refused = await runCli(['scalability', '--data', `${node.dataDir}-missing`])
  assert.equal(cliErrorCode(refused), 'NODE_NOT_RUNNING')
})

test('/metrics is Prometheus text, needs the token, and counts libp2p traffic', async (t) => {
  const [a, b] = await startNodes(t, ['metrics-a', 'metrics-b'])
  assert.ok(a && b)
  assert.equal((await scrape(a, undefined)).status, 401)
  assert.equal((await scrape(a, 'wrong')).status, 401)

  await formVo([a, b])
  // Joining runs Noise, the membership proof, identify and ping: the next samples must show bytes both ways.
  await healthSamples(a, 1, (s) => s.net.inBytesPerSec > 0 && s.net.outBytesPerSec > 0 && s.peers === 1)

  const res = await scrape(a, a.api.token)
  assert.equal(res.status, 200)
  assert.match(res.headers.get('content-type') ?? '', /^text\/plain/)
  const families = new Map(parsePrometheusTextFormat(await res.text()).map((family) => [family.name, family]))
  const value = (name: string, labels: Record<string, string> = {}): number => {
    const metric = families.get(name)?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))
    assert.ok(metric?.value !== undefined, `${name} ${JSON.stringify(labels)} is exposed`)
    return Number(metric.value)
  }
  assert.equal(families.get('gridnode_p2p_bytes_total')?.type, 'COUNTER')
  assert.ok(value('gridnode_p2p_bytes_total', { direction: 'in' }) > 0)
  assert.ok(value('gridnode_p2p_bytes_total', { direction: 'out' }) > 0)
  assert.equal(value('gridnode_peers'), 1)
  assert.equal(value('gridnode_info', { peer_id: a.peerId }), 1)
  assert.ok(value('process_cpu_user_seconds_total') > 0)
  assert.equal(families.get('gridnode_scalability_p')?.metrics.length ?? 0, 0, 'no p is exposed before there is one')
})
