/**
 * Builds `window.gridnode` from a minimal IPC port. Kept free of Electron so it can be tested
 * under Node; the preload supplies the real port. Only these functions cross into the page:
 * never ipcRenderer, never an IPC event object (its `sender` is ipcRenderer).
 */
import { IPC_EVENT_CHANNEL, IPC_PICK_FOLDER_CHANNEL, ipcChannel, type GridNodeBridge } from '../../shared/api/bridge.ts'
import type { MethodName } from '../../shared/api/method-names.ts'

export interface IpcPort {
  invoke(channel: string, input: unknown): Promise<unknown>
  /** Delivers each message's payload (only the payload) on `channel`; returns the unsubscribe. */
  listen(channel: string, listener: (payload: unknown) => void): () => void
}

export function createBridge(methodNames: readonly MethodName[], port: IpcPort): GridNodeBridge {
  const bridge: Record<string, unknown> = {}
  for (const method of methodNames) {
    const channel = ipcChannel(method)
    bridge[method] = (input: unknown) => port.invoke(channel, input)
  }
  bridge.onEvent = (listener: (event: unknown) => void) => {
    if (typeof listener !== 'function') throw new TypeError('onEvent needs a listener function.')
    return port.listen(IPC_EVENT_CHANNEL, (payload) => listener(payload))
  }
  bridge.pickFolder = () => port.invoke(IPC_PICK_FOLDER_CHANNEL, undefined)
  return Object.freeze(bridge) as GridNodeBridge
}
