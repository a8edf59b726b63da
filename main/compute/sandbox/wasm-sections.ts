/**
 * Reads the few sections of a WebAssembly binary the sandbox judges a module by: its function
 * types, imports, tables, memories and exports. JavaScript's reflection (WebAssembly.Module.imports)
 * names imports but hides memory limits, the shared flag and function signatures, which the
 * sandbox's rules are about. Call it only on bytes WebAssembly has already compiled: it trusts the
 * encoding and reads only what the rules need.
 */

export interface Limits {
  min: number
  max: number | null
  shared: boolean
  /** memory64 / table64 */
  wide: boolean
}

export interface FuncType {
  params: string[]
  results: string[]
}

export type ImportDesc =
  | { kind: 'func'; type: FuncType }
  | { kind: 'table'; limits: Limits }
  | { kind: 'memory'; limits: Limits }
  | { kind: 'global' | 'tag' }

export interface WasmImport {
  module: string
  name: string
  desc: ImportDesc
}

export interface WasmSections {
  imports: WasmImport[]
  /** Tables and memories the module defines itself. */
  tables: Limits[]
  memories: Limits[]
  /** Exported functions with their signatures (imports re-exported included). */
  functions: Map<string, FuncType>
}

/** The module uses an encoding jobs have no use for, which this reader does not follow. */
export class UnsupportedFeature extends Error {}

const SECTION = { type: 1, import: 2, function: 3, table: 4, memory: 5, export: 7 } as const

const VALUE_TYPES: Record<number, string> = { 0x7f: 'i32', 0x7e: 'i64', 0x7d: 'f32', 0x7c: 'f64', 0x7b: 'v128', 0x70: 'funcref', 0x6f: 'externref' }
/** Reference types that carry a heap type after them (function references / GC). */
const REF_WITH_HEAP_TYPE = new Set([0x64, 0x63])

class Reader {
  offset = 0
  readonly bytes: Uint8Array

  constructor(bytes: Uint8Array) {
    this.bytes = bytes
  }

  byte(): number {
    const value = this.bytes[this.offset++]
    if (value === undefined) throw new RangeError('Unexpected end of the module')
    return value
  }

  /** Unsigned LEB128 up to 53 bits. */
  u32(): number {
    let result = 0
    let scale = 1
    for (;;) {
      const byte = this.byte()
      result += (byte & 0x7f) * scale
      if ((byte & 0x80) === 0) return result
      scale *= 128
    }
  }

  /** Signed LEB128; only skipped over (heap types). */
  skipSigned(): void {
    while ((this.byte() & 0x80) !== 0);
  }

  name(): string {
    const length = this.u32()
    const text = new TextDecoder().decode(this.bytes.subarray(this.offset, this.offset + length))
    this.offset += length
    return text
  }

  valueType(): string {
    const code = this.byte()
    if (REF_WITH_HEAP_TYPE.has(code)) {
      this.skipSigned()
      return 'ref'
    }
    return VALUE_TYPES[code] ?? `0x${code.toString(16)}`
  }

  vector<T>(read: () => T): T[] {
    const count = this.u32()
    const items: T[] = []
    for (let i = 0; i < count; i++) items.push(read())
    return items
  }

  limits(): Limits {
    const flags = this.byte()
    const min = this.u32()
    const max = (flags & 0x01) !== 0 ? this.u32() : null
    return { min, max, shared: (flags & 0x02) !== 0, wide: (flags & 0x04) !== 0 }
  }

  tableType(): Limits {
    if (this.bytes[this.offset] === 0x40) throw new UnsupportedFeature('tables with initialiser expressions')
    this.valueType()
    return this.limits()
  }
}

export function readSections(bytes: Uint8Array): WasmSections {
  const reader = new Reader(bytes)
  reader.offset = 8 // magic and version, checked by the compiler
  const types: FuncType[] = []
  const imports: WasmImport[] = []
  const functionTypes: FuncType[] = []
  const sections: WasmSections = { imports, tables: [], memories: [], functions: new Map() }
  const exported: { name: string; index: number }[] = []
  const typeAt = (index: number): FuncType => {
    const type = types[index]
    if (type === undefined) throw new RangeError(`No function type ${index}`)
    return type
  }

  while (reader.offset < bytes.length) {
    const id = reader.byte()
    const size = reader.u32()
    const end = reader.offset + size
    switch (id) {
      case SECTION.type:
        types.push(
          ...reader.vector(() => {
            // Recursive groups and struct/array types belong to the GC proposal.
            if (reader.byte() !== 0x60) throw new UnsupportedFeature('garbage-collected types')
            return { params: reader.vector(() => reader.valueType()), results: reader.vector(() => reader.valueType()) }
          }),
        )
        break
      case SECTION.import:
        imports.push(
          ...reader.vector((): WasmImport => {
            const module = reader.name()
            const name = reader.name()
            const kind = reader.byte()
            if (kind === 0x00) {
              const type = typeAt(reader.u32())
              functionTypes.push(type)
              return { module, name, desc: { kind: 'func', type } }
            }
            if (kind === 0x01) return { module, name, desc: { kind: 'table', limits: reader.tableType() } }
            if (kind === 0x02) return { module, name, desc: { kind: 'memory', limits: reader.limits() } }
            if (kind === 0x03) {
              reader.valueType()
              reader.byte() // mutability
              return { module, name, desc: { kind: 'global' } }
            }
            reader.byte() // tag attribute
            reader.u32()
            return { module, name, desc: { kind: 'tag' } }
          }),
        )
        break
      case SECTION.function:
        functionTypes.push(...reader.vector(() => typeAt(reader.u32())))
        break
      case SECTION.table:
        sections.tables.push(...reader.vector(() => reader.tableType()))
        break
      case SECTION.memory:
        sections.memories.push(...reader.vector(() => reader.limits()))
        break
      case SECTION.export:
        for (const entry of reader.vector(() => ({ name: reader.name(), kind: reader.byte(), index: reader.u32() }))) {
          if (entry.kind === 0x00) exported.push({ name: entry.name, index: entry.index })
        }
        break
    }
    reader.offset = end
  }
  for (const { name, index } of exported) {
    const type = functionTypes[index]
    if (type !== undefined) sections.functions.set(name, type)
  }
  return sections
}
