/**
 * `npm run bench -- compute [--jobs 1000] [--runs 40] [--tiles 32] [--json]`: compute jobs on real
 * node processes on 127.0.0.1 (issue 5). Prints, in one run:
 *  - the per-job overhead of a tiny job on another node (submit to verified result, minus the
 *    time the job ran), against the same module run in-process in a warm sandbox;
 *  - the throughput of `--jobs` jobs of about 10 ms on one node offering 2 cores, against the
 *    ideal (jobs × duration / 2);
 *  - the speedup of the Mandelbrot demo on 2 local nodes offering 1 core each, against 1;
 *  - how long after their limit hostile modules (a forever loop, a memory bomb) are stopped.
 * Goals: overhead p50 ≤ 10 ms; ≥ 90 % of ideal throughput; speedup ≥ 1.8; limit + 100 ms.
 */
import { rm } from 'node:fs/promises'
import { availableParallelism, loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import type { ApiClient } from '../shared/api/client.ts'
import type { JobSummary } from '../shared/api/compute-schemas.ts'
import { JOB_MODULES, loadJobModule, type JobModuleName } from '../main/compute/modules/index.ts'
import { createSandbox, type Sandbox } from '../main/compute/sandbox/index.ts'
import { formVo, startNode, type NodeProcess } from '../test/harness/node-process.ts'
import { median, percentile, printFigures } from '../scripts/figures.ts'

const GOALS = { overheadP50Ms: 10, throughputShare: 0.9, speedup: 1.8, stopSlackMs: 100 }
const JOB_MS = 10
const MiB = 2 ** 20

const base64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64')
const u32 = (value: number): Uint8Array => {
  const bytes = new Uint8Array(4)
  new DataView(bytes.buffer).setUint32(0, value, true)
  return bytes
}

/** Follows one node's job events: resolves each awaited job when it ends, with the time it did. */
function jobWatcher(client: ApiClient) {
  const abort = new AbortController()
  const waiting = new Map<string, (ended: { job: JobSummary; at: number }) => void>()
  const early = new Map<string, { job: JobSummary; at: number }>()
  let ready: () => void = () => undefined
  const connected = new Promise<void>((resolve) => (ready = resolve))
  void client
    .subscribe((event) => {
      if (event.type === 'status') ready()
      if (event.type !== 'job' || event.data.state === 'queued' || event.data.state === 'running') return
      const ended = { job: event.data, at: performance.now() }
      const resolve = waiting.get(event.data.id)
      if (resolve === undefined) early.set(event.data.id, ended)
      else resolve(ended)
    }, abort.signal)
    .catch(() => undefined)
  return {
    connected,
    ended(id: string): Promise<{ job: JobSummary; at: number }> {
      const known = early.get(id)
      if (known !== undefined) return Promise.resolve(known)
      return new Promise((resolve) => waiting.set(id, resolve))
    },
    close: () => abort.abort(),
  }
}

async function submit(client: ApiClient, module: Uint8Array, name: JobModuleName, input: Uint8Array, extra: { maxSeconds?: number; memoryBytes?: number } = {}): Promise<string> {
  return (await client.jobSubmit({ module: base64(module), entry: JOB_MODULES[name].entry, input: base64(input), ...extra })).id
}

/** Rounds of the busy module that take about JOB_MS in a warm worker here. */
async function calibrateBusy(sandbox: Sandbox, module: Uint8Array): Promise<{ rounds: number; ms: number }> {
  const time = async (rounds: number): Promise<number> => {
    const times: number[] = []
    for (let i = 0; i < 5; i++) times.push((await sandbox.run({ module, entry: JOB_MODULES.busy.entry, input: u32(rounds), maxSeconds: 10, memoryBytes: MiB })).wallMs)
    return median(times)
  }
  let rounds = 1_000_000
  for (let i = 0; i < 4; i++) rounds = Math.round((rounds * JOB_MS) / Math.max(0.1, await time(rounds)))
  return { rounds, ms: await time(rounds) }
}

/** Sets each node's offered cores; resolves once the first node's discovery sees the others' offers. */
async function offer(nodes: NodeProcess[], cores: number[]): Promise<void> {
  await Promise.all(nodes.map((node, i) => node.client.contribute({ cores: cores[i] ?? 0 })))
  const [asker, ...others] = nodes
  const expected = others.filter((_, i) => (cores[i + 1] ?? 0) > 0).map((node) => node.peerId)
  for (;;) {
    const found = expected.length === 0 ? [] : (await asker!.client.discover({ cores: 1, want: others.length })).candidates.map((c) => c.peer)
    if (expected.every((peer) => found.includes(peer)) && found.every((peer) => expected.includes(peer))) return
    await asker!.waitForStatus(() => true, 'an overlay change')
  }
}

export default async function compute(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean' }, jobs: { type: 'string', default: '1000' }, runs: { type: 'string', default: '40' }, tiles: { type: 'string', default: '32' } } })
  const nodes: NodeProcess[] = []
  const sandbox = createSandbox({ workers: 1 })
  try {
    const modules = Object.fromEntries(await Promise.all((['checksum', 'busy', 'forever', 'memory-bomb'] as const).map(async (name) => [name, await loadJobModule(name)] as const)))
    for (const name of ['submitter', 'worker']) nodes.push(await startNode({ name }))
    const [submitter] = nodes as [NodeProcess, NodeProcess]
    await formVo(nodes)
    const watch = jobWatcher(submitter.client)
    await watch.connected
    const runJob = async (name: JobModuleName, input: Uint8Array, extra: { maxSeconds?: number; memoryBytes?: number } = {}) => {
      const started = performance.now()
      const id = await submit(submitter.client, modules[name]!, name, input, extra)
      const { job, at } = await watch.ended(id)
      return { id, job, ms: at - started }
    }

    // Overhead: a tiny job on the other node, one at a time, after a few to warm both ends.
    await offer(nodes, [0, 1])
    const tiny = new TextEncoder().encode('tiny')
    for (let i = 0; i < 5; i++) await runJob('checksum', tiny)
    const overhead: number[] = []
    for (let i = 0; i < Number(values.runs); i++) {
      const { id, ms } = await runJob('checksum', tiny)
      const ran = (await submitter.client.job({ id })).result?.wallMs ?? 0
      overhead.push(ms - ran)
    }
    const inProcess: number[] = []
    for (let i = 0; i < Number(values.runs) + 5; i++) {
      const started = performance.now()
      await sandbox.run({ module: modules.checksum!, entry: JOB_MODULES.checksum.entry, input: tiny, maxSeconds: 10, memoryBytes: MiB })
      if (i >= 5) inProcess.push(performance.now() - started)
    }

    // Throughput: jobs of about JOB_MS queued while no core is offered, then drained by the
    // submitter alone offering 2 cores. Submitting is timed on its own.
    const busy = await calibrateBusy(sandbox, modules.busy!)
    await offer(nodes, [0, 0])
    const count = Number(values.jobs)
    const submitStarted = performance.now()
    const ids: string[] = []
    for (let i = 0; i < count; i++) ids.push(await submit(submitter.client, modules.busy!, 'busy', u32(busy.rounds)))
    const submitMs = performance.now() - submitStarted
    const throughputStarted = performance.now()
    await offer(nodes, [2, 0])
    const ends = await Promise.all(ids.map((id) => watch.ended(id)))
    const elapsedMs = Math.max(...ends.map((end) => end.at)) - throughputStarted
    const failedJobs = ends.filter((end) => end.job.state !== 'done').length
    const idealMs = (count * busy.ms) / 2

    // Mandelbrot: the same demo on the submitter's one core, then on both nodes' one core each.
    const demo = async (): Promise<number> => {
      const started = performance.now()
      const { tiles } = await submitter.client.jobDemo({ tiles: Number(values.tiles), width: 1280, height: 960, iterations: 3000 })
      await Promise.all(tiles.map((tile) => watch.ended(tile.job)))
      return performance.now() - started
    }
    await offer(nodes, [1, 0])
    const oneNodeMs = await demo()
    await offer(nodes, [1, 1])
    const twoNodesMs = await demo()

    // Hostile modules on the other node: how long past their limit they are stopped.
    await offer(nodes, [0, 2])
    const limitSeconds = 1
    const forever: number[] = []
    const bomb: number[] = []
    for (let i = 0; i < 5; i++) {
      const looped = await runJob('forever', new Uint8Array(), { maxSeconds: limitSeconds })
      if (looped.job.error?.code === 'JOB_TIMEOUT') forever.push(looped.ms - limitSeconds * 1000)
      const bombed = await runJob('memory-bomb', new Uint8Array(), { memoryBytes: 16 * MiB })
      if (bombed.job.error?.code === 'JOB_MEMORY') bomb.push(bombed.ms)
    }
    watch.close()

    printFigures(values.json === true, {
      bench: 'compute',
      // Every figure shares this machine with whatever else runs on it.
      machine: { cores: availableParallelism(), loadAverage1m: loadavg()[0] },
      overheadMs: {
        p50: median(overhead),
        p95: percentile(overhead, 95),
        runs: overhead.length,
        inProcessP50: median(inProcess),
        inProcessP95: percentile(inProcess, 95),
        goalP50: GOALS.overheadP50Ms,
        met: median(overhead) <= GOALS.overheadP50Ms,
      },
      throughput: {
        jobs: count,
        jobMs: busy.ms,
        cores: 2,
        elapsedMs,
        idealMs,
        jobsPerSec: count / (elapsedMs / 1000),
        submitMsPerJob: submitMs / count,
        shareOfIdeal: idealMs / elapsedMs,
        failed: failedJobs,
        goal: GOALS.throughputShare,
        met: idealMs / elapsedMs >= GOALS.throughputShare,
      },
      mandelbrot: {
        tiles: Number(values.tiles),
        oneNodeMs,
        twoNodesMs,
        speedup: oneNodeMs / twoNodesMs,
        goal: GOALS.speedup,
        met: oneNodeMs / twoNodesMs >= GOALS.speedup,
      },
      hostile: {
        limitMs: limitSeconds * 1000,
        foreverOverLimitMs: { median: median(forever), max: Math.max(...forever), stopped: forever.length },
        memoryBombStoppedMs: { median: median(bomb), max: Math.max(...bomb), stopped: bomb.length },
        goalSlackMs: GOALS.stopSlackMs,
        met: forever.length === 5 && Math.max(...forever) <= GOALS.stopSlackMs && bomb.length === 5,
      },
    })
  } finally {
    await sandbox.stop()
    await Promise.all(nodes.map((node) => node.stop()))
    await Promise.all(nodes.map((node) => rm(node.dataDir, { recursive: true, force: true })))
  }
}
