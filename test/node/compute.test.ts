/**
 * Issue 5's jobs on real node processes: a job submitted on one node runs on another and its
 * result verifies; replicas land on distinct nodes; hostile modules are stopped with their
 * reasons; a malformed module is refused at submission; jobs queue and drain when cores are
 * short; and a run whose node is SIGKILLed completes elsewhere from its last checkpoint.
 */
import assert from 'node:assert/strict'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import type { ApiClient } from '../../shared/api/client.ts'
import type { JobDetail, JobSummary } from '../../shared/api/compute-schemas.ts'
import { GridNodeError } from '../../shared/errors.ts'
import { waitForJobs } from '../../main/cli/commands/job.ts'
import { JOB_MODULES, loadJobModule, type JobModuleName } from '../../main/compute/modules/index.ts'
import { createSandbox } from '../../main/compute/sandbox/index.ts'
import { cliErrorCode, runCli, runCliJson } from '../harness/cli.ts'
import { formVo, startNode, startNodes, WAIT_TIMEOUT_MS, type NodeProcess } from '../harness/node-process.ts'

const base64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64')
const u32s = (...values: number[]): Uint8Array => {
  const bytes = new Uint8Array(values.length * 4)
  values.forEach((value, i) => new DataView(bytes.buffer).setUint32(i * 4, value, true))
  return bytes
}
function fnv1a(bytes: Uint8Array): Uint8Array {
  let hash = 0x811c9dc5
  for (const byte of bytes) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0
  return u32s(hash)
}

async function submit(node: NodeProcess, name: JobModuleName, input: Uint8Array, extra: { replicas?: number; maxSeconds?: number; memoryBytes?: number } = {}): Promise<JobDetail> {
  return node.client.jobSubmit({ module: base64(await loadJobModule(name)), entry: JOB_MODULES[name].entry, input: base64(input), label: name, ...extra })
}

