/**
 * The pack file format of the chunk store: a u32 chunk count, then per chunk its 32-byte id and
 * u32 size, then the chunks in that order. A pack is written under a temporary name, fsynced
 * once, renamed into its folder and the folder fsynced, so it is absent or whole, even across a
 * crash; a file that is not a whole pack (its sizes do not add up to its length) is not one.
 */
import { randomBytes } from 'node:crypto'
import { mkdir, open, rename, rm } from 'node:fs/promises'
import { join } from 'node:path'

export const PACK_PATTERN = /^[0-9a-f]{16}\.pack$/
const PACK_ENTRY_BYTES = 36

export interface PackEntry {
  id: string
  offset: number
  bytes: number
}

/** fsync a directory so a rename into it survives power loss; some platforms cannot open directories, which is fine there. */
export async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r').catch(() => undefined)
  if (handle === undefined) return
  try {
    await handle.sync().catch(() => undefined)
  } finally {
    await handle.close()
  }
}

/** The chunks a pack holds, from its header; undefined if the file is not a whole pack. */
export async function readPackIndex(path: string): Promise<PackEntry[] | undefined> {
  const file = await open(path, 'r')
  try {
    const size = (await file.stat()).size
    const head = Buffer.alloc(4)
    if ((await file.read(head, 0, 4, 0)).bytesRead < 4) return undefined
    const count = head.readUInt32BE(0)
    const headerBytes = 4 + count * PACK_ENTRY_BYTES
    if (headerBytes > size) return undefined
    const header = Buffer.alloc(headerBytes - 4)
    await file.read(header, 0, header.length, 4)
    const chunks = []
    let offset = headerBytes
    for (let i = 0; i < count; i++) {
      const bytes = header.readUInt32BE(i * PACK_ENTRY_BYTES + 32)
      chunks.push({ id: header.subarray(i * PACK_ENTRY_BYTES, i * PACK_ENTRY_BYTES + 32).toString('hex'), offset, bytes })
      offset += bytes
    }
    return offset === size ? chunks : undefined
  } finally {
    await file.close()
  }
}

/** Writes `chunks` as a new pack in `dir` (through `tempDir`); returns its name and where each chunk sits in it. */
export async function writePackFile(dir: string, tempDir: string, chunks: ReadonlyMap<string, Uint8Array>): Promise<{ pack: string; entries: PackEntry[] }> {
  const pack = `${randomBytes(8).toString('hex')}.pack`
  const temp = join(tempDir, pack)
  const header = Buffer.alloc(4 + chunks.size * PACK_ENTRY_BYTES)
  header.writeUInt32BE(chunks.size, 0)
  const entries: PackEntry[] = []
  let offset = header.length
  let i = 0
  for (const [id, data] of chunks) {
    header.write(id, i * PACK_ENTRY_BYTES + 4, 'hex')
    header.writeUInt32BE(data.length, i * PACK_ENTRY_BYTES + 36)
    entries.push({ id, offset, bytes: data.length })
    offset += data.length
    i++
  }
  try {
    const file = await open(temp, 'wx', 0o600)
    try {
      // Gathered by the kernel (writev), not copied into one buffer first: 8 MiB fresh pages a pack cost more than the write.
      const { bytesWritten } = await file.writev([header, ...chunks.values()])
      if (bytesWritten !== offset) throw new Error(`A pack was written short: ${bytesWritten} of ${offset} bytes.`)
      await file.sync()
    } finally {
      await file.close()
    }
    await mkdir(dir, { recursive: true, mode: 0o700 })
    await rename(temp, join(dir, pack))
    await syncDir(dir)
  } catch (err) {
    await rm(temp, { force: true })
    throw err
  }
  return { pack, entries }
}
