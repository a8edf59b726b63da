/**
 * The idle detector as a pure function of 1 s samples: other programs' CPU (the machine's busy
 * share minus this node's own) pauses work within two samples and resumes it only after a run
 * of idle samples; the node's own job work never counts as the machine being busy.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { DEFAULT_IDLE_THRESHOLDS, observeIdle, UNKNOWN_IDLE, type IdleObservation, type IdleState } from '../../main/contribution/idle-detector.ts'

const { busyCpuShare, resumeAfterIdleSamples, userAwaySec } = DEFAULT_IDLE_THRESHOLDS
const quiet: IdleObservation = { machine: 0.05, own: 0.02 }
/** Another program keeps one core of two busy. */
const otherProgram: IdleObservation = { machine: 0.55, own: 0.02 }

/** The idle verdict after each sample of a sequence. */
function run(samples: IdleObservation[], from: IdleState = UNKNOWN_IDLE): boolean[] {
  let state = from
  return samples.map((sample) => {
    state = observeIdle(state, sample)
    return state.idle
  })
}

const repeat = (sample: IdleObservation, n: number): IdleObservation[] => Array.from({ length: n }, () => sample)
const falses = (n: number): boolean[] => Array.from({ length: n }, () => false)

test('a machine is idle only after a run of idle samples, not before', () => {
  const verdicts = run(repeat(quiet, resumeAfterIdleSamples + 2))
  assert.deepEqual(verdicts, [...falses(resumeAfterIdleSamples - 1), true, true, true])
})

test('another program taking the CPU makes the machine busy at the first full sample', () => {
  const verdicts = run([...repeat(quiet, resumeAfterIdleSamples), otherProgram, otherProgram])
  assert.equal(verdicts[resumeAfterIdleSamples - 1], true)
  assert.deepEqual(verdicts.slice(resumeAfterIdleSamples), [false, false])
})

test('a load that starts late in a sample interval is caught by the next sample: busy within two', () => {
  // The first interval sees the program for a fifth of it: under the threshold on its own.
  const partial: IdleObservation = { machine: 0.02 + (otherProgram.machine - 0.02) / 5, own: 0.02 }
  assert.ok(partial.machine - partial.own <= busyCpuShare)
  const verdicts = run([...repeat(quiet, resumeAfterIdleSamples), partial, otherProgram])
  assert.deepEqual(verdicts.slice(resumeAfterIdleSamples), [true, false])
})

test('work resumes after the idle run, and one idle sample in a busy stretch does not resume it', () => {
  const sequence = [otherProgram, quiet, otherProgram, ...repeat(quiet, resumeAfterIdleSamples)]
  const verdicts = run(sequence, { idle: true, idleRun: resumeAfterIdleSamples, busyRun: 0 })
  assert.deepEqual(verdicts, [...falses(3 + resumeAfterIdleSamples - 1), true])
})

test("the node's own job work, however heavy, does not make the machine busy", () => {
  // Jobs on every core: the machine is saturated, all of it by this node's process.
  const jobsEverywhere: IdleObservation = { machine: 1, own: 0.97 }
  assert.deepEqual(run(repeat(jobsEverywhere, resumeAfterIdleSamples)).at(-1), true)
  // A program started while the jobs run takes a share from them: the machine is busy.
  const contended: IdleObservation = { machine: 1, own: 0.6 }
  const verdicts = run([...repeat(jobsEverywhere, resumeAfterIdleSamples), contended])
  assert.equal(verdicts.at(-1), false)
})

test('with the desktop idle time, a present user makes the machine busy even when the CPU is quiet', () => {
  const away: IdleObservation = { ...quiet, userIdleSec: userAwaySec + 10 }
  const present: IdleObservation = { ...quiet, userIdleSec: 2 }
  const verdicts = run([...repeat(away, resumeAfterIdleSamples), present, ...repeat(away, resumeAfterIdleSamples)])
  assert.equal(verdicts[resumeAfterIdleSamples - 1], true)
  assert.equal(verdicts[resumeAfterIdleSamples], false, 'input pauses at the next sample')
  assert.equal(verdicts.at(-1), true, 'and work resumes once the user is away again')
  // Away from the keyboard but with another program busy: still busy.
  assert.equal(run(repeat({ ...otherProgram, userIdleSec: userAwaySec + 10 }, resumeAfterIdleSamples)).at(-1), false)
})
