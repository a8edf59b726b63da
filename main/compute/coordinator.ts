/**
 * The submitter's job coordinator as a pure state machine: submissions, discovery answers and what
 * executors report go in with the time; placements, aborts and bookkeeping effects come out. The
 * runtime opens the streams, stores the bytes and fires one timer at nextDeadline().
 *
 * A job asks for R replicas. Each replica runs in a slot of its own, on a node no other slot of the
 * job uses. A slot is done when its run returns an output hash; the job is done once a majority of
 * R slots agree on one hash (volunteer-computing validation). A run lost with its node (connection
 * closed, silence, the node pausing) goes back to waiting and resumes on another node from its
 * slot's last checkpoint; a disagreement adds slots until a majority is possible again. Errors of
 * the job itself (timeout, memory, trap, invalid module) end it. Work that finds no capacity waits,
 * in submission order, and is never dropped (the seed's fork-delay).
 */
import {
  BUSY_BACKOFF_MAX_MS,
  BUSY_BACKOFF_MIN_MS,
  DISCOVERY_RETRY_MAX_MS,
  DISCOVERY_RETRY_MIN_MS,
  DISCOVERY_WANT_MAX,
  EXTRA_REPLICAS_FACTOR,
  MAX_LOSSES_PER_SLOT,
  OFFER_TIMEOUT_MS,
  REPLICA_SILENCE_MS,
  runSlots,
  UNREACHABLE_BACKOFF_MAX_MS,
  UNREACHABLE_BACKOFF_MIN_MS,
} from './constants.ts'

export type PeerId = string

export interface JobSpec {
  entry: string
  replicas: number
  maxSeconds: number
  memoryBytes: number
  /** The module exports a checkpoint/restore pair. */
  checkpointable: boolean
}

/** A job is running once a node has taken one of its runs: on a core, or next in that node's queue (QUEUED_PER_CORE). */
export type JobState = 'queued' | 'running' | 'done' | 'failed' | 'cancelled'
export type RunState = 'offered' | 'running' | 'done' | 'failed' | 'lost' | 'cancelled'

export interface JobError {
  code: string
  message: string
}

/** One run of a slot on one node. */
export interface Run {
  id: string
  slot: number
  node: PeerId
  state: RunState
  offeredAt: number
  startedAt: number | null
  endedAt: number | null
  /** When the executor was last heard from. */
  heardAt: number
  progress: number
  checkpoints: number
  /** The executor's latest checkpoint interval, ms. */
  intervalMs: number | null
  /** The slot checkpoint this run resumed from, by its sequence number. */
  resumedFrom: number | null
  hash: string | null
  cpuMs: number | null
  wallMs: number | null
  error: JobError | null
}

export interface Slot {
  /** The latest checkpoint the runtime keeps for this slot. */
  checkpoint: { seq: number; at: number; run: string } | null
  hash: string | null
  losses: number
}

export interface Job {
  id: string
  /** Submission order: the queue is served by it. */
  seq: number
  /** Offers made so far, accepted or not: numbers the runs. */
  offers: number
  spec: JobSpec
  state: JobState
  createdAt: number
  startedAt: number | null
  endedAt: number | null
  slots: Slot[]
  runs: Run[]
  result: { hash: string; agreeing: number; cpuMs: number; wallMs: number } | null
  error: JobError | null
}

/** A node discovery found, with the cores it offers. */
export interface Candidate {
  peer: PeerId
  cores: number
}

export type RefusalReason = 'busy' | 'unreachable'

export type CoordinatorInput =
  | { type: 'submit'; now: number; id: string; spec: JobSpec }
  /** Jobs read back from the store at start: their runs died with the previous process. */
  | { type: 'restore'; now: number; jobs: Job[] }
  /** Discovery's answer, best first (the runtime adds this node when it offers cores). */
  | { type: 'candidates'; now: number; candidates: Candidate[] }
  | { type: 'discovery-failed'; now: number }
  /** Capacity may have appeared (this node offers more cores): waiting work looks again soon. */
  | { type: 'wake'; now: number }
  | { type: 'accepted'; now: number; run: string }
  | { type: 'refused'; now: number; run: string; reason: RefusalReason }
  /** Heard from a run's executor; with a fraction when it reported progress. */
  | { type: 'progress'; now: number; run: string; fraction: number | null }
  | { type: 'checkpoint'; now: number; run: string; seq: number; intervalMs: number | null }
  | { type: 'result'; now: number; run: string; hash: string; cpuMs: number; wallMs: number }
  /** An error of the job itself: final. */
  | { type: 'failed'; now: number; run: string; error: JobError }
  /**
   * The run stopped without its job's fault and goes elsewhere: its node is gone (connection
   * closed, stopped), or paused for its user (which does not count against the job).
   */
  | { type: 'lost'; now: number; run: string; cause: 'gone' | 'paused'; reason: string }
  | { type: 'cancel'; now: number; job: string }
  | { type: 'tick'; now: number }

