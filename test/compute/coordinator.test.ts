/**
 * The job coordinator core, driven in-process by a small simulated VO: executors with cores that
 * run jobs for a number of ticks, send progress, checkpoints and results through a lossy channel,
 * refuse work when full, and die. Time is virtual and every run is seeded.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { MAX_LOSSES_PER_SLOT, REPLICA_SILENCE_MS } from '../../main/compute/constants.ts'
import { createCoordinator, majorityOf, type Coordinator, type CoordinatorInput, type CoordinatorOutput, type Job, type JobSpec } from '../../main/compute/coordinator.ts'
import { seededRandom } from '../../main/util/random.ts'

const STEP_MS = 50

interface SimRun {
  job: string
  run: string
  /** Work left, ms; a resumed run skips what its checkpoint saved. */
  leftMs: number
  doneMs: number
  checkpointSeq: number
  /** The answer this executor gives: honest, or a wrong one. */
  hash: string
}

interface SimNode {
  cores: number
  alive: boolean
  liar: boolean
  /** Reports a final error for every job instead of running it. */
  fails?: string
  running: Map<string, SimRun>
}

interface SimInit {
  nodes: Record<string, { cores: number; liar?: boolean; fails?: string }>
  /** Share of executor messages (progress, checkpoints, results, acceptances) lost on the way. */
  loss?: number
  seed?: number
  /** How long a job runs, ms. */
  workMs?: number
  /** An executor checkpoints this often (0: the module is not checkpointable). */
  checkpointMs?: number
}

