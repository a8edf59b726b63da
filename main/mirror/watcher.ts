/**
 * Watches a shared folder (@parcel/watcher: the system's own recursive watcher, crawled and read
 * on native threads, so a large folder costs the main thread next to nothing) and says which
 * paths to rescan, soon after they change: events are coalesced until the folder has been quiet
 * for WATCH_QUIET_MS, or WATCH_MAX_DELAY_MS after the first one, so an edit reaches the scanner
 * well under a second later, and a burst of writes is one rescan. Partly written files need no
 * waiting here: the scanner reads a file again when it changes under it, and the next event
 * brings the rest. An atomic save (write a temporary file, rename it over the old) arrives as an
 * event on the saved path. Symlinks inside the folder are not followed.
 *
 * On Linux, parcel watches a directory that arrives (created, moved in, renamed) but not the
 * subdirectories it already holds (parcel-bundler/watcher#97), and keeps reporting those under
 * their old path after a rename: such a directory gets a subscription of its own, then a rescan.
 * A periodic full rescan catches what events miss (overflowed kernel queues, a watch the system
 * refused, changes while stopped); the subscriptions are renewed right before it.
 *
 * Start the watcher before the first full scan, so nothing changed in between goes unseen.
 */
import { lstat, opendir, realpath } from 'node:fs/promises'
import { sep } from 'node:path'
import { subscribe, type AsyncSubscription, type BackendType, type Event as PathEvent } from '@parcel/watcher'
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

type FullReason = Extract<RescanRequest, { kind: 'full' }>['reason']

/** The system's own watcher, never watchman (parcel's first choice when installed: a daemon with ignore rules of its own). */
const BACKEND: BackendType = process.platform === 'win32' ? 'windows' : process.platform === 'darwin' ? 'fs-events' : 'inotify'

/** The subscriptions of one watching session: the folder's own, and one per directory that arrived with subdirectories. */
interface Session {
  /** The folder's real path: parcel reports real paths. */
  root: string
  /** Absolute directory → its subscription. */
  subscriptions: Map<string, AsyncSubscription>
  /** Arrivals being looked at or subscribed to: closing waits for them. */
  arrivals: Set<Promise<void>>
  onEvents: (err: Error | null, events: PathEvent[]) => void
}

const toPosix = (path: string) => (sep === '/' ? path : path.split(sep).join('/'))

const isAtOrUnder = (path: string, dir: string) => path === dir || path.startsWith(dir + sep)

/** `path` relative to `root` in POSIX form ('' for the root itself), or undefined outside it. */
function relativeTo(root: string, path: string): string | undefined {
  if (path === root) return ''
  const prefix = root.endsWith(sep) ? root : root + sep
  return path.startsWith(prefix) ? toPosix(path.slice(prefix.length)) : undefined
}

/** Whether `path` is a directory (not a symlink to one) holding at least one directory. */
async function holdsDirectory(path: string): Promise<boolean> {
  try {
    if (!(await lstat(path)).isDirectory()) return false
    for await (const entry of await opendir(path)) if (entry.isDirectory()) return true
  } catch {
    // Gone or unreadable again: nothing to watch there.
  }
  return false
}