export type CoordinatorOutput =
  | { type: 'discover'; want: number }
  /** Send the job to `node`; resume from `slot`'s kept checkpoint when `resume` is set. */
  | { type: 'dispatch'; job: string; run: string; slot: number; node: PeerId; resume: boolean }
  /** Stop a run: close its stream. */
  | { type: 'abort'; run: string }
  /** Keep the checkpoint the run just sent, as its slot's (replacing the previous one). */
  | { type: 'keep-checkpoint'; job: string; run: string; slot: number }
  /** Keep the output the run just sent, under its hash, until validation decides. */
  | { type: 'keep-output'; job: string; run: string; hash: string }
  /** The job is over (its result, if any, is `job.result`): its module, input, checkpoints and other outputs can go. */
  | { type: 'ended'; job: string }
  /** The job's record changed: persist it, tell subscribers. */
  | { type: 'changed'; job: string }

export interface CoordinatorCounts {
  queued: number
  running: number
  done: number
  failed: number
}

export interface Coordinator {
  handle(input: CoordinatorInput): CoordinatorOutput[]
  nextDeadline(): number
  job(id: string): Job | undefined
  /** Every job, in submission order. */
  jobs(): Job[]
  counts(): CoordinatorCounts
  /** Replica slots waiting for a node (counted up to DISCOVERY_WANT_MAX while no node has a free core). */
  waiting(): number
}

const ACTIVE_RUN: readonly RunState[] = ['offered', 'running']
const isActive = (run: Run): boolean => ACTIVE_RUN.includes(run.state)
const isOver = (job: Job): boolean => job.state === 'done' || job.state === 'failed' || job.state === 'cancelled'
/** Agreeing results needed: a majority of the replicas asked for. */
export const majorityOf = (replicas: number): number => Math.floor(replicas / 2) + 1

interface Backoff {
  until: number
  delayMs: number
}

