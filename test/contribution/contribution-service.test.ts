/**
 * The contribution service on a real LevelDB store: defaults on a first start, changes checked
 * against the machine (refused with a code, changing nothing) and kept across restarts, the offer
 * paused and resumed by idle detection, and the disk offered within the quota. CPU samples are
 * fed in as the health sampler would; the disk figures are given so the expected values are exact.
 */
import assert from 'node:assert/strict'
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { GridNodeError } from '../../shared/errors.ts'
import { DEFAULT_QUOTA_BYTES, DEFAULT_QUOTA_FREE_SHARE, DISK_REPORT_STEP_BYTES } from '../../main/contribution/constants.ts'
import { createContributionService, type ContributionComponents, type ContributionService, type CpuShares } from '../../main/contribution/contribution-service.ts'
import { fileSystemSpace, folderUsage, type DiskSpace } from '../../main/contribution/disk-usage.ts'
import { DEFAULT_IDLE_THRESHOLDS } from '../../main/contribution/idle-detector.ts'
import { createLogger } from '../../main/log/logger.ts'
import { openStore, type Store } from '../../main/store/store.ts'

const GiB = 2 ** 30
const MACHINE_CORES = 4
const withCode = (code: string) => (err: unknown) => err instanceof GridNodeError && err.code === code
const quiet: CpuShares = { machine: 0.05, process: 0.02 }
const busy: CpuShares = { machine: 0.6, process: 0.02 }

interface Harness {
  service: ContributionService
  /** Feeds one CPU sample, as the health sampler does once a second. */
  sample(cpu: CpuShares): void
  disk: DiskSpace & { usedBytes: number }
}

async function tempDb(): Promise<string> {
  return join(await mkdtemp(join(tmpdir(), 'gridnode-contribution-')), 'db')
}

async function openService(t: TestContext, location: string, overrides: Partial<ContributionComponents> = {}): Promise<Harness & { store: Store }> {
  const store = await openStore(location)
  const disk = { freeBytes: 200 * GiB, totalBytes: 500 * GiB, usedBytes: 0 }
  let listener: ((cpu: CpuShares) => void) | undefined
  const service = createContributionService(
    {
      store,
      onCpuSample: (next) => {
        listener = next
        return () => (listener = undefined)
      },
      usedBytes: async () => disk.usedBytes,
      diskSpace: async () => ({ freeBytes: disk.freeBytes, totalBytes: disk.totalBytes }),
      logger: createLogger({ level: 'silent' }),
      ...overrides,
    },
    { machineCores: MACHINE_CORES },
  )
  await service.start()
  t.after(async () => {
    service.stop()
    await store.close()
  })
  return { service, store, disk, sample: (cpu) => listener?.(cpu) }
}

/** Opens, lets `change` act, closes: the next open of `location` is a restart. */
async function session(t: TestContext, location: string, change: (harness: Harness) => Promise<void>): Promise<void> {
  const harness = await openService(t, location)
  await change(harness)
  harness.service.stop()
  await harness.store.close()
}

test('a first start offers every core, always, and 10 GiB of disk (or 20 % of the free disk if less)', async (t) => {
  const { service } = await openService(t, await tempDb())
  assert.deepEqual(service.resources(), {
    cores: { machine: MACHINE_CORES, offered: MACHINE_CORES, mode: 'cores' },
    idleOnly: false,
    state: 'running',
    disk: { quotaBytes: DEFAULT_QUOTA_BYTES, usedBytes: 0, freeBytes: DEFAULT_QUOTA_BYTES },
  })
  assert.equal(service.offeredCores(), MACHINE_CORES)

  const smallFree = 20 * GiB
  const { service: small } = await openService(t, await tempDb(), { diskSpace: async () => ({ freeBytes: smallFree, totalBytes: 100 * GiB }) })
  assert.equal(small.get().diskQuotaBytes, Math.floor(smallFree * DEFAULT_QUOTA_FREE_SHARE))
})

