/**
 * Watches a shared folder (chokidar) and says which paths to rescan, soon after they change:
 * events are coalesced until the folder has been quiet for WATCH_QUIET_MS, or WATCH_MAX_DELAY_MS
 * after the first one, so an edit reaches the scanner well under a second later, and a burst of
 * writes is one rescan. Partly written files need no waiting here: the scanner reads a file
 * again when it changes under it, and the next event brings the rest. An atomic save (write a
 * temporary file, rename it over the old) arrives as a change of the saved path (chokidar's
 * `atomic`). A periodic full rescan catches what events miss (overflowed kernel queues,
 * changes while stopped).
 *
 * Start the watcher before the first full scan, so nothing changed in between goes unseen.
 */
import { sep } from 'node:path'
import { watch, type FSWatcher } from 'chokidar'
import type { Logger } from '../log/logger.ts'
import { FULL_RESCAN_INTERVAL_MS, WATCH_MAX_DELAY_MS, WATCH_MAX_PATHS, WATCH_QUIET_MS } from './constants.ts'

export type RescanRequest =
  /** Rescan these relative POSIX paths and what lies under them (scanFolder's `paths`). */
  | { kind: 'paths'; paths: string[] }
  /** Rescan the whole folder. */
  | { kind: 'full'; reason: 'interval' | 'overflow' | 'watch-error' | 'root-changed' }

export interface FolderWatcherComponents {
  logger: Logger
}

export interface FolderWatcherInit {
  root: string
  /** Called with each coalesced batch: schedule the rescan, don't run it inline. */
  onRescan: (request: RescanRequest) => void
  quietMs?: number
  maxDelayMs?: number
  fullRescanIntervalMs?: number
  maxPaths?: number
}

export interface FolderWatcher {
  /** Resolves once the folder is being watched. Idempotent. */
  start(): Promise<void>
  /** Stops watching and drops batches not yet reported. Idempotent. */
  stop(): Promise<void>
}

const toPosix = (path: string) => (sep === '/' ? path : path.split(sep).join('/'))

export function createFolderWatcher(components: FolderWatcherComponents, init: FolderWatcherInit): FolderWatcher {
  const { logger } = components
  const quietMs = init.quietMs ?? WATCH_QUIET_MS
  const maxDelayMs = init.maxDelayMs ?? WATCH_MAX_DELAY_MS
  const maxPaths = init.maxPaths ?? WATCH_MAX_PATHS
  let watcher: FSWatcher | undefined
  let interval: NodeJS.Timeout | undefined
  let flushTimer: NodeJS.Timeout | undefined
  let firstEventAt = 0
  /** start and stop run one at a time, in call order, so any interleaving of calls ends in the last one's state. */
  let transitions: Promise<void> = Promise.resolve()
  const pending = new Set<string>()
  let full: Extract<RescanRequest, { kind: 'full' }>['reason'] | undefined

  const flush = (): void => {
    flushTimer = undefined
    const request: RescanRequest = full !== undefined ? { kind: 'full', reason: full } : { kind: 'paths', paths: [...pending].sort() }
    pending.clear()
    full = undefined
    try {
      init.onRescan(request)
    } catch (err) {
      logger.error({ err, root: init.root }, 'a rescan request failed')
    }
  }

  const schedule = (): void => {
    const now = performance.now()
    if (flushTimer === undefined) firstEventAt = now
    else clearTimeout(flushTimer)
    flushTimer = setTimeout(flush, Math.max(0, Math.min(quietMs, firstEventAt + maxDelayMs - now)))
  }

  const onPath = (path: string): void => {
    if (watcher === undefined) return
    const relative = toPosix(path)
    if (relative === '' || relative === '.') full ??= 'root-changed'
    else if (pending.size >= maxPaths) full ??= 'overflow'
    else pending.add(relative)
    schedule()
  }

  const serialize = (transition: () => Promise<void>): Promise<void> => {
    const done = transitions.then(transition)
    transitions = done.catch(() => undefined)
    return done
  }

  const start = (): Promise<void> =>
    serialize(async () => {
      if (watcher !== undefined) return
      const created = watch('.', { cwd: init.root, ignoreInitial: true, followSymlinks: false, atomic: true, ignorePermissionErrors: true, persistent: true })
      created.on('all', (_event, path) => onPath(path))
      created.on('error', (err) => {
        logger.warn({ err, root: init.root }, 'folder watcher error; asking for a full rescan')
        full ??= 'watch-error'
        schedule()
      })
      await new Promise<void>((resolve) => created.once('ready', resolve))
      watcher = created
      interval = setInterval(() => {
        full ??= 'interval'
        schedule()
      }, init.fullRescanIntervalMs ?? FULL_RESCAN_INTERVAL_MS)
      interval.unref()
    })

  const stop = (): Promise<void> =>
    serialize(async () => {
      const closing = watcher
      if (closing === undefined) return
      watcher = undefined
      clearInterval(interval)
      clearTimeout(flushTimer)
      flushTimer = undefined
      pending.clear()
      full = undefined
      await closing.close()
    })

  return { start, stop }
}