function simulateVo(init: SimInit) {
  const random = seededRandom(init.seed ?? 1)
  const coordinator: Coordinator = createCoordinator()
  const nodes = new Map<string, SimNode>(Object.entries(init.nodes).map(([peer, n]) => [peer, { cores: n.cores, alive: true, liar: n.liar ?? false, ...(n.fails === undefined ? {} : { fails: n.fails }), running: new Map() }]))
  const workMs = init.workMs ?? 1000
  const checkpointMs = init.checkpointMs ?? 0
  /** What the runtime keeps: each slot's checkpoint (how much work it saved), by job and slot. */
  const checkpoints = new Map<string, number>()
  const dispatched: Array<Extract<CoordinatorOutput, { type: 'dispatch' }>> = []
  const aborted = new Set<string>()
  const discoveries: number[] = []
  let now = 0
  let pendingDiscovery = false
  /** Checkpoint progress each run reported, by run: what keep-checkpoint stores for its slot. */
  const offeredCheckpoint = new Map<string, number>()

  const lossy = (): boolean => random() < (init.loss ?? 0)

  const feed = (input: CoordinatorInput): void => {
    for (const output of coordinator.handle(input)) act(output)
  }

  function act(output: CoordinatorOutput): void {
    switch (output.type) {
      case 'discover':
        discoveries.push(now)
        pendingDiscovery = true
        return
      case 'dispatch': {
        dispatched.push(output)
        const node = nodes.get(output.node)!
        if (!node.alive) return void queueMicrotask(() => feed({ type: 'refused', now, run: output.run, reason: 'unreachable' }))
        if (node.running.size >= node.cores) return void queueMicrotask(() => feed({ type: 'refused', now, run: output.run, reason: 'busy' }))
        if (node.fails !== undefined) return void queueMicrotask(() => {
          feed({ type: 'accepted', now, run: output.run })
          feed({ type: 'failed', now, run: output.run, error: { code: node.fails!, message: 'stopped at its limit' } })
        })
        const saved = output.resume ? (checkpoints.get(`${output.job}/${output.slot}`) ?? 0) : 0
        node.running.set(output.run, { job: output.job, run: output.run, leftMs: workMs - saved, doneMs: saved, checkpointSeq: 0, hash: node.liar ? `wrong-${output.node}` : `right-${output.job}` })
        if (!lossy()) queueMicrotask(() => feed({ type: 'accepted', now, run: output.run }))
        return
      }
      case 'abort':
        aborted.add(output.run)
        for (const node of nodes.values()) node.running.delete(output.run)
        return
      case 'keep-checkpoint':
        checkpoints.set(`${output.job}/${output.slot}`, offeredCheckpoint.get(output.run) ?? 0)
        return
      default:
        return
    }
  }

  const step = async (): Promise<void> => {
    now += STEP_MS
    if (pendingDiscovery) {
      pendingDiscovery = false
      // Discovery is as stale as a real index: dead nodes stay listed until they time out there.
      feed({ type: 'candidates', now, candidates: [...nodes].map(([peer, n]) => ({ peer, cores: n.cores })) })
    }
    for (const node of nodes.values()) {
      if (!node.alive) continue
      for (const run of [...node.running.values()]) {
        run.leftMs -= STEP_MS
        run.doneMs += STEP_MS
        if (run.leftMs <= 0) {
          node.running.delete(run.run)
          if (!lossy()) feed({ type: 'result', now, run: run.run, hash: run.hash, cpuMs: workMs, wallMs: workMs })
          continue
        }
        if (checkpointMs > 0 && run.doneMs % checkpointMs === 0) {
          offeredCheckpoint.set(run.run, run.doneMs)
          if (!lossy()) feed({ type: 'checkpoint', now, run: run.run, seq: ++run.checkpointSeq, intervalMs: checkpointMs })
        } else if (!lossy()) feed({ type: 'progress', now, run: run.run, fraction: run.doneMs / workMs })
      }
    }
    await Promise.resolve()
    if (coordinator.nextDeadline() <= now) feed({ type: 'tick', now })
  }

  return {
    coordinator,
    nodes,
    dispatched,
    aborted,
    discoveries,
    checkpoints,
    feed,
    get now() {
      return now
    },
    submit(id: string, spec: Partial<JobSpec> = {}) {
      feed({ type: 'submit', now, id, spec: { entry: 'run', replicas: 1, maxSeconds: 60, memoryBytes: 1 << 20, checkpointable: checkpointMs > 0, ...spec } })
    },
    /** The node dies: its connections close, so the coordinator hears of each run's loss. */
    kill(peer: string, { silently = false } = {}) {
      const node = nodes.get(peer)!
      node.alive = false
      for (const run of node.running.keys()) if (!silently) feed({ type: 'lost', now, cause: 'gone', run, reason: `${peer} closed` })
      node.running.clear()
    },
    async runUntil(done: () => boolean, limitMs = 600_000) {
      while (!done()) {
        if (now > limitMs) throw new Error(`not done after ${limitMs} virtual ms: ${JSON.stringify(coordinator.counts())}`)
        await step()
      }
    },
    allOver: () => coordinator.jobs().every((job) => job.state === 'done' || job.state === 'failed' || job.state === 'cancelled'),
  }
}

const nodesOf = (job: Job) => job.runs.map((run) => run.node)

test('a job runs on a discovered node and its result is accepted', async () => {
  const vo = simulateVo({ nodes: { a: { cores: 1 } } })
  vo.submit('j1')
  await vo.runUntil(vo.allOver)
  const job = vo.coordinator.job('j1')!
  assert.equal(job.state, 'done')
  assert.deepEqual(nodesOf(job), ['a'])
  assert.equal(job.result?.hash, 'right-j1')
})

test('replicas run on distinct nodes and a majority of hashes decides', async () => {
  const vo = simulateVo({ nodes: { a: { cores: 4 }, b: { cores: 4 }, c: { cores: 4 } } })
  vo.submit('j1', { replicas: 3 })
  await vo.runUntil(vo.allOver)
  const job = vo.coordinator.job('j1')!
  assert.equal(job.state, 'done')
  const used = job.runs.filter((run) => run.state !== 'cancelled').map((run) => run.node)
  assert.equal(new Set(used).size, used.length, 'no node runs two replicas of one job')
  assert.ok(job.result!.agreeing >= majorityOf(3))
})

