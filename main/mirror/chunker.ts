/**
 * FastCDC content-defined chunking, the 2020 variant (Xia et al., IEEE TPDS 2020): a Gear
 * rolling hash, cut-point skipping below the minimum size, and normalized chunking (a stricter
 * mask before the expected size, a looser one after). Cut points and hashes are those of the
 * reference crate fastcdc-rs (`v2020::FastCDC`) for the same sizes and level: same gear table,
 * same masks, same loop bounds. An edit therefore moves only the cut points near it, which is what
 * lets a mirrored folder send only the chunks an edit touched.
 *
 * Speed: the hash loop runs in a 128-byte WebAssembly module (gear-roll.wat) for native 64-bit
 * arithmetic, and files are read straight into its memory, so the bytes are never copied.
 */
import { createHash } from 'node:crypto'
import { readSync } from 'node:fs'
import { CHUNK_AVG_BYTES, CHUNK_MAX_BYTES, CHUNK_MIN_BYTES, CHUNK_NORMALIZATION, CHUNK_READ_BYTES } from './constants.ts'

export interface ChunkerParams {
  minBytes: number
  avgBytes: number
  maxBytes: number
  /** Normalized chunking level 0–3: higher levels keep chunk sizes closer to avgBytes. */
  normalization: 0 | 1 | 2 | 3
}

export const DEFAULT_CHUNKER_PARAMS: Readonly<ChunkerParams> = Object.freeze({
  minBytes: CHUNK_MIN_BYTES,
  avgBytes: CHUNK_AVG_BYTES,
  maxBytes: CHUNK_MAX_BYTES,
  normalization: CHUNK_NORMALIZATION,
})

export interface Chunker {
  readonly params: Readonly<ChunkerParams>
  /**
   * The length of the chunk that starts at `data[start]`, given the `available` bytes from there.
   * Pass at least `maxBytes` bytes, or all that is left of the input: the cut depends on how much
   * input remains when less than that does.
   */
  cut(data: Uint8Array, start: number, available: number): number
  /** The 64-bit gear hash at the last cut (0 for a tail below the minimum), as the reference reports it. */
  lastHash(): bigint
  /**
   * Streams an open file (a descriptor) through the chunker from its start, with large
   * synchronous reads straight into the chunker's own buffer: run it off the main thread (the
   * scan worker does). Each chunk is a view of that buffer, valid only until the next iteration:
   * hash or copy it first. One file at a time per chunker.
   */
  chunks(fd: number): Generator<Uint8Array, void, undefined>
}

/**
 * Masks by number of bits, spread over bits 0–47 (the paper: spreading improves dedupe). Values
 * of the C reference implementation (destor) and restic-FastCDC, as fastcdc-rs lists them.
 */
const MASKS: readonly bigint[] = [
  0n, 0n, 0n, 0n, 0n, 0x0000000001804110n, 0x0000000001803110n, 0x0000000018035100n, 0x0000001800035300n, 0x0000019000353000n,
  0x0000590003530000n, 0x0000d90003530000n, 0x0000d90103530000n, 0x0000d90303530000n, 0x0000d90313530000n, 0x0000d90f03530000n,
  0x0000d90303537000n, 0x0000d90703537000n, 0x0000d90707537000n, 0x0000d91707537000n, 0x0000d91747537000n, 0x0000d91767537000n,
  0x0000d93767537000n, 0x0000d93777537000n, 0x0000d93777577000n, 0x0000db3777577000n,
]
const MIN_MASK_BITS = 5
const MAX_MASK_BITS = MASKS.length - 1

/** Limits of fastcdc-rs, kept so that any accepted parameters have a reference to compare with. */
const LIMITS = { minBytes: [64, 1_048_576], avgBytes: [256, 4_194_304], maxBytes: [1024, 16_777_216] } as const

/** gear-roll.wat compiled by wabt 1.0.39 (default features, no names section). */
const GEAR_ROLL_WASM = 'AGFzbQEAAAABCAFgA39/fgF/AwIBAAUDAQABBgYBfgFCAAsHGAMGbWVtb3J5AgAEaGFzaAMABHJvbGwAAApBAT8BAX4jACEDAkADQCAAIAFPDQEgA0IBhiAALQAAQQN0KQMAfCEDIAMgAoNQDQEgAEEBaiEADAALCyADJAAgAAs='
const gearRollModule = new WebAssembly.Module(Buffer.from(GEAR_ROLL_WASM, 'base64'))

interface GearRoll {
  memory: WebAssembly.Memory
  hash: WebAssembly.Global
  roll(from: number, to: number, mask: bigint): number
}

/** The chunked data starts after the gear table in the module's memory. */
const DATA_OFFSET = 256 * 8
const WASM_PAGE = 65_536

/**
 * The gear table: entry i is the first 8 bytes (big-endian) of MD5 of 64 bytes all equal to i,
 * the recipe of the C reference implementation that fastcdc-rs's GEAR table was made with.
 */