test('changes are kept across a restart, and what a change leaves out stays as it was', async (t) => {
  const location = await tempDb()
  await session(t, location, async ({ service }) => {
    await service.set({ cores: 1, diskQuotaBytes: GiB })
    await service.set({ idleOnly: true })
  })
  const { service } = await openService(t, location)
  assert.deepEqual(service.get(), { version: 1, cpu: { mode: 'cores', cores: 1 }, idleOnly: true, diskQuotaBytes: GiB })
  const { cores, disk, idleOnly } = service.resources()
  assert.deepEqual({ cores, quota: disk.quotaBytes, idleOnly }, { cores: { machine: MACHINE_CORES, offered: 1, mode: 'cores' }, quota: GiB, idleOnly: true })
})

test('a CPU percentage offers that share in whole cores, at least one, and replaces a core count', async (t) => {
  const { service } = await openService(t, await tempDb())
  await service.set({ cpuPercent: 50 })
  assert.deepEqual(service.resources().cores, { machine: MACHINE_CORES, offered: 2, mode: 'percent', percent: 50 })
  await service.set({ cpuPercent: 10 })
  assert.equal(service.offeredCores(), 1)
  await service.set({ cores: 3 })
  assert.deepEqual(service.resources().cores, { machine: MACHINE_CORES, offered: 3, mode: 'cores' })
})

test('a change asking for more than the machine has is refused with its code and changes nothing', async (t) => {
  const location = await tempDb()
  await session(t, location, async ({ service, disk }) => {
    await service.set({ cores: 2, diskQuotaBytes: 5 * GiB })
    await assert.rejects(service.set({ cores: MACHINE_CORES + 1, idleOnly: true }), withCode('CORES_EXCEED_MACHINE'))
    await assert.rejects(service.set({ diskQuotaBytes: disk.totalBytes + 1 }), withCode('QUOTA_EXCEEDS_DISK'))
    await assert.rejects(service.set({ cores: 1, cpuPercent: 50 }), withCode('INVALID_INPUT'))
    await assert.rejects(service.set({ cpuPercent: 101 }), withCode('INVALID_INPUT'))
    await assert.rejects(service.set({ cores: -1 }), withCode('INVALID_INPUT'))
    await assert.rejects(service.set({ cores: 1.5 }), withCode('INVALID_INPUT'))
  })
  const { service } = await openService(t, location)
  assert.deepEqual(service.get(), { version: 1, cpu: { mode: 'cores', cores: 2 }, idleOnly: false, diskQuotaBytes: 5 * GiB })
})

test('offering no CPU turns the contribution off', async (t) => {
  const { service } = await openService(t, await tempDb())
  const changes: string[] = []
  service.onChange(() => changes.push(service.state))
  await service.set({ cores: 0 })
  assert.equal(service.state, 'off')
  assert.equal(service.offeredCores(), 0)
  await service.set({ cpuPercent: 0 })
  assert.equal(service.state, 'off')
  await service.set({ cores: 2 })
  assert.deepEqual(changes, ['off', 'off', 'running'])
})

test('only when idle: paused until the machine has been idle a while, paused at the first busy sample, then resumed', async (t) => {
  const { service, sample } = await openService(t, await tempDb())
  const states: string[] = []
  service.onChange(() => states.push(service.state))
  await service.set({ cores: 2, idleOnly: true })
  assert.equal(service.state, 'paused-busy', 'idleness is not assumed before it has been seen')
  assert.equal(service.offeredCores(), 0)

  for (let i = 0; i < DEFAULT_IDLE_THRESHOLDS.resumeAfterIdleSamples; i++) sample(quiet)
  assert.equal(service.state, 'running')
  assert.equal(service.offeredCores(), 2)

  sample(busy)
  assert.equal(service.state, 'paused-busy')
  assert.equal(service.offeredCores(), 0)
  assert.equal(service.resources().cores.offered, 2, 'the setting is shown as set while paused')

  for (let i = 0; i < DEFAULT_IDLE_THRESHOLDS.resumeAfterIdleSamples; i++) sample(quiet)
  assert.equal(service.state, 'running')
  // One event per transition (the first is the change of settings itself).
  assert.deepEqual(states, ['paused-busy', 'running', 'paused-busy', 'running'])

  await service.set({ idleOnly: false })
  sample(busy)
  assert.equal(service.state, 'running', 'without idle-only a busy machine does not pause')
})