export function createFolderWatcher(components: FolderWatcherComponents, init: FolderWatcherInit): FolderWatcher {
  const { logger } = components
  const quietMs = init.quietMs ?? WATCH_QUIET_MS
  const maxDelayMs = init.maxDelayMs ?? WATCH_MAX_DELAY_MS
  const maxPaths = init.maxPaths ?? WATCH_MAX_PATHS
  let running = false
  /** Events of any other session (stopped, renewed) are dropped. */
  let session: Session | undefined
  let interval: NodeJS.Timeout | undefined
  let renewing: Promise<void> | undefined
  let flushTimer: NodeJS.Timeout | undefined
  let firstEventAt = 0
  /** start, stop and renewals run one at a time, in call order, so any interleaving of calls ends in the last one's state. */
  let transitions: Promise<void> = Promise.resolve()
  const pending = new Set<string>()
  let full: FullReason | undefined

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

  const requestFull = (reason: FullReason): void => {
    full ??= reason
    schedule()
  }

  const requestPath = (relative: string): void => {
    if (relative === '') full ??= 'root-changed'
    else if (pending.size >= maxPaths) full ??= 'overflow'
    else pending.add(relative)
    schedule()
  }

  const serialize = (transition: () => Promise<void>): Promise<void> => {
    const done = transitions.then(transition)
    transitions = done.catch(() => undefined)
    return done
  }

  const unsubscribeAll = async (subscriptions: AsyncSubscription[]): Promise<void> => {
    for (const result of await Promise.allSettled(subscriptions.map((s) => s.unsubscribe()))) {
      if (result.status === 'rejected') logger.debug({ err: result.reason, root: init.root }, 'a folder subscription did not close cleanly')
    }
  }

  /** Subscribes to a directory that arrived holding subdirectories, then has it rescanned, now that all of it is watched. */
  const watchArrival = async (current: Session, dir: string): Promise<void> => {
    const replaced = current.subscriptions.get(dir)
    current.subscriptions.delete(dir)
    // A subscription to the same directory must close first: parcel would reuse it, stale as it is.
    if (replaced !== undefined) await unsubscribeAll([replaced])
    try {
      const subscription = await subscribe(dir, current.onEvents, { backend: BACKEND })
      if (session !== current) {
        await unsubscribeAll([subscription])
        return
      }
      const covered = [...current.subscriptions].filter(([path]) => path !== current.root && isAtOrUnder(path, dir))
      for (const [path] of covered) current.subscriptions.delete(path)
      current.subscriptions.set(dir, subscription)
      requestPath(relativeTo(current.root, dir)!)
      await unsubscribeAll(covered.map(([, covering]) => covering))
    } catch (err) {
      if (session !== current) return
      logger.warn({ err, root: init.root, dir }, 'a folder that arrived could not be watched; asking for a full rescan')
      requestFull('watch-error')
    }
  }

  const watchArrivals = async (current: Session, created: string[]): Promise<void> => {
    // Shortest first: a directory subscribed to here covers what arrived inside it.
    const subscribed: string[] = []
    for (const dir of created.sort((a, b) => a.length - b.length)) {
      if (session !== current) return
      if (subscribed.some((outer) => isAtOrUnder(dir, outer)) || !(await holdsDirectory(dir))) continue
      await watchArrival(current, dir)
      subscribed.push(dir)
    }
  }

  const dropSubscriptionsUnder = (current: Session, path: string): void => {
    const gone = [...current.subscriptions].filter(([dir]) => isAtOrUnder(dir, path))
    for (const [dir] of gone) current.subscriptions.delete(dir)
    void unsubscribeAll(gone.map(([, subscription]) => subscription))
  }

  const onEvents = (current: Session, err: Error | null, events: PathEvent[]): void => {
    if (session !== current) return
    if (err !== null) {
      logger.warn({ err, root: init.root }, 'folder watcher error; watching again and asking for a full rescan')
      void renew('watch-error')
      return
    }
    const created: string[] = []
    for (const { path, type } of events) {
      const relative = relativeTo(current.root, path)
      if (relative === undefined) continue
      if (relative !== '' && type === 'create' && BACKEND === 'inotify') created.push(path)
      else if (relative !== '' && type === 'delete' && current.subscriptions.size > 1) dropSubscriptionsUnder(current, path)
      requestPath(relative)
    }
    if (created.length === 0) return
    const arriving = watchArrivals(current, created)
    current.arrivals.add(arriving)
    void arriving.finally(() => current.arrivals.delete(arriving))
  }

  /** Subscribes to the folder; false (logged) when it cannot be watched. Resolves once the whole tree is watched. */
  const open = async (): Promise<boolean> => {
    try {
      const root = await realpath(init.root)
      const current: Session = { root, subscriptions: new Map(), arrivals: new Set(), onEvents: (err, events) => onEvents(current, err, events) }
      session = current
      current.subscriptions.set(root, await subscribe(root, current.onEvents, { backend: BACKEND }))
      return true
    } catch (err) {
      session = undefined
      logger.warn({ err, root: init.root }, 'the folder cannot be watched; asking for full rescans instead')
      return false
    }
  }

  const close = async (): Promise<void> => {
    const closing = session
    session = undefined
    if (closing === undefined) return
    await Promise.all(closing.arrivals)
    await unsubscribeAll([...closing.subscriptions.values()])
  }

  /** Watches the folder afresh (a new crawl: no subdirectory left unwatched, no stale paths), then asks for a full rescan. */
  const renew = (reason: FullReason): Promise<void> =>
    (renewing ??= serialize(async () => {
      if (!running) return
      await close()
      requestFull((await open()) ? reason : 'watch-error')
    }).finally(() => (renewing = undefined)))

  const start = (): Promise<void> =>
    serialize(async () => {
      if (running) return
      running = true
      if (!(await open())) requestFull('watch-error')
      interval = setInterval(() => void renew('interval'), init.fullRescanIntervalMs ?? FULL_RESCAN_INTERVAL_MS)
      interval.unref()
    })

  const stop = (): Promise<void> =>
    serialize(async () => {
      if (!running) return
      running = false
      clearInterval(interval)
      clearTimeout(flushTimer)
      flushTimer = undefined
      pending.clear()
      full = undefined
      await close()
    })

  return { start, stop }
}
