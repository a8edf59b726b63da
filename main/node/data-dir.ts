/**
 * The data folder's layout, an external contract (DESIGN.md): identity, LevelDB database,
 * contributed store, logs and the api.json the CLI uses to find the running node.
 */
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { GridNodeError } from '../../shared/errors.ts'

export interface DataDirLayout {
  root: string
  identityKey: string
  /** The VO's root key, kept only by the node that created the VO. */
  voRootKey: string
  database: string
  contributedStore: string
  apiFile: string
  logFile: string
}

export function dataDirLayout(root: string): DataDirLayout {
  return {
    root,
    identityKey: join(root, 'identity.key'),
    voRootKey: join(root, 'vo-root.key'),
    database: join(root, 'db'),
    contributedStore: join(root, 'store'),
    apiFile: join(root, 'api.json'),
    logFile: join(root, 'logs', 'gridnode.log'),
  }
}

/** Creates the folder private to its user (it holds the node's secret key). */
export async function ensureDataDir(root: string): Promise<void> {
  try {
    await mkdir(root, { recursive: true, mode: 0o700 })
  } catch (err) {
    throw new GridNodeError('DATA_DIR_UNUSABLE', `Cannot create the data folder ${root}: ${(err as Error).message}`, { cause: err })
  }
}