test('a disagreement is retried on another node; a lying node is outvoted', async () => {
  const vo = simulateVo({ nodes: { liar: { cores: 1, liar: true }, b: { cores: 1 }, c: { cores: 1 } } })
  vo.submit('j1', { replicas: 2 })
  await vo.runUntil(vo.allOver)
  const job = vo.coordinator.job('j1')!
  assert.equal(job.state, 'done')
  assert.equal(job.result?.hash, 'right-j1')
  assert.equal(job.result?.agreeing, 2)
  assert.equal(job.slots.length, 3, 'one extra replica settled the disagreement')
  assert.equal(new Set(nodesOf(job)).size, 3)
})

test('a job whose results cannot agree fails as unverified instead of running forever', async () => {
  const vo = simulateVo({ nodes: { l1: { cores: 1, liar: true }, l2: { cores: 1, liar: true }, l3: { cores: 1, liar: true }, l4: { cores: 1, liar: true } } })
  vo.submit('j1', { replicas: 2 })
  await vo.runUntil(vo.allOver)
  assert.equal(vo.coordinator.job('j1')!.state, 'failed')
  assert.equal(vo.coordinator.job('j1')!.error?.code, 'JOB_UNVERIFIED')
})

test('jobs wait when the VO is full and drain in submission order as cores free', async () => {
  const vo = simulateVo({ nodes: { a: { cores: 1 }, b: { cores: 1 } } })
  for (let i = 0; i < 20; i++) vo.submit(`j${i}`)
  let maxRunning = 0
  await vo.runUntil(() => {
    maxRunning = Math.max(maxRunning, vo.coordinator.counts().running)
    return vo.allOver()
  })
  assert.equal(vo.coordinator.counts().done, 20)
  assert.ok(maxRunning <= 2, `at most one job per offered core (saw ${maxRunning})`)
  const starts = vo.coordinator.jobs().map((job) => job.startedAt!)
  assert.deepEqual(starts, [...starts].sort((x, y) => x - y), 'first submitted, first started')
  // Freed cores are refilled from what discovery found; while the VO stays full, it is asked less and less often.
  assert.ok(vo.discoveries.length <= 8, `${vo.discoveries.length} discoveries for 20 jobs`)
})

test('a node that answers BUSY is left alone for a while and the job goes elsewhere or waits', async () => {
  const vo = simulateVo({ nodes: { a: { cores: 1 }, b: { cores: 1 } } })
  // Someone else's job fills a: it refuses every offer.
  vo.nodes.get('a')!.running.set('other', { job: 'other', run: 'other', leftMs: 3000, doneMs: 0, checkpointSeq: 0, hash: 'x' })
  vo.submit('j1')
  vo.submit('j2')
  await vo.runUntil(vo.allOver)
  assert.equal(vo.coordinator.counts().done, 2)
  const refusedOnA = vo.dispatched.filter((d) => d.node === 'a').length
  assert.ok(refusedOnA <= 6, `a was not hammered while busy (${refusedOnA} offers)`)
})

test("a run lost with its node resumes on another node from its slot's last checkpoint", async () => {
  const vo = simulateVo({ nodes: { a: { cores: 1 }, b: { cores: 1 } }, workMs: 2000, checkpointMs: 500 })
  vo.submit('j1')
  await vo.runUntil(() => (vo.coordinator.job('j1')!.runs[0]?.checkpoints ?? 0) >= 2)
  const first = vo.coordinator.job('j1')!.runs[0]!
  vo.kill(first.node)
  await vo.runUntil(vo.allOver)
  const job = vo.coordinator.job('j1')!
  assert.equal(job.state, 'done')
  const [lost, resumed] = job.runs
  assert.equal(lost?.state, 'lost')
  assert.equal(resumed?.state, 'done')
  assert.notEqual(resumed?.node, lost?.node)
  assert.equal(resumed?.resumedFrom, 2, 'resumed from the second checkpoint')
  assert.ok(vo.dispatched.at(-1)?.resume)
  assert.equal(job.slots[0]!.losses, 1)
})

