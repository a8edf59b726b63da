/**
 * This node's record of each group it holds a part of (LevelDB sublevel `folders`): its role,
 * and what its copy holds — the last update applied, the manifest as of it, and the chunks that
 * were gone at the owner when it applied (named, so nobody waits for them). The owner also keeps
 * the folder's path and secret, and the secret wrapped to each reader; a reader keeps its own.
 */
import { z } from 'zod'
import { isChunkId } from '../folder-crypto.ts'
import type { Logger } from '../../log/logger.ts'
import type { Store } from '../../store/store.ts'
import { ManifestRefSchema } from './payload.ts'

export const FolderRecordSchema = z.object({
  v: z.literal(1),
  role: z.enum(['owner', 'host', 'reader']),
  name: z.string(),
  /** Owner: the shared folder's real path. */
  path: z.string().nullable(),
  /** Owner: the folder secret, base64. It leaves this node only wrapped to a reader. */
  secret: z.string().nullable(),
  /** The folder secret wrapped to each reader, base64 (a reader keeps its own entry). */
  readers: z.record(z.string(), z.string()),
  /** Host: the backup resource it hosts. */
  resource: z.string().nullable(),
  position: z.object({ epoch: z.number().int().nonnegative(), seq: z.number().int().nonnegative() }),
  manifest: ManifestRefSchema.nullable(),
  /** Chunks the manifest references that were gone when this copy applied it: answered "gone", never waited for. */
  holes: z.array(z.string().refine(isChunkId)),
})
export type FolderRecord = z.infer<typeof FolderRecordSchema>

export interface FolderRecords {
  load(): Promise<Map<string, FolderRecord>>
  get(group: string): FolderRecord | undefined
  /** Stores the record (the in-memory one at once, LevelDB once the returned promise resolves). */
  put(group: string, record: FolderRecord): Promise<void>
  delete(group: string): Promise<void>
}

export function createFolderRecords(store: Store, logger: Logger): FolderRecords {
  const records = new Map<string, FolderRecord>()
  return {
    async load() {
      for await (const [group, value] of store.sublevel('folders').iterator()) {
        const parsed = FolderRecordSchema.safeParse(value)
        if (parsed.success) records.set(group, parsed.data)
        else logger.warn({ group, err: parsed.error.issues[0]?.message }, 'a folder record is damaged; its group is left out')
      }
      return records
    },
    get: (group) => records.get(group),
    async put(group, record) {
      records.set(group, record)
      await store.commit([{ type: 'put', sublevel: 'folders', key: group, value: record }])
    },
    async delete(group) {
      records.delete(group)
      await store.commit([{ type: 'del', sublevel: 'folders', key: group }])
    },
  }
}
