/**
 * Judges a module before it may run: valid WebAssembly, no memory of its own, no imports beyond
 * the ABI's (so no file system, network or WASI), bounded tables, and at least one entry with the
 * ABI's signature. Every refusal is INVALID_MODULE with the reason.
 */
import { GridNodeError } from '../../../shared/errors.ts'
import { ABI, SIGNATURES, hasSignature } from './abi.ts'
import { MAX_TABLE_ELEMENTS } from './constants.ts'
import { UnsupportedFeature, readSections, type FuncType, type WasmImport, type WasmSections } from './wasm-sections.ts'

export interface ModuleInfo {
  /** Exported functions usable as a job's entry. */
  entries: string[]
  /** Exports step/output/checkpoint/restore, so its step-driven entries can be checkpointed. */
  checkpointable: boolean
  /** The memory the module asks for, in 64 KiB pages (maximum null: as much as the job allows). */
  memoryPages: { initial: number; maximum: number | null }
}

export type EntryMode = 'call' | 'steps'

export interface InspectedModule {
  info: ModuleInfo
  compiled: WebAssembly.Module
  /** How each entry runs: one call, or init then steps. */
  modes: ReadonlyMap<string, EntryMode>
}

const STEP_EXPORTS = [
  [ABI.step, SIGNATURES.step],
  [ABI.output, SIGNATURES.bytes],
  [ABI.checkpoint, SIGNATURES.bytes],
  [ABI.restore, SIGNATURES.restore],
] as const

/** The functions the host offers a job, by import name. */
const HOST_FUNCTIONS = { [ABI.progress]: SIGNATURES.progress, [ABI.outOfMemory]: SIGNATURES.outOfMemory } as const

const invalid = (reason: string): GridNodeError => new GridNodeError('INVALID_MODULE', reason)

export function inspectModule(bytes: Uint8Array): InspectedModule {
  let compiled: WebAssembly.Module
  let sections: WasmSections
  try {
    compiled = new WebAssembly.Module(bytes as BufferSource)
    sections = readSections(bytes)
  } catch (err) {
    if (err instanceof UnsupportedFeature) throw invalid(`The module uses ${err.message}, which jobs may not use.`)
    throw invalid(`This is not a valid WebAssembly module: ${err instanceof Error ? err.message : String(err)}`)
  }
  const memoryPages = checkImports(sections.imports)
  if (sections.memories.length > 0) {
    throw invalid(`The module defines its own memory; a job must import its memory as ${ABI.namespace}.${ABI.memory} so the host can cap it.`)
  }
  for (const table of sections.tables) {
    if (table.max === null || table.max > MAX_TABLE_ELEMENTS || table.wide) {
      throw invalid(`Every table of a job must declare a maximum of at most ${MAX_TABLE_ELEMENTS} elements.`)
    }
  }
  const checkpointable = isCheckpointable(sections.functions)
  const modes = entryModes(sections.functions, checkpointable)
  if (modes.size === 0) {
    throw invalid('The module exports no entry function with the job ABI signature (i32, i32) → (i32, i32), nor a checkpointable step-driven entry.')
  }
  return {
    info: { entries: [...modes.keys()], checkpointable, memoryPages },
    compiled,
    modes,
  }
}

function checkImports(imports: WasmImport[]): ModuleInfo['memoryPages'] {
  let memoryPages: ModuleInfo['memoryPages'] | undefined
  for (const { module, name, desc } of imports) {
    const what = `${module}.${name}`
    if (module === ABI.namespace && name === ABI.memory && desc.kind === 'memory') {
      if (desc.limits.shared || desc.limits.wide) throw invalid(`The memory ${what} must be a plain 32-bit, unshared memory.`)
      memoryPages = { initial: desc.limits.min, maximum: desc.limits.max }
    } else if (module === ABI.namespace && desc.kind === 'func' && Object.hasOwn(HOST_FUNCTIONS, name)) {
      const signature = HOST_FUNCTIONS[name as keyof typeof HOST_FUNCTIONS]
      if (!hasSignature(desc.type, signature)) throw invalid(`${what} must be imported as a function (${signature.params.join(', ')}) → ().`)
    } else {
      const allowed = [ABI.memory, ...Object.keys(HOST_FUNCTIONS)].map((allowedName) => `${ABI.namespace}.${allowedName}`)
      throw invalid(`The module imports ${what} (${desc.kind}); jobs may import only ${allowed.join(', ')}.`)
    }
  }
  if (memoryPages === undefined) throw invalid(`The module must import its memory as ${ABI.namespace}.${ABI.memory}.`)
  return memoryPages
}

function isCheckpointable(functions: ReadonlyMap<string, FuncType>): boolean {
  return STEP_EXPORTS.every(([name, signature]) => {
    const type = functions.get(name)
    return type !== undefined && hasSignature(type, signature)
  })
}

function entryModes(functions: ReadonlyMap<string, FuncType>, checkpointable: boolean): Map<string, EntryMode> {
  const reserved = new Set<string>(STEP_EXPORTS.map(([name]) => name))
  const modes = new Map<string, EntryMode>()
  for (const [name, type] of functions) {
    if (reserved.has(name)) continue
    if (hasSignature(type, SIGNATURES.call)) modes.set(name, 'call')
    else if (checkpointable && hasSignature(type, SIGNATURES.init)) modes.set(name, 'steps')
  }
  return modes
}