test('the desktop idle time pauses work while the user is present', async (t) => {
  let idleSeconds = 3600
  const { service, sample } = await openService(t, await tempDb(), { systemIdle: { idleSeconds: () => idleSeconds } })
  await service.set({ idleOnly: true })
  for (let i = 0; i < DEFAULT_IDLE_THRESHOLDS.resumeAfterIdleSamples; i++) sample(quiet)
  assert.equal(service.state, 'running')
  idleSeconds = 0
  sample(quiet)
  assert.equal(service.state, 'paused-busy')
})

test('the disk offered is what is left of the quota, bounded by the free disk, never negative', async (t) => {
  const { service, disk } = await openService(t, await tempDb())
  const usage: number[] = []
  service.onUsageChange(() => usage.push(service.offeredDiskBytes()))
  await service.set({ diskQuotaBytes: 4 * GiB })
  disk.usedBytes = GiB
  await service.refreshDisk()
  assert.deepEqual(service.resources().disk, { quotaBytes: 4 * GiB, usedBytes: GiB, freeBytes: 3 * GiB })
  disk.freeBytes = 2 * GiB
  await service.refreshDisk()
  assert.equal(service.offeredDiskBytes(), 2 * GiB)
  disk.freeBytes += DISK_REPORT_STEP_BYTES / 2
  await service.refreshDisk()
  assert.deepEqual(usage, [4 * GiB, 3 * GiB, 2 * GiB], 'reported on each move of a megabyte or more, not on less')
  await service.set({ diskQuotaBytes: GiB / 2 })
  assert.equal(service.offeredDiskBytes(), 0)
})

test('the default usage is the contributed store folder, measured for real', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'gridnode-contribution-'))
  const folder = join(root, 'store')
  const { service } = await openService(t, join(root, 'db'), { usedBytes: folderUsage(folder, 0), diskSpace: () => fileSystemSpace(root) })
  assert.equal(service.resources().disk.usedBytes, 0, 'a missing store folder holds nothing')
  await mkdir(join(folder, 'chunks'), { recursive: true })
  await writeFile(join(folder, 'chunks', 'a'), Buffer.alloc(3 * 2 ** 20))
  await service.refreshDisk()
  const { disk } = service.resources()
  assert.equal(disk.usedBytes, 3 * 2 ** 20)
  assert.equal(disk.freeBytes, Math.min((await fileSystemSpace(root)).freeBytes, disk.quotaBytes - disk.usedBytes))
})

test('an unreadable stored record falls back to the defaults and is left as it is', async (t) => {
  const location = await tempDb()
  const store = await openStore(location)
  await store.commit([{ type: 'put', sublevel: 'contribution', key: 'settings', value: { version: 99, cpu: 'lots' } }])
  await store.close()
  const harness = await openService(t, location)
  assert.equal(harness.service.get().cpu.mode, 'cores')
  assert.deepEqual(await harness.store.sublevel('contribution').get('settings'), { version: 99, cpu: 'lots' })
})

test('start and stop are idempotent, and a stopped service takes no more samples', async (t) => {
  const { service, sample } = await openService(t, await tempDb())
  await Promise.all([service.start(), service.start()])
  await service.set({ idleOnly: true })
  service.stop()
  service.stop()
  for (let i = 0; i < DEFAULT_IDLE_THRESHOLDS.resumeAfterIdleSamples; i++) sample(quiet)
  assert.equal(service.state, 'paused-busy')
  await service.start()
  for (let i = 0; i < DEFAULT_IDLE_THRESHOLDS.resumeAfterIdleSamples; i++) sample(quiet)
  assert.equal(service.state, 'running')
})
