/**
 * The contribution service: keeps the user's contribution settings in the store, checks changes
 * against this machine, watches whether the machine is idle (from the node's 1 s CPU samples, and
 * the desktop's idle time where there is one), and says what the node offers right now: the
 * cores jobs may use (none while paused) and the disk the contributed store may still take.
 */
import { ContributeInputSchema, type ContributeInput, type ContributionState, type Resources } from '../../shared/api/contribution-schemas.ts'
import { GridNodeError } from '../../shared/errors.ts'
import type { Logger } from '../log/logger.ts'
import type { Store } from '../store/store.ts'
import { DISK_REFRESH_MS, DISK_REPORT_STEP_BYTES } from './constants.ts'
import type { DiskSpace } from './disk-usage.ts'
import { DEFAULT_IDLE_THRESHOLDS, observeIdle, UNKNOWN_IDLE, type IdleState, type IdleThresholds } from './idle-detector.ts'
import { applyChange, coresOffered, defaultSettings, parseStoredSettings, type ContributionSettings } from './settings.ts'

const SETTINGS_KEY = 'settings'

/** How long the user has been away from keyboard and mouse; the desktop shell provides it. */
export interface SystemIdleProvider {
  /** Seconds since the last input (Electron: powerMonitor.getSystemIdleTime()). */
  idleSeconds(): number
}

/** One CPU sample: busy shares of all the machine's cores, 0–1, as the health sampler reads them. */
export interface CpuShares {
  machine: number
  /** This node's process with all its threads, job workers included. */
  process: number
}

export interface ContributionComponents {
  store: Store
  /** Subscribes to the node's CPU samples (one a second); returns the unsubscribe function. */
  onCpuSample(listener: (cpu: CpuShares) => void): () => void
  /** Bytes the contributed store holds. Until the chunk store reports exact usage, its folder's size. */
  usedBytes(): Promise<number>
  /** Free and total space of the data folder's file system. */
  diskSpace(): Promise<DiskSpace>
  /** Absent headless: then only the CPU other programs use tells whether the machine is idle. */
  systemIdle?: SystemIdleProvider
  logger: Logger
}

export interface ContributionInit {
  machineCores: number
  idle?: IdleThresholds
  diskRefreshMs?: number
}

export interface ContributionService {
  /** Loads the settings (saving the defaults on a first start) and starts watching. Idempotent. */
  start(): Promise<void>
  /** Idempotent. */
  stop(): void
  /** The settings as saved. */
  get(): ContributionSettings
  /**
   * Checks a change against this machine and saves it; what it leaves out stays. Rejects with
   * INVALID_INPUT, CORES_EXCEED_MACHINE or QUOTA_EXCEEDS_DISK, changing nothing.
   */
  set(change: ContributeInput): Promise<ContributionSettings>
  /** Whether jobs may run now: see ContributionStateSchema. */
  readonly state: ContributionState
  /** Whole cores jobs may use now: the offer while running, 0 while paused or off. */
  offeredCores(): number
  /** Bytes the contributed store may still take: min(free disk, quota − used), never negative. */
  offeredDiskBytes(): number
  /** The settings, the state and the disk figures, as the API and `status.resources` show them. */
  resources(): Resources
  /** Called when the settings or the state change (so the offer does): the job executor pauses and resumes on it. */
  onChange(listener: () => void): () => void
  /** Called when the measured disk figures move by a megabyte or more. */
  onUsageChange(listener: () => void): () => void
  /** Measures the disk now, e.g. after the chunk store has written or evicted a lot. */
  refreshDisk(): Promise<void>
}