test('a silent node (half-open connection) is declared lost after the silence timeout', async () => {
  const vo = simulateVo({ nodes: { a: { cores: 1 }, b: { cores: 1 } }, workMs: 30_000 })
  vo.submit('j1')
  await vo.runUntil(() => vo.coordinator.job('j1')!.state === 'running')
  const victim = vo.coordinator.job('j1')!.runs[0]!.node
  const killedAt = vo.now
  vo.kill(victim, { silently: true })
  await vo.runUntil(() => vo.coordinator.job('j1')!.runs.length === 2)
  assert.ok(vo.now - killedAt >= REPLICA_SILENCE_MS && vo.now - killedAt < REPLICA_SILENCE_MS + 1000, `replaced after ${vo.now - killedAt} ms`)
  assert.equal(vo.coordinator.job('j1')!.runs[0]!.state, 'lost')
  assert.ok(vo.aborted.has(vo.coordinator.job('j1')!.runs[0]!.id), "the silent run's stream is closed")
})

test('with lost messages and node deaths every job still completes, each slot counted once', async () => {
  const vo = simulateVo({ nodes: { a: { cores: 2 }, b: { cores: 2 }, c: { cores: 2 }, d: { cores: 2 } }, loss: 0.15, seed: 7, workMs: 1500, checkpointMs: 250 })
  for (let i = 0; i < 20; i++) vo.submit(`j${i}`, { replicas: i % 3 === 0 ? 3 : 1 })
  await vo.runUntil(() => vo.now >= 2000)
  vo.kill('a')
  await vo.runUntil(() => vo.now >= 4000)
  vo.kill('b', { silently: true })
  await vo.runUntil(vo.allOver)
  for (const job of vo.coordinator.jobs()) {
    assert.equal(job.state, 'done', `${job.id}: ${job.error?.message}`)
    assert.equal(job.result?.hash, `right-${job.id}`)
    assert.ok(job.slots.filter((slot) => slot.hash !== null).length >= majorityOf(job.spec.replicas))
    const finished = job.runs.filter((run) => run.state === 'done').map((run) => run.node)
    assert.equal(new Set(finished).size, finished.length, `${job.id}: results from distinct nodes`)
  }
  assert.equal(vo.coordinator.waiting(), 0)
})

test('an error of the job itself ends it: not retried, its other replicas stopped', async () => {
  const vo = simulateVo({ nodes: { bad: { cores: 1, fails: 'JOB_TIMEOUT' }, b: { cores: 1 } }, workMs: 5000 })
  vo.submit('j1', { replicas: 2 })
  await vo.runUntil(vo.allOver)
  const job = vo.coordinator.job('j1')!
  assert.equal(job.state, 'failed')
  assert.equal(job.error?.code, 'JOB_TIMEOUT')
  assert.equal(job.runs.length, 2, 'not retried elsewhere')
  const other = job.runs.find((run) => run.node === 'b')!
  assert.equal(other.state, 'cancelled')
  assert.ok(vo.aborted.has(other.id))
})

test('cancel stops the running replicas and the job never runs again', async () => {
  const vo = simulateVo({ nodes: { a: { cores: 1 }, b: { cores: 1 } }, workMs: 10_000 })
  vo.submit('j1', { replicas: 2 })
  await vo.runUntil(() => vo.coordinator.job('j1')!.state === 'running')
  vo.feed({ type: 'cancel', now: vo.now, job: 'j1' })
  const job = vo.coordinator.job('j1')!
  assert.equal(job.state, 'cancelled')
  assert.ok(job.runs.every((run) => vo.aborted.has(run.id)))
  const offers = vo.dispatched.length
  await vo.runUntil(() => vo.now > 20_000)
  assert.equal(vo.dispatched.length, offers)
})