export function createCoordinator(): Coordinator {
  const jobs = new Map<string, Job>()
  /** Jobs not over, in submission order (Map keeps insertion order). */
  const open = new Map<string, Job>()
  const runs = new Map<string, { job: Job; run: Run }>()
  /** This coordinator's active runs per node. */
  const load = new Map<PeerId, number>()
  const backoff = new Map<PeerId, Backoff>()
  let candidates: Candidate[] = []
  let discovering = false
  let discoveryDelay = DISCOVERY_RETRY_MIN_MS
  let nextDiscoveryAt = -Infinity
  let discoveredAt = -Infinity
  let seq = 0
  /** The time of the latest input: deadlines already past are not reported again. */
  let clock = -Infinity
  let waitingNow = 0
  let out: CoordinatorOutput[] = []
  const changed = new Set<string>()

  const touch = (job: Job): void => void changed.add(job.id)

  const loadOf = (node: PeerId): number => load.get(node) ?? 0
  const addLoad = (node: PeerId, delta: number): void => {
    const next = loadOf(node) + delta
    if (next <= 0) load.delete(node)
    else load.set(node, next)
  }

  const penalise = (node: PeerId, now: number, minMs: number, maxMs: number): void => {
    const previous = backoff.get(node)
    const delayMs = previous === undefined || previous.until + previous.delayMs < now ? minMs : Math.min(maxMs, previous.delayMs * 2)
    backoff.set(node, { until: now + delayMs, delayMs })
  }

  /** Ends a run that is still active; its node's slot frees. */
  const endRun = (job: Job, run: Run, state: RunState, now: number, notify: boolean): void => {
    if (!isActive(run)) return
    run.state = state
    run.endedAt = now
    addLoad(run.node, -1)
    runs.delete(run.id)
    if (notify) out.push({ type: 'abort', run: run.id })
    touch(job)
  }

  const endJob = (job: Job, state: 'done' | 'failed' | 'cancelled', now: number, error: JobError | null): void => {
    job.state = state
    job.endedAt = now
    job.error = error
    for (const run of job.runs) endRun(job, run, 'cancelled', now, true)
    open.delete(job.id)
    out.push({ type: 'ended', job: job.id })
    touch(job)
  }

  const slotBusy = (job: Job, slot: number): boolean => job.runs.some((run) => run.slot === slot && isActive(run))
  const pendingSlots = (job: Job): number[] => job.slots.flatMap((slot, i) => (slot.hash === null && !slotBusy(job, i) ? [i] : []))
  /** Nodes a new run of the job may not use: each replica on a distinct node. */
  const usedNodes = (job: Job): Set<PeerId> => new Set(job.runs.filter((run) => isActive(run) || run.state === 'done').map((run) => run.node))

  const refreshState = (job: Job): void => {
    if (isOver(job)) return
    const state = job.runs.some((run) => run.state === 'running') ? 'running' : 'queued'
    if (state !== job.state) {
      job.state = state
      touch(job)
    }
  }

  /** After a result: accept a majority, or add slots while one is still reachable. */
  const validate = (job: Job, now: number): void => {
    const tally = new Map<string, number>()
    for (const slot of job.slots) if (slot.hash !== null) tally.set(slot.hash, (tally.get(slot.hash) ?? 0) + 1)
    let best: [string, number] | undefined
    for (const entry of tally) if (best === undefined || entry[1] > best[1]) best = entry
    const needed = majorityOf(job.spec.replicas)
    if (best !== undefined && best[1] >= needed) {
      const [hash, agreeing] = best
      const accepted = job.runs.find((run) => run.state === 'done' && run.hash === hash)
      job.result = { hash, agreeing, cpuMs: accepted?.cpuMs ?? 0, wallMs: accepted?.wallMs ?? 0 }
      endJob(job, 'done', now, null)
      return
    }
    const unfinished = job.slots.filter((slot) => slot.hash === null).length
    const missing = needed - ((best?.[1] ?? 0) + unfinished)
    if (missing <= 0) return
    if (job.slots.length + missing > job.spec.replicas * (1 + EXTRA_REPLICAS_FACTOR)) {
      endJob(job, 'failed', now, { code: 'JOB_UNVERIFIED', message: `No ${needed} of the job's ${job.slots.length} results agreed.` })
      return
    }
    for (let i = 0; i < missing; i++) job.slots.push({ checkpoint: null, hash: null, losses: 0 })
    touch(job)
  }

  const lose = (job: Job, run: Run, now: number, reason: string, counts = true): void => {
    endRun(job, run, 'lost', now, true)
    run.error = { code: 'RUN_LOST', message: reason }
    const slot = job.slots[run.slot]!
    if (counts) slot.losses++
    if (slot.losses >= MAX_LOSSES_PER_SLOT) {
      endJob(job, 'failed', now, { code: 'JOB_LOST', message: `The job's runs were lost ${slot.losses} times (last: ${reason}).` })
    }
    refreshState(job)
  }

  const freeCores = (candidate: Candidate, now: number): number => {
    const off = backoff.get(candidate.peer)
    if (off !== undefined && off.until > now) return 0
    return runSlots(candidate.cores) - loadOf(candidate.peer)
  }

  const dispatch = (job: Job, slot: number, node: PeerId, now: number): void => {
    const checkpoint = job.slots[slot]!.checkpoint
    const run: Run = {
      id: `${job.id}.${++job.offers}`,
      slot,
      node,
      state: 'offered',
      offeredAt: now,
      startedAt: null,
      endedAt: null,
      heardAt: now,
      progress: 0,
      checkpoints: 0,
      intervalMs: null,
      resumedFrom: checkpoint?.seq ?? null,
      hash: null,
      cpuMs: null,
      wallMs: null,
      error: null,
    }
    job.runs.push(run)
    runs.set(run.id, { job, run })
    addLoad(node, 1)
    out.push({ type: 'dispatch', job: job.id, run: run.id, slot, node, resume: checkpoint !== null })
    touch(job)
  }

  /**
   * Places waiting slots, oldest job first, on the first candidates with a free core the job does
   * not use yet. Returns how many slots still wait; once no candidate has a core left, the count
   * stops at DISCOVERY_WANT_MAX, so a long queue costs nothing per report of a run.
   */
  const place = (now: number): number => {
    let waiting = 0
    let anyFree = candidates.some((c) => freeCores(c, now) > 0)
    for (const job of open.values()) {
      if (!anyFree && waiting >= DISCOVERY_WANT_MAX) break
      const slots = pendingSlots(job)
      if (slots.length === 0) continue
      const used = usedNodes(job)
      for (const slot of slots) {
        const node = anyFree ? candidates.find((c) => !used.has(c.peer) && freeCores(c, now) > 0) : undefined
        if (node === undefined) {
          waiting++
          continue
        }
        used.add(node.peer)
        if (job.startedAt === null) job.startedAt = now
        dispatch(job, slot, node.peer, now)
        anyFree = candidates.some((c) => freeCores(c, now) > 0)
      }
    }
    return waiting
  }

  const schedule = (now: number): void => {
    const waiting = place(now)
    waitingNow = waiting
    if (waiting === 0) {
      discoveryDelay = DISCOVERY_RETRY_MIN_MS
      return
    }
    if (discovering || now < nextDiscoveryAt) return
    discovering = true
    discoveredAt = now
    out.push({ type: 'discover', want: Math.min(DISCOVERY_WANT_MAX, waiting + 1) })
  }

  const onCandidates = (found: Candidate[], now: number): void => {
    discovering = false
    candidates = found.filter((c) => c.cores > 0)
    const before = out.length
    const waiting = place(now)
    const placedAny = out.slice(before).some((o) => o.type === 'dispatch')
    // Nothing fits: ask again later, more slowly while nothing changes.
    discoveryDelay = placedAny || waiting === 0 ? DISCOVERY_RETRY_MIN_MS : Math.min(DISCOVERY_RETRY_MAX_MS, discoveryDelay * 2)
    nextDiscoveryAt = now + discoveryDelay
  }

  /** News that may bring capacity ends the backoff: the next discovery comes at the shortest delay. */
  const lookSoon = (): void => {
    discoveryDelay = DISCOVERY_RETRY_MIN_MS
    nextDiscoveryAt = Math.min(nextDiscoveryAt, discoveredAt + DISCOVERY_RETRY_MIN_MS)
  }

  const restore = (restored: Job[], now: number): void => {
    for (const job of [...restored].sort((a, b) => a.seq - b.seq)) {
      jobs.set(job.id, job)
      seq = Math.max(seq, job.seq + 1)
      if (isOver(job)) continue
      open.set(job.id, job)
      // Their streams died with the previous process; each slot resumes from its checkpoint.
      for (const run of job.runs) {
        if (!isActive(run)) continue
        run.state = 'lost'
        run.endedAt = now
        run.error = { code: 'RUN_LOST', message: 'The submitter restarted.' }
        job.slots[run.slot]!.losses++
      }
      job.state = 'queued'
      touch(job)
    }
  }

  /** Deadlines: silent runs, slow offers, backoffs ending while work waits, the next discovery. */
  const onTick = (now: number): void => {
    for (const { job, run } of [...runs.values()]) {
      if (run.state === 'offered' && now - run.offeredAt >= OFFER_TIMEOUT_MS) {
        endRun(job, run, 'cancelled', now, true)
        job.runs.splice(job.runs.indexOf(run), 1)
        penalise(run.node, now, UNREACHABLE_BACKOFF_MIN_MS, UNREACHABLE_BACKOFF_MAX_MS)
      } else if (run.state === 'running' && now - run.heardAt >= REPLICA_SILENCE_MS) {
        penalise(run.node, now, UNREACHABLE_BACKOFF_MIN_MS, UNREACHABLE_BACKOFF_MAX_MS)
        lose(job, run, now, `No word from ${run.node} for ${REPLICA_SILENCE_MS / 1000} s.`)
      }
    }
    for (const [node, off] of backoff) if (off.until + off.delayMs < now) backoff.delete(node)
  }

  const active = (id: string): { job: Job; run: Run } | undefined => runs.get(id)

  const onRunInput = (input: Extract<CoordinatorInput, { run: string }>): void => {
    const found = active(input.run)
    // Late or duplicate news of a run already ended (lost, cancelled, replaced): ignored.
    if (found === undefined) return
    const { job, run } = found
    const now = input.now
    run.heardAt = now
    switch (input.type) {
      case 'accepted':
        if (run.state !== 'offered') return
        run.state = 'running'
        run.startedAt = now
        backoff.delete(run.node)
        touch(job)
        refreshState(job)
        return
      case 'refused':
        // Not a run at all: the offer goes back to waiting, the node is left alone for a while.
        endRun(job, run, 'cancelled', now, false)
        job.runs.splice(job.runs.indexOf(run), 1)
        if (input.reason === 'busy') penalise(run.node, now, BUSY_BACKOFF_MIN_MS, BUSY_BACKOFF_MAX_MS)
        else penalise(run.node, now, UNREACHABLE_BACKOFF_MIN_MS, UNREACHABLE_BACKOFF_MAX_MS)
        refreshState(job)
        return
      case 'progress':
        if (input.fraction !== null && input.fraction !== run.progress) {
          run.progress = Math.min(1, Math.max(0, input.fraction))
          touch(job)
        }
        return
      case 'checkpoint': {
        if (run.state !== 'running') return
        run.checkpoints++
        run.intervalMs = input.intervalMs
        job.slots[run.slot]!.checkpoint = { seq: input.seq, at: now, run: run.id }
        out.push({ type: 'keep-checkpoint', job: job.id, run: run.id, slot: run.slot })
        touch(job)
        return
      }
      case 'result':
        if (run.state !== 'running') return
        run.hash = input.hash
        run.cpuMs = input.cpuMs
        run.wallMs = input.wallMs
        run.progress = 1
        out.push({ type: 'keep-output', job: job.id, run: run.id, hash: input.hash })
        endRun(job, run, 'done', now, false)
        job.slots[run.slot]!.hash = input.hash
        validate(job, now)
        refreshState(job)
        return
      case 'failed':
        run.error = input.error
        endRun(job, run, 'failed', now, false)
        endJob(job, 'failed', now, input.error)
        return
      case 'lost':
        if (input.cause === 'paused') penalise(run.node, now, BUSY_BACKOFF_MIN_MS, BUSY_BACKOFF_MAX_MS)
        else penalise(run.node, now, UNREACHABLE_BACKOFF_MIN_MS, UNREACHABLE_BACKOFF_MAX_MS)
        lose(job, run, now, input.reason, input.cause === 'gone')
        return
    }
  }

  return {
    handle(input) {
      out = []
      changed.clear()
      const now = input.now
      clock = Math.max(clock, now)
      switch (input.type) {
        case 'submit': {
          const job: Job = {
            id: input.id,
            seq: seq++,
            offers: 0,
            spec: input.spec,
            state: 'queued',
            createdAt: now,
            startedAt: null,
            endedAt: null,
            slots: Array.from({ length: input.spec.replicas }, () => ({ checkpoint: null, hash: null, losses: 0 })),
            runs: [],
            result: null,
            error: null,
          }
          jobs.set(job.id, job)
          open.set(job.id, job)
          touch(job)
          lookSoon()
          break
        }
        case 'wake':
          lookSoon()
          break
        case 'restore':
          restore(input.jobs, now)
          break
        case 'candidates':
          onCandidates(input.candidates, now)
          break
        case 'discovery-failed':
          discovering = false
          discoveryDelay = Math.min(DISCOVERY_RETRY_MAX_MS, discoveryDelay * 2)
          nextDiscoveryAt = now + discoveryDelay
          break
        case 'cancel': {
          const job = open.get(input.job)
          if (job !== undefined) endJob(job, 'cancelled', now, { code: 'JOB_CANCELLED', message: 'The job was cancelled by its submitter.' })
          break
        }
        case 'tick':
          onTick(now)
          break
        default:
          onRunInput(input)
      }
      schedule(now)
      for (const id of changed) {
        const job = jobs.get(id)
        if (job !== undefined) refreshState(job)
        out.push({ type: 'changed', job: id })
      }
      return out
    },
    nextDeadline() {
      let at = Infinity
      for (const { run } of runs.values()) at = Math.min(at, run.state === 'offered' ? run.offeredAt + OFFER_TIMEOUT_MS : run.heardAt + REPLICA_SILENCE_MS)
      if (waitingNow > 0) {
        if (!discovering) at = Math.min(at, nextDiscoveryAt)
        for (const off of backoff.values()) if (off.until > clock) at = Math.min(at, off.until)
      }
      return at
    },
    job: (id) => jobs.get(id),
    jobs: () => [...jobs.values()],
    counts() {
      const counts: CoordinatorCounts = { queued: 0, running: 0, done: 0, failed: 0 }
      for (const job of jobs.values()) {
        if (job.state === 'cancelled') counts.failed++
        else counts[job.state]++
      }
      return counts
    },
    waiting: () => waitingNow,
  }
}
