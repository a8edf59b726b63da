/**
 * Contribution settings (issue 5): how much of this machine the user gives the VO — whole cores
 * or a CPU percentage, only while the machine is idle or always, and a disk quota for the
 * contributed store — saved in the store, checked against the machine, and turned into what the
 * node offers right now. The job executor pauses and resumes on `onChange` and sizes itself by
 * `offeredCores()`; the overlay advertises `offeredCores()` and `offeredDiskBytes()`; the chunk
 * store keeps within `offeredDiskBytes()` and may replace the `usedBytes` measurement.
 */
export { createContributionService } from './contribution-service.ts'
export type { ContributionComponents, ContributionInit, ContributionService, CpuShares, SystemIdleProvider } from './contribution-service.ts'
export { fileSystemSpace, folderUsage } from './disk-usage.ts'
export type { DiskSpace } from './disk-usage.ts'
export { DEFAULT_IDLE_THRESHOLDS, observeIdle, othersCpuShare, UNKNOWN_IDLE } from './idle-detector.ts'
export type { IdleObservation, IdleState, IdleThresholds } from './idle-detector.ts'
export { applyChange, coresOffered, defaultSettings, SETTINGS_VERSION } from './settings.ts'
export type { ContributionSettings, CpuOffer, Machine } from './settings.ts'