test('news from a run that was already replaced is ignored', async () => {
  const vo = simulateVo({ nodes: { a: { cores: 1 }, b: { cores: 1 } }, workMs: 5000 })
  vo.submit('j1')
  await vo.runUntil(() => vo.coordinator.job('j1')!.state === 'running')
  const first = vo.coordinator.job('j1')!.runs[0]!
  vo.feed({ type: 'lost', now: vo.now, run: first.id, cause: 'gone', reason: 'closed' })
  vo.feed({ type: 'result', now: vo.now, run: first.id, hash: 'late', cpuMs: 1, wallMs: 1 })
  assert.equal(vo.coordinator.job('j1')!.slots[0]!.hash, null)
  await vo.runUntil(vo.allOver)
  assert.equal(vo.coordinator.job('j1')!.result?.hash, 'right-j1')
})

test('a pause sends the run elsewhere without counting against the job', async () => {
  const vo = simulateVo({ nodes: { a: { cores: 1 }, b: { cores: 1 } }, workMs: 2000, checkpointMs: 500 })
  vo.submit('j1')
  for (let i = 0; i < MAX_LOSSES_PER_SLOT + 2; i++) {
    await vo.runUntil(() => vo.coordinator.job('j1')!.state === 'running')
    const run = vo.coordinator.job('j1')!.runs.at(-1)!
    vo.nodes.get(run.node)!.running.delete(run.id)
    vo.feed({ type: 'lost', now: vo.now, run: run.id, cause: 'paused', reason: 'the node is busy for its user' })
  }
  await vo.runUntil(vo.allOver)
  assert.equal(vo.coordinator.job('j1')!.state, 'done')
  assert.equal(vo.coordinator.job('j1')!.slots[0]!.losses, 0)
})

test('jobs restored after a restart wait again and resume from their checkpoints', async () => {
  const vo = simulateVo({ nodes: { a: { cores: 1 } }, workMs: 3000, checkpointMs: 500 })
  vo.submit('j1')
  vo.submit('j2')
  await vo.runUntil(() => (vo.coordinator.job('j1')!.runs[0]?.checkpoints ?? 0) >= 3)
  const saved: Job[] = JSON.parse(JSON.stringify(vo.coordinator.jobs()))

  const restarted = createCoordinator()
  const outputs = restarted.handle({ type: 'restore', now: vo.now, jobs: saved })
  assert.deepEqual(restarted.jobs().map((job) => job.state), ['queued', 'queued'])
  assert.ok(outputs.some((o) => o.type === 'discover'), 'restored work asks for nodes at once')
  const placed = restarted.handle({ type: 'candidates', now: vo.now, candidates: [{ peer: 'a', cores: 1 }] })
  const dispatch = placed.find((o) => o.type === 'dispatch')
  assert.deepEqual(dispatch && { job: dispatch.job, resume: dispatch.resume }, { job: 'j1', resume: true }, 'the oldest job first, from its checkpoint')
  assert.equal(restarted.job('j1')!.runs.at(-1)!.resumedFrom, 3)
  assert.notEqual(restarted.job('j1')!.runs.at(-1)!.id, restarted.job('j1')!.runs[0]!.id, 'new runs get new ids')
})

test('while no node is found, work waits and discovery is retried later, never in a busy loop', () => {
  const coordinator = createCoordinator()
  coordinator.handle({ type: 'submit', now: 0, id: 'j1', spec: { entry: 'run', replicas: 2, maxSeconds: 1, memoryBytes: 1 << 20, checkpointable: false } })
  coordinator.handle({ type: 'discovery-failed', now: 1000 })
  assert.equal(coordinator.waiting(), 2)
  assert.ok(coordinator.nextDeadline() > 1000 && Number.isFinite(coordinator.nextDeadline()))
})
