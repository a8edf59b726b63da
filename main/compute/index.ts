/**
 * Compute jobs across the VO (issue 5). A member submits a WebAssembly job; its node coordinates
 * it: finds members with free cores through the overlay's discovery, runs each replica on a
 * different member over the job protocol, accepts the result once a majority of output hashes
 * agree, and resumes a run lost with its node from the run's last checkpoint. Work that finds no
 * free core waits in submission order (the seed's fork-delay) and survives a restart.
 *
 *   coordinator.ts  the scheduling and validation core, a pure state machine (inputs with the time in, effects out)
 *   service.ts      drives it on a node: timers, discovery, the store, runs sent out or kept here
 *   executor.ts     runs members' jobs in the sandbox within the cores the user offers, pausing with the offer
 *   wire.ts, serve-runs.ts, dispatch.ts   the job protocol: its messages, the executor's side, the submitter's side
 *   accounting.ts   the audit log of CPU spent and bytes stored for each member
 *   sandbox/, modules/   the WebAssembly sandbox, and the modules GridNode ships (the Mandelbrot demo's among them)
 */
export { createAccounting, type Accounting } from './accounting.ts'
export { computeHandlers } from './api-handlers.ts'
export { createCoordinator, majorityOf, type Coordinator, type CoordinatorInput, type CoordinatorOutput, type Job, type JobSpec, type Run } from './coordinator.ts'
export { startDemo } from './demo.ts'
export { createExecutor, type Executor, type RunOrder, type RunOutcome } from './executor.ts'
export { createComputeService, type ComputeComponents, type ComputeService, type JobRequest } from './service.ts'
export { COMPUTE_PROTOCOL } from './wire.ts'
