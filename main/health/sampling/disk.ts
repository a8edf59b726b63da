/**
 * Disk use of the data folder: free and total space of its file system (cheap, every sample) and
 * the bytes of the database and contributed store (a directory walk, so refreshed less often).
 */
import { readdir, stat, statfs } from 'node:fs/promises'
import { join } from 'node:path'

export interface DiskReading {
  storeBytes: number
  freeBytes: number
  totalBytes: number
}

/** How stale the store size may get; walking a large contributed store each second would cost. */
export const STORE_SIZE_REFRESH_MS = 30_000

/** Bytes of the files under a folder (0 if it does not exist). */
export async function folderBytes(path: string): Promise<number> {
  const entries = await readdir(path, { withFileTypes: true, recursive: true }).catch(() => [])
  const sizes = await Promise.all(
    entries.filter((entry) => entry.isFile()).map((entry) => stat(join(entry.parentPath, entry.name)).then((s) => s.size, () => 0)),
  )
  return sizes.reduce((sum, size) => sum + size, 0)
}

export interface DiskSampler {
  read(): Promise<DiskReading>
}

export function createDiskSampler(root: string, storeFolders: string[]): DiskSampler {
  let storeBytes = 0
  let sizedAt = Number.NEGATIVE_INFINITY

  return {
    async read() {
      if (performance.now() - sizedAt >= STORE_SIZE_REFRESH_MS) {
        sizedAt = performance.now()
        storeBytes = (await Promise.all(storeFolders.map(folderBytes))).reduce((a, b) => a + b, 0)
      }
      const fs = await statfs(root)
      return { storeBytes, freeBytes: fs.bavail * fs.bsize, totalBytes: fs.blocks * fs.bsize }
    },
  }
}
