/**
 * Measurements the contribution service takes of the disk: the file system's free and total
 * space, and the contributed store's size until the chunk store reports its own exact usage.
 */
import { statfs } from 'node:fs/promises'
import { folderBytes, STORE_SIZE_REFRESH_MS } from '../health/sampling/disk.ts'

export interface DiskSpace {
  freeBytes: number
  totalBytes: number
}

export async function fileSystemSpace(path: string): Promise<DiskSpace> {
  const fs = await statfs(path)
  return { freeBytes: fs.bavail * fs.bsize, totalBytes: fs.blocks * fs.bsize }
}

/** The size of a folder, walked at most once per `maxAgeMs`: a large store is costly to walk. */
export function folderUsage(folder: string, maxAgeMs = STORE_SIZE_REFRESH_MS): () => Promise<number> {
  let bytes = 0
  let measuredAt = Number.NEGATIVE_INFINITY
  return async () => {
    if (performance.now() - measuredAt >= maxAgeMs) {
      measuredAt = performance.now()
      bytes = await folderBytes(folder)
    }
    return bytes
  }
}
