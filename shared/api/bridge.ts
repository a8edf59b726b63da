/**
 * The narrow API the Electron preload exposes to the window as `window.gridnode`: one function per
 * contract method plus an event subscription, nothing else (no raw IPC reaches the page).
 */
import type { ApiTransport } from './client.ts'
import type { MethodName } from './method-names.ts'

export const BRIDGE_GLOBAL = 'gridnode'
/** IPC channel of one API method; the main process handles exactly these. */
export const ipcChannel = (method: MethodName): string => `gridnode:api:${method}`
export const IPC_EVENT_CHANNEL = 'gridnode:event'

export type GridNodeBridge = {
  readonly [M in MethodName]: (input: unknown) => Promise<unknown>
} & {
  /** Calls `listener` with each event the node pushes; returns the unsubscribe function. */
  onEvent(listener: (event: unknown) => void): () => void
}

export function createBridgeTransport(bridge: GridNodeBridge): ApiTransport {
  return {
    call: (method, input) => bridge[method](input),
    events: (onEvent, signal) =>
      new Promise<void>((resolve) => {
        const unsubscribe = bridge.onEvent(onEvent)
        signal.addEventListener('abort', () => {
          unsubscribe()
          resolve()
        }, { once: true })
      }),
  }
}
