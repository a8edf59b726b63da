/**
 * The job modules GridNode ships, as WebAssembly text in this folder, compiled with wabt (a
 * registry toolchain: no hand-made binaries). `npm run build` writes them to out/wasm
 * (scripts/build-wasm.ts); loadJobModule reads the built file (from the source tree or from the
 * Electron bundle), or compiles the source when the build is missing or older than the source, so
 * tests and runs from a checkout need no build.
 */
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type initWabt from 'wabt'
import { GridNodeError } from '../../../shared/errors.ts'

/** Each module with its entry (the ABI of docs/jobs.md). */
export const JOB_MODULES = {
  /** One tile of the Mandelbrot set as RGBA (see ../mandelbrot.ts). */
  mandelbrot: { entry: 'render' },
  /** The tiny job: FNV-1a of the input, for per-job overhead. */
  checksum: { entry: 'checksum' },
  /** CPU-bound for a u32 number of xorshift rounds, for throughput. */
  busy: { entry: 'busy' },
  /** Hostile: never returns. */
  forever: { entry: 'forever' },
  /** Hostile: grows its memory until refused, then traps. */
  'memory-bomb': { entry: 'bomb' },
  /** Checkpointable (step-driven): counts through u32 steps × u32 iterations per step. */
  counter: { entry: 'count' },
} as const

export type JobModuleName = keyof typeof JOB_MODULES

export const JOB_MODULE_NAMES = Object.keys(JOB_MODULES) as JobModuleName[]

/** Where `npm run build` puts the modules. */
export const BUILT_WASM_DIR = fileURLToPath(new URL('../../../out/wasm', import.meta.url))

/** Where to look for them: out/wasm seen from this file, and seen from the main bundle (out/main). */
const BUILT_WASM_DIRS = [BUILT_WASM_DIR, join(import.meta.dirname, '..', 'wasm')]

const SOURCE_DIR = import.meta.dirname

type Wabt = Awaited<ReturnType<typeof initWabt>>
/** Post-MVP features to accept beyond wabt's defaults (which include multi-value). */
export type WatFeatures = NonNullable<Parameters<Wabt['parseWat']>[2]>
let wabt: Promise<Wabt> | undefined

/** Compiles WebAssembly text to a binary module; throws INVALID_MODULE with wabt's errors. */
export async function compileWat(source: string, filename: string, features: WatFeatures = {}): Promise<Uint8Array<ArrayBuffer>> {
  // wabt is a build tool: loaded only when something is compiled, never by a built app.
  wabt ??= import('wabt').then(({ default: init }) => init())
  const toolkit = await wabt
  let parsed: ReturnType<Wabt['parseWat']> | undefined
  try {
    parsed = toolkit.parseWat(filename, source, features)
    parsed.resolveNames()
    // validate() takes the features too, though wabt's typings leave them out.
    ;(parsed as unknown as { validate(features: WatFeatures): void }).validate(features)
    return new Uint8Array(parsed.toBinary({}).buffer)
  } catch (err) {
    throw new GridNodeError('INVALID_MODULE', `${filename} does not compile: ${err instanceof Error ? err.message : String(err)}`, { cause: err })
  } finally {
    parsed?.destroy()
  }
}

/** Compiles one shipped module from its source. */
export async function compileJobModule(name: JobModuleName): Promise<Uint8Array<ArrayBuffer>> {
  const filename = `${name}.wat`
  return compileWat(await readFile(join(SOURCE_DIR, filename), 'utf8'), filename)
}

/** Writes every shipped module to `outDir` as NAME.wasm; returns the files written. */
export async function buildJobModules(outDir: string = BUILT_WASM_DIR): Promise<string[]> {
  await mkdir(outDir, { recursive: true })
  return Promise.all(
    JOB_MODULE_NAMES.map(async (name) => {
      const file = join(outDir, `${name}.wasm`)
      // Written aside and renamed, so a concurrent reader never sees half a module.
      const partial = `${file}.${process.pid}.partial`
      await writeFile(partial, await compileJobModule(name))
      await rename(partial, file)
      return file
    }),
  )
}

/** A shipped module's bytes: built if up to date, else compiled from source. `dir`: the build's folder. */
export async function loadJobModule(name: JobModuleName, { dir }: { dir?: string } = {}): Promise<Uint8Array<ArrayBuffer>> {
  if (!Object.hasOwn(JOB_MODULES, name)) throw new GridNodeError('NOT_FOUND', `GridNode ships no job module named ${name}.`)
  const sourceStat = await statOrUndefined(join(SOURCE_DIR, `${name}.wat`))
  for (const candidate of dir === undefined ? BUILT_WASM_DIRS : [dir]) {
    const built = join(candidate, `${name}.wasm`)
    const builtStat = await statOrUndefined(built)
    if (builtStat !== undefined && (sourceStat === undefined || builtStat.mtimeMs >= sourceStat.mtimeMs)) return new Uint8Array(await readFile(built))
  }
  if (sourceStat === undefined) throw new GridNodeError('NOT_FOUND', `The job module ${name} is not built (npm run build).`)
  return compileJobModule(name)
}

async function statOrUndefined(path: string): Promise<{ mtimeMs: number } | undefined> {
  return stat(path).catch(() => undefined)
}