/** Resolves with the job once `predicate` holds, following the node's job events. */
async function waitForJob(client: ApiClient, id: string, predicate: (job: JobSummary) => boolean, what: string, timeoutMs = WAIT_TIMEOUT_MS): Promise<JobSummary> {
  const abort = new AbortController()
  let timer: NodeJS.Timeout | undefined
  try {
    return await new Promise<JobSummary>((resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out waiting for job ${id} to be ${what}`)), timeoutMs)
      let caughtUp = false
      client
        .subscribe((event) => {
          if (event.type === 'job' && event.data.id === id && predicate(event.data)) resolve(event.data)
          else if (event.type === 'status' && !caughtUp) {
            caughtUp = true
            client.jobs({}).then((jobs) => jobs.filter((job) => job.id === id && predicate(job)).forEach(resolve), reject)
          }
        }, abort.signal)
        .catch(reject)
    })
  } finally {
    clearTimeout(timer)
    abort.abort()
  }
}

const ended = (job: JobSummary): boolean => job.state !== 'queued' && job.state !== 'running'

/** Nodes offering `cores` each; the first submits and offers `submitterCores`. */
async function computeVo(t: Parameters<typeof startNodes>[0], names: string[], { cores = 1, submitterCores = 0 } = {}): Promise<NodeProcess[]> {
  const nodes = await startNodes(t, names)
  await formVo(nodes)
  await Promise.all(nodes.map((node, i) => node.client.contribute({ cores: i === 0 ? submitterCores : cores })))
  // Discovery finds the others once they registered their offer with the super-peer.
  const [submitter] = nodes
  for (;;) {
    const found = await submitter!.client.discover({ cores: 1, want: names.length - 1 })
    if (found.candidates.filter((c) => c.cores >= cores).length >= names.length - 1) break
    await submitter!.waitForStatus(() => true, 'an overlay change')
  }
  return nodes
}

test('a job submitted on one node runs on another and its verified result can be fetched', async (t) => {
  const [submitter, worker] = await computeVo(t, ['submitter', 'worker'])
  const input = new TextEncoder().encode('GridNode turns idle cores into the VO’s')
  const dir = await mkdtemp(join(tmpdir(), 'gridnode-job-'))
  const moduleFile = join(dir, 'checksum.wasm')
  const inputFile = join(dir, 'input.bin')
  await writeFile(moduleFile, await loadJobModule('checksum'))
  await writeFile(inputFile, input)

  const { id } = await runCliJson<{ id: string }>(['job', 'submit', moduleFile, '--entry', 'checksum', '--input', inputFile, '--data', submitter!.dataDir])
  const done = await waitForJob(submitter!.client, id, ended, 'done')
  assert.equal(done.state, 'done', JSON.stringify(done.error))
  assert.deepEqual(done.nodes, [worker!.peerId], 'it ran on the other node')

  const out = join(dir, 'out.bin')
  const result = await runCli(['job', 'result', id, out, '--data', submitter!.dataDir])
  assert.equal(result.code, 0, result.stderr)
  assert.deepEqual(new Uint8Array(await readFile(out)), fnv1a(input), 'the output is what the module computes')

  const detail = await runCliJson<JobDetail>(['job', id, '--data', submitter!.dataDir])
  assert.equal(detail.result?.agreeing, 1)
  assert.equal(detail.runs[0]?.node, worker!.peerId)
  assert.equal(typeof detail.checkpointPolicy.weight, 'number')
  const listed = await runCliJson<JobSummary[]>(['jobs', '--data', submitter!.dataDir])
  assert.deepEqual(listed.map((job) => [job.id, job.state]), [[id, 'done']])
  const status = await submitter!.client.status({})
  assert.equal(status.jobs?.done, 1)

  // The worker's audit log holds the CPU it spent for the submitter.
  const accounting = await worker!.client.accounting({})
  const usage = accounting.members.find((m) => m.member === submitter!.peerId)
  assert.equal(usage?.runs, 1)
  assert.equal(accounting.log[0]?.kind, 'cpu')
})

test('replicas run on distinct nodes and the result is accepted when they agree', async (t) => {
  const nodes = await computeVo(t, ['submitter', 'w1', 'w2', 'w3'], { cores: 2 })
  const submitter = nodes[0]!
  const input = u32s(200, 1000)
  const job = await submit(submitter, 'counter', input, { replicas: 3 })
  await waitForJob(submitter.client, job.id, ended, 'done')
  const detail = await submitter.client.job({ id: job.id })
  assert.equal(detail.state, 'done', JSON.stringify(detail.error))
  const counted = detail.runs.filter((run) => run.state === 'done' || run.state === 'cancelled' || run.state === 'running')
  const used = counted.map((run) => run.node)
  assert.equal(new Set(used).size, used.length, 'no node ran two replicas')
  assert.ok(detail.result!.agreeing >= 2)
  assert.ok(used.every((node) => node !== submitter.peerId))
})

test('a job that loops forever and a memory bomb are stopped at their limits with their reasons', async (t) => {
  const [submitter] = await computeVo(t, ['submitter', 'worker'], { cores: 2 })
  const forever = await submit(submitter!, 'forever', new Uint8Array(), { maxSeconds: 1 })
  const bomb = await submit(submitter!, 'memory-bomb', new Uint8Array(), { memoryBytes: 4 * 2 ** 20 })
  const [looped, bombed] = await Promise.all([waitForJob(submitter!.client, forever.id, ended, 'stopped'), waitForJob(submitter!.client, bomb.id, ended, 'stopped')])
  assert.equal(looped.state, 'failed')
  assert.equal(looped.error?.code, 'JOB_TIMEOUT')
  assert.equal(bombed.state, 'failed')
  assert.equal(bombed.error?.code, 'JOB_MEMORY')
  const result = await runCli(['job', 'result', forever.id, join(tmpdir(), 'never.bin'), '--data', submitter!.dataDir])
  assert.equal(cliErrorCode(result), 'JOB_TIMEOUT')
})

test('a malformed module is refused at submission with INVALID_MODULE', async (t) => {
  const [node] = await startNodes(t, ['submitter'])
  await assert.rejects(
    node!.client.jobSubmit({ module: base64(new TextEncoder().encode('not wasm at all')), entry: 'main' }),
    (err: unknown) => err instanceof GridNodeError && err.code === 'INVALID_MODULE',
  )
  await assert.rejects(
    node!.client.jobSubmit({ module: base64(await loadJobModule('checksum')), entry: 'nope' }),
    (err: unknown) => err instanceof GridNodeError && err.code === 'INVALID_MODULE',
  )
  assert.deepEqual(await node!.client.jobs({}), [], 'nothing was queued')
})

test('jobs wait while the VO has no free core and drain as cores free, never dropped', async (t) => {
  const [submitter, worker] = await computeVo(t, ['submitter', 'worker'], { cores: 1 })
  const jobs = []
  // Each job long enough (0.6 s of CPU) that none can finish while the five are submitted.
  for (let i = 0; i < 5; i++) jobs.push(await submit(submitter!, 'counter', counterInput(0.6)))
  // One core: one job on it and one next in its queue; the rest wait at the submitter.
  await submitter!.waitForStatus((s) => (s.jobs?.queued ?? 0) >= 3, 'jobs to queue')
  const onWorker = await worker!.waitForStatus((s) => (s.jobs?.runningHere ?? 0) >= 1, 'the worker to run one')
  assert.equal(onWorker.jobs?.runningHere, 1, 'one core: one job at a time')
  await waitForJobs(submitter!.client, jobs.map((job) => job.id))
  const done = await submitter!.client.jobs({})
  assert.ok(done.every((job) => job.state === 'done' && job.nodes[0] === worker!.peerId))
})

/** A checkpointable job of about `seconds` of CPU: the counter module's steps of 10 M iterations. */
const counterInput = (seconds: number): Uint8Array => u32s(Math.round(seconds * 100), 10_000_000)

/** What the counter module computes for `input` when nothing interrupts it, run here in a real sandbox. */
async function uninterrupted(input: Uint8Array): Promise<Uint8Array> {
  const sandbox = createSandbox({ workers: 1 })
  try {
    const { output } = await sandbox.run({ module: await loadJobModule('counter'), entry: JOB_MODULES.counter.entry, input, maxSeconds: 120, memoryBytes: 2 ** 20 })
    return output
  } finally {
    await sandbox.stop()
  }
}

async function output(node: NodeProcess, id: string): Promise<Uint8Array> {
  return new Uint8Array(Buffer.from((await node.client.jobResult({ id })).output, 'base64'))
}

test('SIGKILL of the executing node mid-job: the job completes on another node from its last checkpoint', async (t) => {
  const [submitter, w1, w2] = await computeVo(t, ['submitter', 'w1', 'w2'])
  const input = counterInput(5)
  const expected = uninterrupted(input)
  const job = await submit(submitter!, 'counter', input, { maxSeconds: 120 })
  await waitForJob(submitter!.client, job.id, (j) => j.checkpoints >= 1, 'checkpointed')
  const running = (await submitter!.client.job({ id: job.id })).runs.find((run) => run.state === 'running')!
  const victim = [w1!, w2!].find((node) => node.peerId === running.node)!
  const survivor = [w1!, w2!].find((node) => node !== victim)!
  assert.equal((await victim.signal('SIGKILL')).signal, 'SIGKILL')

  const done = await waitForJob(submitter!.client, job.id, ended, 'done', 60_000)
  assert.equal(done.state, 'done', JSON.stringify(done.error))
  const detail = await submitter!.client.job({ id: job.id })
  const lost = detail.runs.find((run) => run.node === victim.peerId)!
  const finished = detail.runs.find((run) => run.state === 'done')!
  assert.equal(lost.state, 'lost')
  assert.equal(finished.node, survivor.peerId)
  assert.ok(finished.resumedFrom !== null && finished.resumedFrom >= 1, `resumed from checkpoint ${finished.resumedFrom}`)
  assert.deepEqual(await output(submitter!, job.id), await expected, 'resuming gave the same result as an uninterrupted run')
})

test("a node's offer dropping mid-job (the path only-when-idle takes) pauses the run within 2 s; it resumes from its checkpoint when cores return", async (t) => {
  const [submitter, worker] = await computeVo(t, ['submitter', 'worker'])
  const input = counterInput(5)
  const expected = uninterrupted(input)
  const job = await submit(submitter!, 'counter', input, { maxSeconds: 120 })
  await waitForJob(submitter!.client, job.id, (j) => j.checkpoints >= 1, 'checkpointed')

  const pausedAt = performance.now()
  await worker!.client.contribute({ cores: 0 })
  await worker!.waitForStatus((s) => s.jobs?.runningHere === 0, 'the worker to stop its run')
  assert.ok(performance.now() - pausedAt <= 2000, `stopped after ${Math.round(performance.now() - pausedAt)} ms`)
  const waiting = await waitForJob(submitter!.client, job.id, (j) => j.state === 'queued', 'waiting again')
  assert.equal(waiting.state, 'queued', 'the job waits: the paused node is not offered it, nobody else has a core')

  await worker!.client.contribute({ cores: 1 })
  const done = await waitForJob(submitter!.client, job.id, ended, 'done', 60_000)
  assert.equal(done.state, 'done', JSON.stringify(done.error))
  const runs = (await submitter!.client.job({ id: job.id })).runs
  assert.equal(runs[0]?.state, 'lost')
  assert.ok((runs.at(-1)?.resumedFrom ?? 0) >= 1, 'the second run resumed from a checkpoint')
  assert.deepEqual(await output(submitter!, job.id), await expected)
})

test('a restarted submitter keeps its jobs: results of done ones, and queued ones that then run', async (t) => {
  const [submitter, worker] = await computeVo(t, ['submitter', 'worker'])
  const first = await submit(submitter!, 'checksum', u32s(1, 2, 3))
  await waitForJob(submitter!.client, first.id, ended, 'done')
  await worker!.client.contribute({ cores: 0 })
  const waiting = [await submit(submitter!, 'checksum', u32s(4)), await submit(submitter!, 'checksum', u32s(5))]
  // Killed outright: a submission that was answered is already stored.
  await submitter!.signal('SIGKILL')
  const again = await startNode({ name: 'submitter-again', dataDir: submitter!.dataDir })
  t.after(() => again.stop())
  const jobs = await again.client.jobs({})
  assert.deepEqual(jobs.map((job) => [job.id, job.state]), [[first.id, 'done'], [waiting[0]!.id, 'queued'], [waiting[1]!.id, 'queued']])
  assert.deepEqual(await output(again, first.id), fnv1a(u32s(1, 2, 3)))
  await again.waitForStatus((s) => s.peers.some((peer) => peer.peerId === worker!.peerId), 'the submitter to reconnect')
  await worker!.client.contribute({ cores: 1 })
  await waitForJobs(again.client, waiting.map((job) => job.id))
  assert.deepEqual(await output(again, waiting[1]!.id), fnv1a(u32s(5)))
})
