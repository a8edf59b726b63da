/**
 * `DATA/api.json`: how the CLI finds the running node (URL and bearer token), readable by its
 * user only. A file left behind by a killed node is recognised by its dead pid.
 */
import { readFile, rename, rm, writeFile } from 'node:fs/promises'
import { z } from 'zod'
import { GridNodeError } from '../../shared/errors.ts'

export const ApiFileSchema = z.object({
  url: z.string().url(),
  token: z.string().min(32),
  pid: z.number().int().positive(),
  peerId: z.string(),
  version: z.string(),
})
export type ApiFile = z.infer<typeof ApiFileSchema>

export async function writeApiFile(path: string, content: ApiFile): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`
  await writeFile(temp, JSON.stringify(content, null, 2) + '\n', { mode: 0o600 })
  await rename(temp, path)
}

/** Removes the file only if it still describes this process (a newer node may have replaced it). */
export async function removeApiFile(path: string, pid: number): Promise<void> {
  const current = await readApiFileRaw(path)
  if (current?.pid === pid) await rm(path, { force: true })
}

async function readApiFileRaw(path: string): Promise<ApiFile | undefined> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw err
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return undefined
  }
  const result = ApiFileSchema.safeParse(parsed)
  return result.success ? result.data : undefined
}

/** Whether a process exists (EPERM: it does, but belongs to someone else). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** The API of the node running on `dataDir`; NODE_NOT_RUNNING when there is none. */
export async function readApiFile(path: string, dataDir: string): Promise<ApiFile> {
  const content = await readApiFileRaw(path)
  if (content === undefined || !isProcessAlive(content.pid)) {
    throw new GridNodeError('NODE_NOT_RUNNING', `No GridNode is running on the data folder ${dataDir}; start one with \`gridnode start\`.`)
  }
  return content
}
