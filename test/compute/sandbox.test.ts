/**
 * The sandbox on real worker threads: results, limits (time, memory), refusals, checkpoints and
 * resume, cancellation, and a pool that stays usable after its workers are killed.
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { GridNodeError, type ErrorCode } from '../../shared/errors.ts'
import { CHECKPOINT_BOUNDS, MAX_TABLE_ELEMENTS, WASM_PAGE_BYTES } from '../../main/compute/sandbox/constants.ts'
import { createSandbox, type Sandbox, type SandboxJob } from '../../main/compute/sandbox/index.ts'
import { JOB_MODULES, compileWat, loadJobModule, type JobModuleName, type WatFeatures } from '../../main/compute/modules/index.ts'

const MiB = 1 << 20
const LIMITS = { maxSeconds: 10, memoryBytes: 16 * MiB }

let sandbox: Sandbox
const modules = new Map<JobModuleName, Uint8Array<ArrayBuffer>>()

before(async () => {
  sandbox = createSandbox({ workers: 2 })
  for (const name of Object.keys(JOB_MODULES) as JobModuleName[]) modules.set(name, await loadJobModule(name))
})

after(() => sandbox.stop())

function job(name: JobModuleName, input: Uint8Array, extra: Partial<SandboxJob> = {}): SandboxJob {
  return { module: modules.get(name)!, entry: JOB_MODULES[name].entry, input, ...LIMITS, ...extra }
}

function u32s(...values: number[]): Uint8Array {
  const bytes = new Uint8Array(values.length * 4)
  values.forEach((value, i) => new DataView(bytes.buffer).setUint32(i * 4, value, true))
  return bytes
}

const isCode = (code: ErrorCode) => (err: unknown) => err instanceof GridNodeError && err.code === code

function fnv1a(bytes: Uint8Array): number {
  let hash = 0x811c9dc5
  for (const byte of bytes) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0
  return hash
}

function xorshift(rounds: number): number {
  let x = 0x9e3779b9
  for (let i = 0; i < rounds; i++) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
  }
  return x >>> 0
}

const MEMORY = '(import "gridnode" "memory" (memory 1))'
const ENTRY = '(func (export "run") (param i32 i32) (result i32 i32) (i32.const 0) (i32.const 0))'

test('a job returns its output, with its CPU and wall time', async () => {
  const input = new TextEncoder().encode('GridNode runs WebAssembly jobs')
  const hashed = await sandbox.run(job('checksum', input))
  assert.equal(new DataView(hashed.output.buffer).getUint32(0, true), fnv1a(input))
  assert.equal(hashed.checkpoints, 0)
  assert.ok(hashed.cpuMs >= 0 && hashed.wallMs > 0)

  const busy = await sandbox.run(job('busy', u32s(1_000_000)))
  assert.equal(new DataView(busy.output.buffer).getUint32(0, true), xorshift(1_000_000))
})

test('an input larger than the module’s own memory is placed on pages the host adds', async () => {
  const input = new Uint8Array(3 * WASM_PAGE_BYTES + 5).map((_, i) => i * 7)
  const result = await sandbox.run(job('checksum', input))
  assert.equal(new DataView(result.output.buffer).getUint32(0, true), fnv1a(input))
  await assert.rejects(sandbox.run(job('checksum', input, { memoryBytes: 2 * WASM_PAGE_BYTES })), isCode('JOB_MEMORY'))
})

test('validate tells a module’s entries, whether it checkpoints, and the memory it asks for', () => {
  assert.deepEqual(sandbox.validate(modules.get('checksum')!), { entries: ['checksum'], checkpointable: false, memoryPages: { initial: 1, maximum: null } })
  assert.deepEqual(sandbox.validate(modules.get('counter')!), { entries: ['count'], checkpointable: true, memoryPages: { initial: 1, maximum: null } })
})

test('invalid modules are refused at validation and at run, with INVALID_MODULE', async (t) => {
  const refused: [string, string, WatFeatures?][] = [
    ['its own memory', `(module (memory 1) ${ENTRY})`],
    ['its own memory, exported', `(module (memory (export "memory") 1) ${ENTRY})`],
    ['a WASI import', `(module ${MEMORY} (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32))) ${ENTRY})`],
    ['an unknown host function', `(module ${MEMORY} (import "gridnode" "open" (func (param i32))) ${ENTRY})`],
    ['an imported global', `(module ${MEMORY} (import "gridnode" "clock" (global i64)) ${ENTRY})`],
    ['progress with the wrong signature', `(module ${MEMORY} (import "gridnode" "progress" (func (param i32))) ${ENTRY})`],
    ['no memory import', `(module ${ENTRY})`],
    ['a shared memory', '(module (import "gridnode" "memory" (memory 1 2 shared)) ' + ENTRY + ')', { threads: true }],
    ['a table without a maximum', `(module ${MEMORY} (table 1 funcref) ${ENTRY})`],
    ['a table past the maximum', `(module ${MEMORY} (table 1 ${MAX_TABLE_ELEMENTS + 1} funcref) ${ENTRY})`],
    ['no entry with the ABI signature', `(module ${MEMORY} (func (export "run") (param i32) (result i32) (i32.const 0)))`],
  ]
  for (const [what, source, features] of refused) {
    await t.test(what, async () => {
      const module = await compileWat(source, 'fixture.wat', features)
      assert.throws(() => sandbox.validate(module), isCode('INVALID_MODULE'))
      await assert.rejects(sandbox.run({ module, entry: 'run', input: new Uint8Array(), ...LIMITS }), isCode('INVALID_MODULE'))
    })
  }
  await t.test('bytes that are not WebAssembly', async () => {
    const garbage = new TextEncoder().encode('#!/bin/sh\nrm -rf /\n')
    assert.throws(() => sandbox.validate(garbage), isCode('INVALID_MODULE'))
    assert.throws(() => sandbox.validate(modules.get('checksum')!.subarray(0, 20)), isCode('INVALID_MODULE'))
  })
  await t.test('an entry the module does not have, or resuming a plain entry', async () => {
    await assert.rejects(sandbox.run({ ...job('checksum', new Uint8Array()), entry: 'main' }), isCode('INVALID_MODULE'))
    await assert.rejects(sandbox.run(job('checksum', new Uint8Array(), { resumeFrom: new Uint8Array(16) })), isCode('INVALID_MODULE'))
  })
  await t.test('a bounded table and the optional host functions are fine', async () => {
    const source = `(module ${MEMORY} (import "gridnode" "progress" (func (param f64))) (import "gridnode" "out_of_memory" (func)) (table 1 8 funcref) ${ENTRY})`
    const module = await compileWat(source, 'fixture.wat')
    assert.deepEqual(sandbox.validate(module).entries, ['run'])
    assert.equal((await sandbox.run({ module, entry: 'run', input: new Uint8Array(), ...LIMITS })).output.length, 0)
  })
})

test('a job that loops forever is stopped at its time limit, and the pool goes on', async (t) => {
  const limitMs = 300
  const started = performance.now()
  await assert.rejects(sandbox.run(job('forever', new Uint8Array(), { maxSeconds: limitMs / 1000 })), isCode('JOB_TIMEOUT'))
  const elapsed = performance.now() - started
  t.diagnostic(`stopped ${(elapsed - limitMs).toFixed(1)} ms after its ${limitMs} ms limit`)
  assert.ok(elapsed >= limitMs && elapsed < limitMs + 1_000)

  const after = await sandbox.run(job('checksum', new Uint8Array([1, 2, 3])))
  assert.equal(new DataView(after.output.buffer).getUint32(0, true), fnv1a(new Uint8Array([1, 2, 3])))
})

test('a memory bomb is stopped at its memory limit with JOB_MEMORY', async () => {
  await assert.rejects(sandbox.run(job('memory-bomb', new Uint8Array(), { memoryBytes: 64 * MiB })), isCode('JOB_MEMORY'))
})

test('a module asking for more memory than the job allows is refused with JOB_MEMORY', async () => {
  const module = await compileWat(`(module (import "gridnode" "memory" (memory 32)) ${ENTRY})`, 'fixture.wat')
  await assert.rejects(sandbox.run({ module, entry: 'run', input: new Uint8Array(), ...LIMITS, memoryBytes: MiB }), isCode('JOB_MEMORY'))
})

test('a module that reports out_of_memory fails with JOB_MEMORY however little it holds', async () => {
  // A 2000×2000 tile needs 16 MB of pixels; the job allows 1 MiB.
  const tile = new Uint8Array(44)
  new DataView(tile.buffer).setFloat64(16, 0.001, true)
  tile.set(u32s(2000, 2000, 10), 32)
  await assert.rejects(sandbox.run(job('mandelbrot', tile, { memoryBytes: MiB })), isCode('JOB_MEMORY'))
})

test('a module that traps fails with JOB_TRAPPED', async () => {
  await assert.rejects(sandbox.run(job('busy', new Uint8Array(2))), isCode('JOB_TRAPPED'))
  // Its memory is full, but the host filled it (module and input), so this is no allocation failing.
  await assert.rejects(sandbox.run(job('busy', new Uint8Array(2), { memoryBytes: 2 * WASM_PAGE_BYTES })), isCode('JOB_TRAPPED'))
  const recursion = await compileWat(`(module ${MEMORY} (func $deep (export "run") (param i32 i32) (result i32 i32) (call $deep (local.get 0) (local.get 1))))`, 'deep.wat')
  await assert.rejects(sandbox.run({ module: recursion, entry: 'run', input: new Uint8Array(), ...LIMITS }), isCode('JOB_TRAPPED'))
})

test('a job resumed from a checkpoint ends with the output of an uninterrupted run', async () => {
  // About a second of steps, checkpointed at the interval's lower bound: long enough that the
  // pause asked for at the first checkpoint lands well before the end.
  const input = u32s(1_000, 1_000_000)
  const policy = { weight: 0.5, initialMs: CHECKPOINT_BOUNDS.minMs }
  const whole = await sandbox.run(job('counter', input))

  const states: Uint8Array[] = []
  const progress: number[] = []
  const pause = new AbortController()
  const paused = sandbox.run(
    job('counter', input, {
      checkpointPolicy: policy,
      signal: pause.signal,
      onProgress: (fraction) => progress.push(fraction),
      onCheckpoint: (state) => {
        states.push(state)
        pause.abort()
      },
    }),
  )
  await assert.rejects(paused, isCode('JOB_CANCELLED'))
  // The checkpoint that asked for the pause, and the last one taken on the way out.
  assert.ok(states.length >= 2)
  assert.ok(progress.length > 0 && progress.every((fraction) => fraction > 0 && fraction < 1))

  for (const state of states) {
    const resumed = await sandbox.run(job('counter', input, { resumeFrom: state }))
    assert.deepEqual(resumed.output, whole.output)
  }
})

test('an uninterrupted checkpointed run hands in checkpoints at the adaptive interval', async () => {
  const states: Uint8Array[] = []
  const result = await sandbox.run(
    job('counter', u32s(400, 500_000), { checkpointPolicy: { weight: 0.5, initialMs: CHECKPOINT_BOUNDS.minMs }, onCheckpoint: (state) => states.push(state) }),
  )
  assert.equal(result.checkpoints, states.length)
  assert.ok(states.length >= 1)
  assert.ok(result.wallMs / states.length >= CHECKPOINT_BOUNDS.minMs)
})

test('cancelling a running job ends it with JOB_CANCELLED, well before its limit', async () => {
  const cancel = new AbortController()
  const running = sandbox.run(job('forever', new Uint8Array(), { maxSeconds: 30, signal: cancel.signal }))
  const started = performance.now()
  setImmediate(() => cancel.abort())
  await assert.rejects(running, isCode('JOB_CANCELLED'))
  assert.ok(performance.now() - started < 5_000)
  assert.equal((await sandbox.run(job('checksum', new Uint8Array()))).output.length, 4)
})

test('a job aborted before it starts never runs', async () => {
  await assert.rejects(sandbox.run(job('checksum', new Uint8Array(), { signal: AbortSignal.abort() })), isCode('JOB_CANCELLED'))
})

test('jobs wait for a worker, and run when the pool grows', async () => {
  const pool = createSandbox({ workers: 0 })
  try {
    const cancel = new AbortController()
    const queued = pool.run(job('checksum', new Uint8Array([9]), { signal: cancel.signal }))
    const waiting = pool.run(job('checksum', new Uint8Array([7])))
    cancel.abort()
    await assert.rejects(queued, isCode('JOB_CANCELLED'))
    pool.resize(1)
    assert.equal(new DataView((await waiting).output.buffer).getUint32(0, true), fnv1a(new Uint8Array([7])))
  } finally {
    await pool.stop()
  }
})

test('a pool of one worker survives its worker being killed again and again', async () => {
  const pool = createSandbox({ workers: 1 })
  try {
    for (let round = 0; round < 3; round++) {
      const looped = assert.rejects(pool.run(job('forever', new Uint8Array(), { maxSeconds: 0.05 })), isCode('JOB_TIMEOUT'))
      const hashed = pool.run(job('checksum', new Uint8Array([round])))
      await looped
      assert.equal((await hashed).output.length, 4)
    }
    pool.resize(2)
    pool.resize(1)
    const many = await Promise.all(Array.from({ length: 10 }, (_, i) => pool.run(job('checksum', new Uint8Array([i])))))
    assert.equal(many.length, 10)
  } finally {
    await pool.stop()
  }
})

test('stop cancels queued and running jobs, and refuses new ones', async () => {
  const pool = createSandbox({ workers: 1 })
  const running = assert.rejects(pool.run(job('forever', new Uint8Array())), isCode('JOB_CANCELLED'))
  const queued = assert.rejects(pool.run(job('checksum', new Uint8Array())), isCode('JOB_CANCELLED'))
  const stopped = pool.stop()
  assert.equal(pool.stop(), stopped)
  await stopped
  await running
  await queued
  await assert.rejects(pool.run(job('checksum', new Uint8Array())), isCode('JOB_CANCELLED'))
})

test('per-job overhead of a tiny job on a warm worker', async (t) => {
  const input = new Uint8Array(64)
  const module = modules.get('checksum')!
  const rounds = 300
  const timings: number[] = []
  for (let i = 0; i < rounds; i++) {
    const started = performance.now()
    await sandbox.run(job('checksum', input))
    timings.push(performance.now() - started)
  }
  // The same module run directly in this thread, for comparison.
  const direct: number[] = []
  for (let i = 0; i < rounds; i++) {
    const started = performance.now()
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 2 })
    const { exports } = new WebAssembly.Instance(new WebAssembly.Module(module), { gridnode: { memory } })
    memory.grow(1)
    new Uint8Array(memory.buffer, WASM_PAGE_BYTES, input.length).set(input)
    ;(exports.checksum as (pointer: number, length: number) => unknown)(WASM_PAGE_BYTES, input.length)
    direct.push(performance.now() - started)
  }
  const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
  const p99 = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length * 0.99)]!
  t.diagnostic(`sandbox round trip p50 ${median(timings).toFixed(3)} ms, p99 ${p99(timings).toFixed(3)} ms; direct in-thread p50 ${median(direct).toFixed(3)} ms`)
  assert.equal(timings.length, rounds)
})
