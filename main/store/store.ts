/**
 * The node's LevelDB database: one `level` instance per data folder, a sublevel per concern,
 * and a schema version checked at open. LevelDB's own LOCK file is what keeps a second node
 * off a data folder that is in use, so opening the store is the node's first step.
 */
import { Level } from 'level'
import { GridNodeError } from '../../shared/errors.ts'
import { InstrumentedLock } from '../health/instrumented-lock.ts'
import { SCHEMA_VERSION, type SublevelName } from './schema.ts'

type Json = unknown

const sublevelOf = (db: Level<string, Json>, name: string) => db.sublevel<string, Json>(name, { valueEncoding: 'json' })

export type Sublevel = ReturnType<typeof sublevelOf>

export type StoreOp = { type: 'put'; sublevel: SublevelName; key: string; value: Json } | { type: 'del'; sublevel: SublevelName; key: string }

export interface Store {
  /** The sublevel of one concern (JSON values), for reads; each concern keeps its keys to itself. */
  sublevel(name: SublevelName): Sublevel
  /** Writes atomically, one commit at a time: store commits are a sequential section of the node. */
  commit(ops: StoreOp[]): Promise<void>
  /** The lock commits run under, instrumented so its contention feeds the scalability estimate. */
  readonly commitLock: InstrumentedLock
  readonly schemaVersion: number
  close(): Promise<void>
}

const META_SCHEMA_KEY = 'schemaVersion'

function isLocked(err: unknown): boolean {
  const cause = (err as { cause?: { code?: string } } | undefined)?.cause
  return cause?.code === 'LEVEL_LOCKED'
}

export async function openStore(location: string): Promise<Store> {
  const db = new Level<string, Json>(location, { valueEncoding: 'json' })
  try {
    await db.open()
  } catch (err) {
    if (isLocked(err)) {
      throw new GridNodeError('DATA_DIR_LOCKED', `The data folder's database ${location} is in use by another GridNode.`, { cause: err })
    }
    throw new GridNodeError('DATA_DIR_UNUSABLE', `Cannot open the database ${location}: ${(err as Error).message}`, { cause: err })
  }

  const sublevels = new Map<SublevelName, Sublevel>()
  const sublevel = (name: SublevelName): Sublevel => {
    const existing = sublevels.get(name) ?? sublevelOf(db, name)
    sublevels.set(name, existing)
    return existing
  }
  const commitLock = new InstrumentedLock()
  const commit = (ops: StoreOp[]): Promise<void> =>
    commitLock.run(() =>
      db.batch(
        ops.map((op) =>
          op.type === 'put' ? { type: 'put', sublevel: sublevel(op.sublevel), key: op.key, value: op.value } : { type: 'del', sublevel: sublevel(op.sublevel), key: op.key },
        ),
      ),
    )

  const stored = await sublevel('meta').get(META_SCHEMA_KEY)
  if (typeof stored === 'number' && stored > SCHEMA_VERSION) {
    await db.close()
    throw new GridNodeError(
      'STORE_SCHEMA_NEWER',
      `The database was written by a newer GridNode (schema ${stored}, this one knows ${SCHEMA_VERSION}); update GridNode.`,
    )
  }
  if (stored !== SCHEMA_VERSION) await commit([{ type: 'put', sublevel: 'meta', key: META_SCHEMA_KEY, value: SCHEMA_VERSION }])

  return { schemaVersion: SCHEMA_VERSION, sublevel, commit, commitLock, close: () => db.close() }
}
