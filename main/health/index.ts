/**
 * Node health: how well this node scales with CPUs, estimated passively from the moments its
 * sequential sections are contended (seed paper: Carvalho & Pereira, p = (N·U − 1)/(N·U) while
 * the sequential resource is saturated), with a contention-corrected estimate beyond the paper,
 * the Amdahl curve and bounds, and a simulator of the paper's Fig. 2 model for what-if questions.
 *
 * The node wraps its sequential sections in an InstrumentedLock, reads its counters and the CPU
 * utilisation once per WINDOW_MS, and feeds the estimator a ScalabilitySample.
 */
export { parallelFractionAtSaturation, parallelFractionFromWork, speedup, speedupCurve, throughputBounds } from './amdahl.ts'
export type { BoundsInit, SpeedupPoint, ThroughputBounds } from './amdahl.ts'
export { WINDOW_MS } from './constants.ts'
export { ContentionMeter, emptyCounters } from './contention-meter.ts'
export type { ContentionCounters, ContentionWindow } from './contention-meter.ts'
export { createScalabilityEstimator, judgeWindow, sequentialWindow } from './estimator.ts'
export type {
  EstimateMethod,
  EstimatorInit,
  MethodEstimate,
  ScalabilityEstimate,
  ScalabilityEstimator,
  ScalabilitySample,
  SequentialWindow,
  WindowKind,
  WindowVerdict,
} from './estimator.ts'
export { InstrumentedLock, InstrumentedSemaphore } from './instrumented-lock.ts'
export type { LockStats, SemaphoreInit } from './instrumented-lock.ts'
export { simulate, whatIf } from './simulator.ts'
export type { SimulationInit, SimulationResult, WhatIfInit, WhatIfRow } from './simulator.ts'
