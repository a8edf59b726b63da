import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { closeSync, openSync } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { createChunker, DEFAULT_CHUNKER_PARAMS, type Chunker, type ChunkerParams } from '../../main/mirror/chunker.ts'
import { seededBytes, tempDir } from './helpers.ts'

function cutAll(chunker: Chunker, data: Uint8Array): number[] {
  const lengths: number[] = []
  for (let start = 0; start < data.length; ) {
    const length = chunker.cut(data, start, data.length - start)
    lengths.push(length)
    start += length
  }
  return lengths
}

const offsetsOf = (lengths: number[]) => lengths.map((_, i) => lengths.slice(0, i + 1).reduce((a, b) => a + b, 0))

/**
 * fastcdc-rs's v2020 `cut()` transliterated with 64-bit BigInt arithmetic, two bytes per step and
 * the shifted gear table, exactly as the reference crate runs it: the oracle for the fast chunker.
 */
const U64 = (1n << 64n) - 1n
const GEAR = Array.from({ length: 256 }, (_, i) => createHash('md5').update(Buffer.alloc(64, i)).digest().readBigUInt64BE(0))
const GEAR_LS = GEAR.map((value) => (value << 1n) & U64)

function referenceCut(source: Uint8Array, min: number, avg: number, max: number, maskS: bigint, maskL: bigint): number {
  let remaining = source.length
  if (remaining <= min) return remaining
  let center = avg
  if (remaining > max) remaining = max
  else if (remaining < center) center = remaining
  let index = Math.floor(min / 2)
  let hash = 0n
  const loop = (until: number, mask: bigint): number | undefined => {
    for (; index < Math.floor(until / 2); index++) {
      const a = index * 2
      hash = ((hash << 2n) + GEAR_LS[source[a]!]!) & U64
      if ((hash & (mask << 1n)) === 0n) return a
      hash = (hash + GEAR[source[a + 1]!]!) & U64
      if ((hash & mask) === 0n) return a + 1
    }
    return undefined
  }
  return loop(center, maskS) ?? loop(remaining, maskL) ?? remaining
}

/** Parameter sets of fastcdc-rs's own tests, with the masks its MASKS table gives them (avg bits ± level). */
const REFERENCE_CASES: Array<{ params: ChunkerParams; maskS: bigint; maskL: bigint }> = [
  { params: { minBytes: 4096, avgBytes: 16384, maxBytes: 65535, normalization: 1 }, maskS: 0x0000d90f03530000n, maskL: 0x0000d90303530000n },
  { params: { minBytes: 4096, avgBytes: 16384, maxBytes: 65535, normalization: 0 }, maskS: 0x0000d90313530000n, maskL: 0x0000d90313530000n },
  { params: { minBytes: 8192, avgBytes: 16384, maxBytes: 32768, normalization: 3 }, maskS: 0x0000d90703537000n, maskL: 0x0000d90003530000n },
  { params: { minBytes: 16384, avgBytes: 65536, maxBytes: 262144, normalization: 1 }, maskS: 0x0000d90703537000n, maskL: 0x0000d90f03530000n },
]

test('all-zero input cuts at the maximum size with the reference hash (fastcdc-rs test_cut_all_zeros)', () => {
  const chunker = createChunker({ params: { minBytes: 64, avgBytes: 256, maxBytes: 1024, normalization: 1 } })
  const zeros = new Uint8Array(10240)
  const lengths: number[] = []
  for (let start = 0; start < zeros.length; ) {
    const length = chunker.cut(zeros, start, zeros.length - start)
    lengths.push(length)
    assert.equal(chunker.lastHash(), 14169102344523991076n)
    start += length
  }
  assert.deepEqual(lengths, Array(10).fill(1024))
})

test('cut points equal the reference algorithm on varied input, for the reference test parameters', () => {
  // Random bytes, then text-like low-entropy bytes: both branches of normalized chunking are exercised.
  const random = seededBytes('reference', 1 << 20)
  const text = Buffer.from(Array.from({ length: 30_000 }, (_, i) => `line ${i % 977} of ${(i * 7919) % 104729}\n`).join(''))
  for (const { params, maskS, maskL } of REFERENCE_CASES) {
    const chunker = createChunker({ params })
    for (const data of [random, text]) {
      const expected: number[] = []
      for (let start = 0; start < data.length; ) {
        const length = referenceCut(data.subarray(start), params.minBytes, params.avgBytes, params.maxBytes, maskS, maskL)
        expected.push(length)
        start += length
      }
      assert.deepEqual(cutAll(chunker, data), expected, `params ${JSON.stringify(params)}`)
    }
  }
})

