/**
 * The API as one transport-neutral service: validates a call against the contract, runs its
 * handler and answers with an envelope. The HTTP server and the Electron IPC bridge are thin
 * adapters around this, so both enforce exactly the same rules.
 */
import type { z } from 'zod'
import { isMethodName, methods, type ApiEvent, type MethodName, type MethodOutput, type Methods } from '../../shared/api/contract.ts'
import type { Envelope } from '../../shared/api/envelope.ts'
import { GridNodeError, toGridNodeError } from '../../shared/errors.ts'
import type { Logger } from '../log/logger.ts'

export type ApiHandlers = {
  [M in MethodName]: (input: z.output<Methods[M]['input']>) => Promise<MethodOutput<M>>
}

export type EventListener = (event: ApiEvent) => void

export interface ApiService {
  /** Runs one call. Never throws: every failure comes back as an error envelope. */
  call(method: string, input: unknown): Promise<Envelope<unknown>>
  /** Registers a listener for pushed events; returns its unsubscribe function. */
  subscribe(listener: EventListener): () => void
}

export interface ApiServiceComponents {
  handlers: ApiHandlers
  subscribe: (listener: EventListener) => () => void
  logger: Logger
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ')
}

export function createApiService({ handlers, subscribe, logger }: ApiServiceComponents): ApiService {
  return {
    async call(method, rawInput) {
      try {
        if (!isMethodName(method)) throw new GridNodeError('UNKNOWN_METHOD', `The API has no method "${method}".`)
        const input = methods[method].input.safeParse(rawInput ?? {})
        if (!input.success) {
          throw new GridNodeError('INVALID_INPUT', `Invalid input for "${method}": ${describeIssues(input.error)}.`)
        }
        const handler = handlers[method] as (input: unknown) => Promise<unknown>
        return { ok: true, value: await handler(input.data) }
      } catch (err) {
        const error = toGridNodeError(err)
        if (error.code === 'INTERNAL') logger.error({ err, method }, 'API call failed')
        return { ok: false, error: error.toBody() }
      }
    },
    subscribe,
  }
}
