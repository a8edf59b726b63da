/**
 * A typed client for the API contract, independent of how calls travel (HTTP for the CLI and the
 * headless UI, Electron IPC for the desktop window). Answers are validated against the contract
 * before anyone uses them.
 */
import { GridNodeError } from '../errors.ts'
import {
  ApiEventSchema,
  METHOD_NAMES,
  methods,
  type ApiEvent,
  type MethodInput,
  type MethodName,
  type MethodOutput,
} from './contract.ts'
import { EnvelopeSchema } from './envelope.ts'

export interface ApiTransport {
  /** Sends one call and resolves with the raw envelope the node answered. */
  call(method: MethodName, input: unknown, signal?: AbortSignal): Promise<unknown>
  /** Delivers raw events until `signal` aborts (resolves) or the connection ends (rejects). */
  events(onEvent: (event: unknown) => void, signal: AbortSignal): Promise<void>
}

export interface CallOptions {
  signal?: AbortSignal
}

export type ApiClient = {
  readonly [M in MethodName]: (input: MethodInput<M>, options?: CallOptions) => Promise<MethodOutput<M>>
} & {
  /** Streams validated events; malformed ones are dropped, never delivered half-parsed. */
  subscribe(onEvent: (event: ApiEvent) => void, signal: AbortSignal): Promise<void>
}

export function createApiClient(transport: ApiTransport): ApiClient {
  const call = async (name: MethodName, input: unknown, options?: CallOptions): Promise<unknown> => {
    const envelope = EnvelopeSchema.safeParse(await transport.call(name, input, options?.signal))
    if (!envelope.success) {
      throw new GridNodeError('BAD_RESPONSE', `The node sent a malformed answer to "${name}".`)
    }
    if (!envelope.data.ok) throw GridNodeError.fromBody(envelope.data.error)
    const output = methods[name].output.safeParse(envelope.data.value)
    if (!output.success) {
      throw new GridNodeError('BAD_RESPONSE', `The node's answer to "${name}" does not match the API contract.`)
    }
    return output.data
  }
  const client: Record<string, unknown> = Object.fromEntries(
    METHOD_NAMES.map((name) => [name, (input: unknown, options?: CallOptions) => call(name, input, options)]),
  )
  client.subscribe = (onEvent: (event: ApiEvent) => void, signal: AbortSignal) =>
    transport.events((raw) => {
      const event = ApiEventSchema.safeParse(raw)
      if (event.success) onEvent(event.data)
    }, signal)
  return client as ApiClient
}
