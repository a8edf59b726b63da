/** The compute part of the API: the contract's job methods, served by the node's compute service. */
import { JOB_LIMITS } from '../../shared/api/compute-schemas.ts'
import { GridNodeError } from '../../shared/errors.ts'
import type { ApiHandlers } from '../api/service.ts'
import { startDemo } from './demo.ts'
import type { ComputeService } from './service.ts'

type ComputeMethods = 'jobSubmit' | 'jobs' | 'job' | 'jobCancel' | 'jobResult' | 'jobDemo' | 'accounting'

const fromBase64 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'base64'))

/** `compute` is asked at each call: the service exists only while the node runs. */
export function computeHandlers(compute: () => ComputeService): Pick<ApiHandlers, ComputeMethods> {
  return {
    jobSubmit: async ({ module, input, entry, replicas, maxSeconds, memoryBytes, label }) => {
      const request = { module: fromBase64(module), input: fromBase64(input), entry, replicas, maxSeconds, memoryBytes, label }
      if (request.module.byteLength + request.input.byteLength > JOB_LIMITS.payloadBytes) {
        throw new GridNodeError('PAYLOAD_TOO_LARGE', `A job's module and input may take ${JOB_LIMITS.payloadBytes / 2 ** 20} MiB together.`)
      }
      return compute().submit(request)
    },
    jobs: async () => compute().jobs(),
    job: async ({ id }) => compute().job(id),
    jobCancel: async ({ id }) => compute().cancel(id),
    jobResult: async ({ id }) => {
      const { sha256, output } = await compute().result(id)
      return { id, sha256, output: Buffer.from(output).toString('base64') }
    },
    jobDemo: async (input) => startDemo(compute(), input),
    accounting: async () => compute().accounting(),
  }
}
