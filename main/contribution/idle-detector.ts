/**
 * Whether the machine is idle, as a pure function of its CPU samples: the CPU other programs use
 * (the machine's busy share minus this node's own process, job workers included), and, in the
 * desktop app, how long keyboard and mouse have been untouched. Busy at the first sample over the
 * threshold; idle again only after a run of idle samples.
 */
import { BUSY_AFTER_SAMPLES, BUSY_CPU_SHARE, RESUME_AFTER_IDLE_SAMPLES, USER_AWAY_SEC } from './constants.ts'

/** One 1 s sample. CPU figures are shares of all the machine's cores, 0–1. */
export interface IdleObservation {
  /** Busy share of the whole machine. */
  machine: number
  /** This node's own process, all its threads (job workers included). */
  own: number
  /** Seconds since the user last gave input, where the shell can tell (Electron); absent headless. */
  userIdleSec?: number
}

export interface IdleThresholds {
  busyCpuShare: number
  busyAfterSamples: number
  resumeAfterIdleSamples: number
  userAwaySec: number
}

export const DEFAULT_IDLE_THRESHOLDS: IdleThresholds = {
  busyCpuShare: BUSY_CPU_SHARE,
  busyAfterSamples: BUSY_AFTER_SAMPLES,
  resumeAfterIdleSamples: RESUME_AFTER_IDLE_SAMPLES,
  userAwaySec: USER_AWAY_SEC,
}

export interface IdleState {
  idle: boolean
  /** Consecutive samples that read idle / busy, up to now. */
  idleRun: number
  busyRun: number
}

/** Until enough idle samples have been seen the machine is not known to be idle. */
export const UNKNOWN_IDLE: IdleState = { idle: false, idleRun: 0, busyRun: 0 }

/** The CPU share other programs use: what the machine spent beyond this node's own process. */
export function othersCpuShare(observation: IdleObservation): number {
  return Math.max(0, observation.machine - observation.own)
}

function sampleIsBusy(observation: IdleObservation, thresholds: IdleThresholds): boolean {
  const userPresent = observation.userIdleSec !== undefined && observation.userIdleSec < thresholds.userAwaySec
  return userPresent || othersCpuShare(observation) > thresholds.busyCpuShare
}

export function observeIdle(state: IdleState, observation: IdleObservation, thresholds: IdleThresholds = DEFAULT_IDLE_THRESHOLDS): IdleState {
  if (sampleIsBusy(observation, thresholds)) {
    const busyRun = state.busyRun + 1
    return { idle: state.idle && busyRun < thresholds.busyAfterSamples, idleRun: 0, busyRun }
  }
  const idleRun = state.idleRun + 1
  return { idle: state.idle || idleRun >= thresholds.resumeAfterIdleSamples, idleRun, busyRun: 0 }
}