const GEAR_TABLE = (() => {
  const table = new DataView(new ArrayBuffer(DATA_OFFSET))
  for (let i = 0; i < 256; i++) table.setBigUint64(i * 8, createHash('md5').update(new Uint8Array(64).fill(i)).digest().readBigUInt64BE(0), true)
  return new Uint8Array(table.buffer)
})()

/** log2 rounded to the nearest integer, as the reference computes the mask size from avgBytes. */
function roundedLog2(value: number): number {
  return Math.round(Math.log2(value))
}

function checkParams(params: ChunkerParams): void {
  for (const name of ['minBytes', 'avgBytes', 'maxBytes'] as const) {
    const [lo, hi] = LIMITS[name]
    const value = params[name]
    if (!Number.isInteger(value) || value < lo || value > hi) throw new RangeError(`FastCDC ${name} must be an integer in [${lo}, ${hi}], not ${value}.`)
  }
  if (!(params.minBytes <= params.avgBytes && params.avgBytes <= params.maxBytes)) throw new RangeError('FastCDC sizes must satisfy min ≤ avg ≤ max.')
  const bits = roundedLog2(params.avgBytes)
  if (bits - params.normalization < MIN_MASK_BITS || bits + params.normalization > MAX_MASK_BITS) {
    throw new RangeError(`FastCDC normalization level ${params.normalization} is out of range for avgBytes ${params.avgBytes}.`)
  }
}

export interface ChunkerInit {
  params?: ChunkerParams
  /** Bytes per read when chunking a file; the chunker's buffer holds this plus maxBytes. */
  readBytes?: number
}

export function createChunker(init: ChunkerInit = {}): Chunker {
  const params = Object.freeze({ ...(init.params ?? DEFAULT_CHUNKER_PARAMS) })
  checkParams(params)
  const { minBytes, avgBytes, maxBytes } = params
  const bits = roundedLog2(avgBytes)
  const small = MASKS[bits + params.normalization]!
  const large = MASKS[bits - params.normalization]!
  // Room for a whole max-size chunk after any unconsumed tail (< maxBytes), so every pass cuts or reads.
  const capacity = Math.max(init.readBytes ?? CHUNK_READ_BYTES, maxBytes) + maxBytes
  const gear = new WebAssembly.Instance(gearRollModule).exports as unknown as GearRoll
  gear.memory.grow(Math.ceil((DATA_OFFSET + capacity) / WASM_PAGE) - gear.memory.buffer.byteLength / WASM_PAGE)
  const memory = new Uint8Array(gear.memory.buffer)
  memory.set(GEAR_TABLE)
  let streaming = false

  /** The cut for a chunk starting at memory[base], with `available` bytes there. */
  const cutAt = (base: number, available: number): number => {
    gear.hash.value = 0n
    if (available <= minBytes) return available
    let remaining = available
    let center = avgBytes
    if (remaining > maxBytes) remaining = maxBytes
    else if (remaining < center) center = remaining
    // The reference hashes byte pairs: its loops start and stop on even offsets.
    const from = base + (minBytes >>> 1) * 2
    const middle = base + (center >>> 1) * 2
    const end = base + (remaining >>> 1) * 2
    // The reference's cut excludes the byte that matched: it opens the next chunk.
    const first = gear.roll(from, middle, small)
    if (first < middle) return first - base
    const second = gear.roll(middle, end, large)
    return second < end ? second - base : remaining
  }

  const cut = (data: Uint8Array, start: number, available: number): number => {
    if (streaming) throw new Error('This chunker is streaming a file; use another one.')
    memory.set(data.subarray(start, start + Math.min(available, maxBytes)), DATA_OFFSET)
    return cutAt(DATA_OFFSET, available)
  }

  function* chunks(fd: number): Generator<Uint8Array, void, undefined> {
    if (streaming) throw new Error('This chunker is already streaming a file.')
    streaming = true
    try {
      const limit = DATA_OFFSET + capacity
      let filled = DATA_OFFSET
      let position = 0
      let eof = false
      while (!eof || filled > DATA_OFFSET) {
        while (!eof && filled < limit) {
          const bytesRead = readSync(fd, memory, filled, limit - filled, position)
          // A short read of a regular file is its end (the scanner's second stat catches a file still growing).
          if (bytesRead < limit - filled) eof = true
          filled += bytesRead
          position += bytesRead
        }
        let start = DATA_OFFSET
        while (filled - start >= maxBytes || (eof && start < filled)) {
          const length = cutAt(start, filled - start)
          yield memory.subarray(start, start + length)
          start += length
        }
        memory.copyWithin(DATA_OFFSET, start, filled)
        filled -= start - DATA_OFFSET
      }
    } finally {
      streaming = false
    }
  }

  return { params, cut, lastHash: () => BigInt.asUintN(64, gear.hash.value as bigint), chunks }
}