export function createContributionService(components: ContributionComponents, init: ContributionInit): ContributionService {
  const { store, logger } = components
  const thresholds = init.idle ?? DEFAULT_IDLE_THRESHOLDS
  const changeListeners = new Set<() => void>()
  const usageListeners = new Set<() => void>()
  let settings: ContributionSettings | undefined
  let idle: IdleState = UNKNOWN_IDLE
  let disk = { usedBytes: 0, freeBytes: 0, totalBytes: 0 }
  let starting: Promise<void> | undefined
  let unsubscribe: (() => void) | undefined
  let timer: NodeJS.Timeout | undefined
  let reportedOffer = ''
  let reportedDisk = { usedBytes: 0, freeBytes: 0 }
  // Changes run one at a time, so two concurrent ones cannot both start from the same settings.
  let changes: Promise<unknown> = Promise.resolve()

  const loaded = (): ContributionSettings => {
    if (settings === undefined) throw new GridNodeError('NODE_STOPPING', 'The contribution settings are not loaded: the node is not running.')
    return settings
  }

  const state = (): ContributionState => {
    const current = loaded()
    if (coresOffered(current.cpu, init.machineCores) === 0) return 'off'
    return current.idleOnly && !idle.idle ? 'paused-busy' : 'running'
  }

  const roomBytes = (): number => Math.max(0, Math.min(disk.freeBytes, loaded().diskQuotaBytes - disk.usedBytes))

  const resources = (): Resources => {
    const current = loaded()
    return {
      cores: {
        machine: init.machineCores,
        offered: coresOffered(current.cpu, init.machineCores),
        mode: current.cpu.mode,
        ...(current.cpu.mode === 'percent' ? { percent: current.cpu.percent } : {}),
      },
      idleOnly: current.idleOnly,
      state: state(),
      disk: { quotaBytes: current.diskQuotaBytes, usedBytes: disk.usedBytes, freeBytes: roomBytes() },
    }
  }

  /** Tells the listeners if the offer (settings or state) differs from what they were last told. */
  const reportOffer = (): void => {
    const offer = JSON.stringify([state(), settings])
    if (offer === reportedOffer) return
    reportedOffer = offer
    for (const listener of changeListeners) listener()
  }

  const reportDisk = (): void => {
    const now = { usedBytes: disk.usedBytes, freeBytes: roomBytes() }
    const moved = Math.max(Math.abs(now.usedBytes - reportedDisk.usedBytes), Math.abs(now.freeBytes - reportedDisk.freeBytes))
    if (moved < DISK_REPORT_STEP_BYTES) return
    reportedDisk = now
    for (const listener of usageListeners) listener()
  }

  const measureDisk = async (): Promise<void> => {
    const [usedBytes, space] = await Promise.all([components.usedBytes(), components.diskSpace()])
    disk = { usedBytes, freeBytes: space.freeBytes, totalBytes: space.totalBytes }
  }

  const refreshDisk = async (): Promise<void> => {
    await measureDisk()
    if (settings !== undefined) reportDisk()
  }

  const observe = (cpu: CpuShares): void => {
    const userIdleSec = components.systemIdle?.idleSeconds()
    idle = observeIdle(idle, { machine: cpu.machine, own: cpu.process, ...(userIdleSec === undefined ? {} : { userIdleSec }) }, thresholds)
    reportOffer()
  }

  const save = (next: ContributionSettings): Promise<void> => store.commit([{ type: 'put', sublevel: 'contribution', key: SETTINGS_KEY, value: next }])

  const change = async (raw: ContributeInput): Promise<ContributionSettings> => {
    const input = ContributeInputSchema.safeParse(raw)
    if (!input.success) throw new GridNodeError('INVALID_INPUT', `Invalid contribution settings: ${input.error.issues[0]?.message ?? 'malformed'}.`)
    loaded()
    // The disk's size is checked against a fresh reading: the data folder may have moved.
    await measureDisk()
    const next = applyChange(loaded(), input.data, { cores: init.machineCores, diskTotalBytes: disk.totalBytes })
    await save(next)
    settings = next
    logger.info({ settings: next }, 'contribution settings changed')
    reportOffer()
    reportDisk()
    return next
  }

  return {
    start() {
      starting ??= (async () => {
        await measureDisk()
        const stored: unknown = await store.sublevel('contribution').get(SETTINGS_KEY)
        const parsed = parseStoredSettings(stored)
        if (parsed === undefined && stored !== undefined) {
          // Kept as it is, not overwritten: nothing is lost until the user saves new settings.
          logger.warn({ stored }, 'unreadable contribution settings; using the defaults until they are changed')
        }
        settings = parsed ?? defaultSettings(init.machineCores, disk.freeBytes)
        if (stored === undefined) await save(settings)
        reportedOffer = JSON.stringify([state(), settings])
        reportedDisk = { usedBytes: disk.usedBytes, freeBytes: roomBytes() }
        unsubscribe = components.onCpuSample(observe)
        timer = setInterval(() => {
          refreshDisk().catch((err: unknown) => logger.warn({ err }, 'disk measurement failed'))
        }, init.diskRefreshMs ?? DISK_REFRESH_MS)
        timer.unref()
      })()
      return starting
    },
    stop() {
      clearInterval(timer)
      timer = undefined
      unsubscribe?.()
      unsubscribe = undefined
      starting = undefined
    },
    get: loaded,
    set(raw) {
      const run = changes.then(() => change(raw))
      changes = run.catch(() => undefined)
      return run
    },
    get state() {
      return state()
    },
    offeredCores: () => (state() === 'running' ? coresOffered(loaded().cpu, init.machineCores) : 0),
    offeredDiskBytes: roomBytes,
    resources,
    onChange(listener) {
      changeListeners.add(listener)
      return () => changeListeners.delete(listener)
    },
    onUsageChange(listener) {
      usageListeners.add(listener)
      return () => usageListeners.delete(listener)
    },
    refreshDisk,
  }
}
