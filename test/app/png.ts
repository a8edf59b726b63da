/** Pixel size of a PNG, read from its IHDR chunk (the first chunk, at a fixed offset). */
import { open } from 'node:fs/promises'

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

export async function pngSize(path: string): Promise<{ width: number; height: number }> {
  const file = await open(path)
  try {
    const header = Buffer.alloc(24)
    await file.read(header, 0, header.length, 0)
    if (!header.subarray(0, 8).equals(SIGNATURE) || header.toString('latin1', 12, 16) !== 'IHDR') {
      throw new Error(`${path} is not a PNG file`)
    }
    return { width: header.readUInt32BE(16), height: header.readUInt32BE(20) }
  } finally {
    await file.close()
  }
}