test('chunks respect the minimum and maximum sizes and are deterministic', () => {
  const data = seededBytes('bounds', 8 << 20)
  const { minBytes, maxBytes, avgBytes } = DEFAULT_CHUNKER_PARAMS
  const lengths = cutAll(createChunker(), data)
  assert.equal(
    lengths.reduce((a, b) => a + b, 0),
    data.length,
  )
  for (const length of lengths.slice(0, -1)) assert.ok(length >= minBytes && length <= maxBytes, `chunk of ${length} bytes`)
  assert.deepEqual(cutAll(createChunker(), data), lengths)
  const mean = data.length / lengths.length
  assert.ok(mean > avgBytes / 2 && mean < avgBytes * 2, `mean chunk ${mean}`)
})

test('inserting bytes early changes only the chunks next to the insertion', () => {
  const base = seededBytes('edit', 4 << 20)
  const at = 1 << 20
  const edited = Buffer.concat([base.subarray(0, at), seededBytes('inserted', 100), base.subarray(at)])
  const chunker = createChunker()
  const before = offsetsOf(cutAll(chunker, base))
  const after = offsetsOf(cutAll(chunker, edited))
  // Cut points before the insertion are untouched...
  assert.deepEqual(
    after.filter((offset) => offset < at),
    before.filter((offset) => offset < at),
  )
  // ...and after it, the old cut points come back shifted by the insertion, all but the first one or two.
  const shifted = new Set(before.map((offset) => offset + 100))
  const lost = after.filter((offset) => offset >= at && !shifted.has(offset))
  assert.ok(lost.length <= 2, `${lost.length} new cut points after the insertion`)
  const contents = (data: Buffer, offsets: number[]) => new Set(offsets.map((end, i) => createHash('sha256').update(data.subarray(offsets[i - 1] ?? 0, end)).digest('hex')))
  const old = contents(base, before)
  const changed = [...contents(edited, after)].filter((digest) => !old.has(digest))
  assert.ok(changed.length <= 2, `${changed.length} chunks changed`)
})

test('streaming a file with large or small reads gives the in-memory cut points', async (t) => {
  const dir = await tempDir(t)
  const data = Buffer.concat([seededBytes('stream', 6 << 20), Buffer.alloc(700_000), seededBytes('tail', 12_345)])
  const file = join(dir, 'data.bin')
  await writeFile(file, data)
  const expected = cutAll(createChunker(), data)
  for (const readBytes of [undefined, DEFAULT_CHUNKER_PARAMS.maxBytes, 1]) {
    const fd = openSync(file, 'r')
    const seen: number[] = []
    const digests: string[] = []
    for (const chunk of createChunker({ readBytes }).chunks(fd)) {
      seen.push(chunk.length)
      digests.push(createHash('sha256').update(chunk).digest('hex'))
    }
    closeSync(fd)
    assert.deepEqual(seen, expected)
    const offsets = offsetsOf(expected)
    assert.deepEqual(
      digests,
      offsets.map((end, i) => createHash('sha256').update(data.subarray(offsets[i - 1] ?? 0, end)).digest('hex')),
    )
  }
})

test('an empty file has no chunks and a small one is a single chunk', async (t) => {
  const dir = await tempDir(t)
  for (const size of [0, 1, DEFAULT_CHUNKER_PARAMS.minBytes]) {
    const file = join(dir, `f${size}`)
    await writeFile(file, seededBytes('small', size))
    const fd = openSync(file, 'r')
    const lengths: number[] = []
    for (const chunk of createChunker().chunks(fd)) lengths.push(chunk.length)
    closeSync(fd)
    assert.deepEqual(lengths, size === 0 ? [] : [size])
  }
})

test('parameters outside the reference limits are refused', () => {
  const good = DEFAULT_CHUNKER_PARAMS
  for (const bad of [{ minBytes: 63 }, { avgBytes: 255, minBytes: 64 }, { maxBytes: 1023, minBytes: 64, avgBytes: 256 }, { minBytes: 70_000 }]) {
    assert.throws(() => createChunker({ params: { ...good, ...bad } }), RangeError)
  }
})

test('the embedded WebAssembly is what gear-roll.wat compiles to', async () => {
  const { default: initWabt } = await import('wabt')
  const wabt = await initWabt()
  const source = new URL('../../main/mirror/gear-roll.wat', import.meta.url)
  const compiled = wabt.parseWat('gear-roll.wat', await readFile(source, 'utf8'))
  compiled.validate()
  const embedded = /const GEAR_ROLL_WASM = '([A-Za-z0-9+/=]+)'/.exec(await readFile(new URL('../../main/mirror/chunker.ts', import.meta.url), 'utf8'))?.[1]
  assert.equal(Buffer.from(compiled.toBinary({}).buffer).toString('base64'), embedded)
})
